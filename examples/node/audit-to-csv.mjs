// Export the admin audit log to CSV, every page, one row per event.
// usage: node audit-to-csv.mjs [OUTPUT_CSV]

import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { Client } from 'toriihq'

const [output = 'audit.csv'] = process.argv.slice(2)
const client = new Client()
const sink = createWriteStream(output)
const quoted = (value) => (value == null ? '' : /[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value))
sink.write('time,email,type,method,path\n')
let rows = 0
for await (const event of client.getAuditIter({ size: 1000 })) {
  const details = event.requestDetails ?? {}
  sink.write([event.creationTime, event.performedByEmail, event.type, details.method, details.path].map(quoted).join(',') + '\n')
  rows++
}
sink.end()
await once(sink, 'finish')
console.log(`wrote ${rows} events to ${output}`)
