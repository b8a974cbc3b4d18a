'use strict'
// The addon never keeps Node alive, works in worker threads, and loads through require and import.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const path = require('node:path')
const { startMock, KEY } = require('./helpers.js')

const PACKAGE = path.resolve(__dirname, '..')
let mock
before(async () => {
  mock = await startMock('contracts=2')
})
after(() => mock.stop())

function node(args, source) {
  const started = Date.now()
  const result = spawnSync(process.execPath, [...args, '-e', source], { encoding: 'utf8', timeout: 20000, env: { ...process.env, TORII_API_KEY: KEY, TORII_BASE_URL: mock.url } })
  return { ...result, elapsed: Date.now() - started }
}

test('a script that made calls exits by itself within a second', () => {
  const script = `
    const { Client } = require(${JSON.stringify(PACKAGE)})
    const client = new Client()
    client.getContract({ idContract: 1 }).then((c) => { console.log('got', c.contract.id); globalThis.doneAt = Date.now() })
    process.on('exit', () => console.log('exit after', Date.now() - globalThis.doneAt, 'ms'))`
  const result = node([], script)
  assert.equal(result.status, 0, result.stderr)
  assert.match(result.stdout, /got 1/)
  const after = Number(/exit after (\d+) ms/.exec(result.stdout)[1])
  assert.ok(after < 1000, `the process lingered ${after} ms after its last call`)
})

test('a call in flight keeps a script with nothing else to do alive until it settles', async () => {
  await mock.fault({ path: '/contracts/{idContract}', kind: 'delay', delay_ms: 1500 })
  const script = `
    const { Client } = require(${JSON.stringify(PACKAGE)})
    new Client().getContract({ idContract: 1 }).then((c) => console.log('got', c.contract.id))`
  const result = node([], script)
  assert.equal(result.status, 0, result.stderr)
  assert.match(result.stdout, /got 1/)
  assert.ok(result.elapsed >= 1400, `finished after ${result.elapsed} ms, before the answer could come`)
})

test('the client works inside worker_threads', () => {
  const script = `
    const { Worker } = require('node:worker_threads')
    const source = "const { parentPort } = require('node:worker_threads'); const { Client } = require(" + ${JSON.stringify(JSON.stringify(PACKAGE))} + "); new Client().getContract({ idContract: 2 }).then((c) => parentPort.postMessage(c.contract.id))"
    const worker = new Worker(source, { eval: true })
    worker.on('message', (id) => { console.log('worker got', id) })
    worker.on('error', (e) => { console.error(e); process.exit(1) })`
  const result = node([], script)
  assert.equal(result.status, 0, result.stderr)
  assert.match(result.stdout, /worker got 2/)
})

test('worker_threads terminated while their calls are in flight neither crash the process nor leave it unable to call', () => {
  // Each worker makes a client and a call, and is terminated with the call on the wire: the worker's objects are
  // finalised under the running call (before, the call then read freed memory and the process aborted).
  const script = `
    const { Worker } = require('node:worker_threads')
    const source = "const { parentPort } = require('node:worker_threads'); const { Client } = require(" + ${JSON.stringify(JSON.stringify(PACKAGE))} + "); const client = new Client(); client.getContract({ idContract: 1 }); client.listContracts().then(() => {}); parentPort.postMessage('in flight')"
    const one = () => new Promise((resolve) => {
      const worker = new Worker(source, { eval: true })
      worker.on('message', () => worker.terminate().then(resolve))
      worker.on('error', (e) => { console.error(e); process.exit(1) })
    })
    ;(async () => {
      for (let i = 0; i < 60; i += 4) await Promise.all([one(), one(), one(), one()])
      const { Client } = require(${JSON.stringify(PACKAGE)})
      console.log('after', (await new Client().getContract({ idContract: 2 })).contract.id)
    })()`
  const result = node([], script)
  assert.equal(result.status, 0, `${result.signal ?? ''} ${result.stderr}`)
  assert.match(result.stdout, /after 2/)
})

test('without a native module for the platform, loading says which platform and what to do', () => {
  const fs = require('node:fs')
  const os = require('node:os')
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'toriihq-no-addon-'))
  for (const entry of ['package.json', 'index.js', 'native.js', 'lib']) fs.cpSync(path.join(PACKAGE, entry), path.join(bare, entry), { recursive: true })
  const result = node([], `try { require(${JSON.stringify(bare)}) } catch (e) { console.log(e.message); console.log(String(e.cause?.message ?? '')) }`)
  assert.match(result.stdout, /toriihq has no native module for this platform \(linux-x64-gnu\)/)
  assert.match(result.stdout, /linux-x64-gnu, linux-arm64-gnu, darwin-arm64, darwin-x64, win32-x64-msvc/)
  assert.match(result.stdout, /--omit=optional/)
  fs.rmSync(bare, { recursive: true })
})

test('require and import both load the package', () => {
  const cjs = node([], `const t = require(${JSON.stringify(PACKAGE)}); console.log(typeof t.Client, typeof t.NotFoundError)`)
  assert.equal(cjs.stdout.trim(), 'function function', cjs.stderr)
  const esm = node(['--input-type=module'], `import { Client, NotFoundError } from ${JSON.stringify(path.join(PACKAGE, 'index.mjs'))}; console.log(typeof Client, typeof NotFoundError)`)
  assert.equal(esm.stdout.trim(), 'function function', esm.stderr)
})

test('a script interrupted by SIGINT during a call exits at once, with no native work holding it', async () => {
  await mock.fault({ path: '/contracts/{idContract}', kind: 'delay', delay_ms: 8000 })
  const { spawn } = require('node:child_process')
  const script = `
    const { Client } = require(${JSON.stringify(PACKAGE)})
    new Client().getContract({ idContract: 1 }).then(() => console.log('finished'))
    setTimeout(() => process.kill(process.pid, 'SIGINT'), 500)`
  const started = Date.now()
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, TORII_API_KEY: KEY, TORII_BASE_URL: mock.url } })
  let output = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  const [code, signal] = await new Promise((resolve) => child.on('exit', (...args) => resolve(args)))
  const elapsed = Date.now() - started
  assert.equal(signal, 'SIGINT', `exit code ${code}`)
  assert.equal(output, '', 'the call did not finish')
  // The server holds the answer 8 s; the bound only separates "at once" from "when the call ended".
  assert.ok(elapsed < 4000, `exited after ${elapsed} ms`)
})
