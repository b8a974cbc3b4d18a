'use strict'
// The log: the core's lines to `options.logger`, one per attempt, never the key, a query value or a body.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const path = require('node:path')
const toriihq = require('..')
const { useMock, KEY } = require('./helpers.js')

let mock
useMock((started) => ({ mock } = started))

function recording() {
  const lines = []
  return { lines, logger: { info: (line) => lines.push(['info', line]), debug: (line) => lines.push(['debug', line]) } }
}

// Lines come through the event loop: a turn after the call, they are all there.
const settled = () => new Promise((resolve) => setImmediate(resolve))

test('each attempt is a line to the logger', async () => {
  const { lines, logger } = recording()
  const client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 1, logLevel: 'info', logger })
  await mock.fault({ path: '/contracts/{idContract}', kind: 'status', status: 503, times: 1 })
  await client.getContract({ idContract: 1 })
  await settled()
  assert.equal(lines.length, 2, JSON.stringify(lines))
  assert.match(lines[0][1], /^GET \/contracts\/\{idContract\} \(getContract\) → 503 .*retrying in/)
  assert.match(lines[1][1], /^GET \/contracts\/\{idContract\} \(getContract\) → 200 OK/)
  assert.deepEqual([...new Set(lines.map(([level]) => level))], ['info'])
})

test('debug masks the key and shows no query value or body', async () => {
  const { lines, logger } = recording()
  const client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0, logLevel: 'debug', logger })
  await client.getUsers({ email: 'ada.private@example.com' })
  await client.createContract({ body: { name: 'Confidential renewal', idApp: 1, status: 'active' } })
  await settled()
  const text = lines.map(([, line]) => line).join('\n')
  assert.match(text, /authorization: Bearer \*\*\*\*/)
  for (const secret of [KEY, 'ada.private', 'Confidential']) assert.ok(!text.includes(secret), `${secret} in\n${text}`)
  const before = lines.length
  await client.withOptions({ maxRetries: 1 }).getContract({ idContract: 1 })
  await settled()
  assert.match(lines[before][1], /^GET \/contracts\/\{idContract\} \(getContract\) → 200/, 'a withOptions copy keeps the logger')
})

test('off by default; a bad level or logger is refused', async () => {
  const { lines, logger } = recording()
  const env = process.env.TORII_LOG
  delete process.env.TORII_LOG
  try {
    await new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, logger }).getContract({ idContract: 1 })
  } finally {
    if (env !== undefined) process.env.TORII_LOG = env
  }
  await settled()
  assert.deepEqual(lines, [])
  assert.throws(() => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, logLevel: 'loud' }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'logLevel')
  assert.throws(() => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, logger: {} }), (e) => e instanceof toriihq.ArgumentTypeError && e.argument === 'logger')
})

test('TORII_LOG=info logs to the console with no setup, and the script still exits by itself', () => {
  const script = `new (require(${JSON.stringify(path.resolve(__dirname, '..'))}).Client)().getContract({ idContract: 1 })`
  const run = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    timeout: 20000,
    env: { ...process.env, TORII_LOG: 'info', TORII_API_KEY: KEY, TORII_BASE_URL: mock.url },
  })
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stdout, /GET \/contracts\/\{idContract\} \(getContract\) → 200 OK/)
  assert.ok(!run.stdout.includes(KEY))
})
