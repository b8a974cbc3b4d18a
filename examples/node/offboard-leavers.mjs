// Offboard everyone in a CSV of leavers (a column `email`), and write what happened to each.
// usage: node offboard-leavers.mjs [LEAVERS_CSV] [RESULTS_CSV]

import { readFileSync, writeFileSync } from 'node:fs'
import { APIError, Client, NotFoundError } from 'toriihq'

const [leavers = 'examples/data/leavers.csv', results = 'offboarded.csv'] = process.argv.slice(2)
const client = new Client() // TORII_API_KEY, TORII_BASE_URL

const [header, ...lines] = readFileSync(leavers, 'utf8').trim().split('\n')
const column = header.split(',').indexOf('email')
const report = [['email', 'outcome', 'id_user', 'apps_still_held']]
let failed = 0
for (const line of lines) {
  const email = line.split(',')[column].trim()
  try {
    const user = await client.offboardUser({ email })
    const { apps = [] } = await client.listUserApps({ idUser: user.id })
    report.push([email, user.lifecycleStatus, user.id, apps.length])
  } catch (error) {
    if (error instanceof NotFoundError) report.push([email, 'not in Torii', '', ''])
    else if (error instanceof APIError) {
      failed++
      report.push([email, `failed: ${error.kind}`, '', ''])
    } else throw error
  }
}
writeFileSync(results, report.map((row) => row.join(',')).join('\n') + '\n')
console.log(`wrote ${results}`)
process.exitCode = failed ? 1 : 0
