// A nightly custom-integration sync from an HR export: one row per person becomes Torii's users and licences,
// validated first, then uploaded and synced.
// usage: node nightly-sync.mjs [HR_EXPORT_CSV] [ID_APP_ACCOUNT]

import { readFileSync } from 'node:fs'
import { Client, InvalidFileError } from 'toriihq'

const [exported = 'examples/data/hr-export.csv', idAppAccount = '1'] = process.argv.slice(2)
const [header, ...lines] = readFileSync(exported, 'utf8').trim().split('\n')
const names = header.split(',')
const users = []
const holders = new Map()
for (const line of lines) {
  const row = Object.fromEntries(line.split(',').map((value, i) => [names[i], value]))
  const active = row.employment === 'employed'
  const user = { email: row.email, firstName: row.first_name, lastName: row.last_name, status: active ? 'active' : 'deleted' }
  if (row.last_login) user.lastUsedDate = row.last_login
  users.push(user)
  if (row.licence) {
    if (!holders.has(row.licence)) holders.set(row.licence, [])
    holders.get(row.licence).push({ email: row.email, licenseStatus: active ? 'active' : 'inactive' })
  }
}
const licenses = [...holders].sort().map(([name, people]) => ({ name, users: people }))
const client = new Client()
try {
  const result = await client.syncCustomIntegrationData({ idAppAccount: Number(idAppAccount), users, licenses, waitSeconds: 600 })
  console.log(`synced ${users.length} users and ${licenses.length} licences (file ${result.idFile})`)
  for (const warning of result.warnings) console.log(`warning: ${warning.path}: ${warning.message}`)
} catch (error) {
  if (!(error instanceof InvalidFileError)) throw error
  for (const problem of error.problems) console.error(`${problem.path}: ${problem.message}`)
  process.exitCode = 2
}
