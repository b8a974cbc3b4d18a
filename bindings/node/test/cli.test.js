'use strict'
// The `toriihq` bin: the Rust command line through the addon; Ctrl-C ends it with 130, as everywhere.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { spawn, spawnSync } = require('node:child_process')
const path = require('node:path')
const { useMock, KEY } = require('./helpers.js')

let mock
useMock((started) => ({ mock } = started))

const BIN = path.join(__dirname, '..', 'bin', 'toriihq.js')
const environment = () => ({ ...process.env, TORII_API_KEY: KEY, TORII_BASE_URL: mock.url })

test('the bin lists, formats and exits by error kind', () => {
  const listed = spawnSync('node', [BIN, 'apps', 'list', '--size', '2', '--format', 'csv', '--fields', 'id,name'], { env: environment(), encoding: 'utf8' })
  assert.equal(listed.status, 0, listed.stderr)
  assert.equal(listed.stdout, 'id,name\n1,Salesforce\n2,Salesforce 2\n')
  const missing = spawnSync('node', [BIN, 'apps', 'get', '999'], { env: environment(), encoding: 'utf8' })
  assert.equal(missing.status, 4)
  assert.ok(!missing.stderr.includes(KEY))
})

test('Ctrl-C ends a call with 130', async () => {
  await mock.fault({ path: '/apps/{idApp}', kind: 'delay', delay_ms: 20000 })
  const child = spawn('node', [BIN, 'apps', 'get', '1'], { env: environment() })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  while (!(await mock.requests('/apps/1')).length) await new Promise((resolve) => setTimeout(resolve, 20))
  const started = Date.now()
  child.kill('SIGINT')
  const code = await new Promise((resolve) => child.on('exit', resolve))
  assert.equal(code, 130, stderr)
  assert.match(stderr, /interrupted/)
  assert.ok(Date.now() - started < 5000)
})

test('TORII_LOG writes each attempt to stderr as the packages do, the key masked', () => {
  for (const level of ['info', 'debug']) {
    const listed = spawnSync('node', [BIN, 'apps', 'list', '--size', '2'], { env: { ...environment(), TORII_LOG: level }, encoding: 'utf8' })
    assert.equal(listed.status, 0, listed.stderr)
    assert.match(listed.stderr, /toriihq INFO GET \/apps \(getApps\) → 200 OK/)
    if (level === 'debug') assert.match(listed.stderr, /toriihq DEBUG/)
    assert.ok(!listed.stderr.includes(KEY))
  }
  const quiet = spawnSync('node', [BIN, 'apps', 'list', '--size', '2'], { env: environment(), encoding: 'utf8' })
  assert.equal(quiet.stderr, '')
})
