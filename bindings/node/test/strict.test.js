'use strict'
// Strict mode: answers checked against the spec in the core; a difference goes to `logger.warn` ('warn') or
// rejects with SpecDriftError ('error'), with the operation and the JSON path.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const toriihq = require('..')
const { useMock, scratchDir, KEY } = require('./helpers.js')

let mock
useMock((started) => ({ mock } = started))

const extraKeyOnApps = () => mock.fault({ path: '/apps', kind: 'extra_key', key: 'renewalOwner' })
const settled = () => new Promise((resolve) => setImmediate(resolve))

test("the mock's answers pass 'error' mode", async () => {
  const client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, strict: 'error' })
  let apps = 0
  for await (const _app of client.getAppsIter({ size: 100 })) apps += 1
  assert.equal(apps, 500)
  await client.getContract({ idContract: 1 })
  await client.listScimUsers()
})

test("'warn' sends the difference to logger.warn, records it, and returns the answer", async () => {
  const warnings = []
  const logger = { info() {}, debug() {}, warn: (line) => warnings.push(line) }
  const reportFile = path.join(scratchDir('toriihq-strict-'), 'drift.ndjson')
  const client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, strict: 'warn', strictReport: reportFile, logger })
  await extraKeyOnApps()
  const page = await client.getApps({ size: 3 })
  assert.equal(page.apps.length, 3)
  await settled()
  assert.equal(warnings.length, 1, JSON.stringify(warnings))
  assert.match(warnings[0], /getApps \(GET \/apps\) answered 200/)
  assert.match(warnings[0], /\$\.renewalOwner is not declared \(string\)/)
  assert.equal(JSON.parse(fs.readFileSync(reportFile, 'utf8')).differences[0].path, '$.renewalOwner')
})

test("'error' rejects with SpecDriftError carrying the report", async () => {
  const client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, strict: 'error' })
  await extraKeyOnApps()
  await assert.rejects(client.getApps(), (error) => {
    assert.ok(error instanceof toriihq.SpecDriftError && error instanceof toriihq.APIResponseValidationError)
    assert.equal(error.kind, 'spec_drift')
    assert.equal(error.drift.operation, 'getApps')
    assert.equal(error.drift.differences[0].kind, 'undeclared')
    return true
  })
})

test('a bad mode is refused before anything is sent', () => {
  assert.throws(() => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, strict: 'loud' }), toriihq.InvalidArgumentError)
})
