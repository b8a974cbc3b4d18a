// An access review: every app with its users (who, their status in the app, when they last used it), to CSV.
// usage: node access-review.mjs [OUTPUT_CSV]

import { writeFileSync } from 'node:fs'
import { Client } from 'toriihq'

const [output = 'access-review.csv'] = process.argv.slice(2)
const client = new Client()
const rows = [['app', 'email', 'status', 'last_visit', 'lifecycle']]
for await (const app of client.getAppsIter({ fields: 'id,name,state', size: 1000 })) {
  for await (const user of client.listAppUsersIter({ idApp: app.id, size: 1000 })) {
    rows.push([app.name, user.email, user.status, user.lastVisitTime, user.lifecycleStatus])
  }
}
writeFileSync(output, rows.map((row) => row.map((value) => value ?? '').join(',')).join('\n') + '\n')
console.log(`wrote ${rows.length - 1} app users to ${output}`)
