'use strict'
// The core's behaviour as Node sees it: error classes, retries, iterators, abort, custom fields, secrets.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const toriihq = require('..')
const { useMock, KEY } = require('./helpers.js')

let mock
let client
useMock((started) => ({ mock, client } = started))

const STATUS_CLASSES = [
  [400, toriihq.BadRequestError],
  [401, toriihq.AuthenticationError],
  [403, toriihq.PermissionDeniedError],
  [404, toriihq.NotFoundError],
  [409, toriihq.ConflictError],
  [413, toriihq.PayloadTooLargeError],
  [422, toriihq.UnprocessableEntityError],
  [429, toriihq.RateLimitError],
  [500, toriihq.InternalServerError],
  [503, toriihq.InternalServerError],
  [418, toriihq.APIStatusError],
]

for (const [status, Class] of STATUS_CLASSES) {
  test(`status ${status} throws ${Class.name}`, async () => {
    await mock.fault({ path: '/contracts/{idContract}', kind: 'status', status })
    const error = await client.getContract({ idContract: 1 }).then(() => null, (e) => e)
    assert.ok(error instanceof Class, `${error}`)
    assert.ok(error instanceof toriihq.APIStatusError && error instanceof toriihq.ToriiError && error instanceof Error)
    assert.equal(error.status, status)
    assert.equal(error.body.message, 'injected fault')
    assert.equal(error.headers['content-type'], 'application/json')
  })
}

test('timeouts, connection resets and broken bodies', async () => {
  const quick = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0, timeoutMs: 200 })
  await mock.fault({ path: '/apps', kind: 'delay', delay_ms: 1000 })
  await assert.rejects(quick.getApps(), toriihq.APITimeoutError)
  await mock.fault({ path: '/apps', kind: 'reset' })
  await assert.rejects(client.getApps(), toriihq.APIConnectionError)
  await mock.fault({ path: '/apps', kind: 'invalid_json' })
  await assert.rejects(client.getApps(), toriihq.APIResponseValidationError)
})

test('bad arguments throw TypeError or RangeError naming them, and send nothing', async () => {
  await assert.rejects(client.getApps({ size: 5000 }), (e) => e instanceof RangeError && e.argument === 'size')
  await assert.rejects(client.getApps({ size: 'ten' }), (e) => e instanceof TypeError && e.argument === 'size')
  await assert.rejects(client.getContract({}), (e) => e instanceof RangeError && e.argument === 'id_contract')
  await assert.rejects(client.getApps('size=10'), TypeError)
  await assert.rejects(client.uploadFile({ file: 12 }), TypeError)
  assert.throws(() => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, timeoutMs: -1 }), RangeError)
  assert.deepEqual(await mock.requests(), [])
})

test('a 429 with Retry-After is waited out and retried', async () => {
  const retrying = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 2 })
  await mock.fault({ path: '/contracts/{idContract}', kind: 'status', status: 429, retry_after: 1 })
  const started = Date.now()
  assert.equal((await retrying.getContract({ idContract: 1 })).contract.id, 1)
  assert.ok(Date.now() - started >= 1000)
  assert.equal((await mock.requests('/contracts/1')).length, 2)
  await mock.fault({ path: '/apps', kind: 'status', status: 429, retry_after: 3600 })
  await assert.rejects(retrying.getApps(), (e) => e instanceof toriihq.RateLimitError && e.retryAfter === 3600)
})

test('iterators walk every page and keep the filters', async () => {
  const apps = []
  for await (const app of client.getAppsIter({ extraQuery: { state: 'Discovered 2' }, size: 20, fields: 'id,state' })) apps.push(app)
  assert.equal(apps.length, 100)
  assert.ok(apps.every((a) => a.state === 'Discovered 2'))
  const pages = await mock.requests('/apps')
  assert.equal(pages.length, 5)
  for (const page of pages) {
    const { cursor, ...rest } = mock.query(page)
    assert.deepEqual(rest, { state: 'Discovered 2', size: '20', fields: 'id,state' })
  }
  const users = []
  for await (const user of client.listScimUsersIter({ count: 4 })) users.push(user)
  assert.equal(users.length, 10)
})

test('an AbortSignal cancels the request', async () => {
  await mock.fault({ path: '/apps', kind: 'delay', delay_ms: 2000 })
  const controller = new AbortController()
  const started = Date.now()
  setTimeout(() => controller.abort(), 100)
  await assert.rejects(client.getApps({}, { signal: controller.signal }), toriihq.APIUserAbortError)
  assert.ok(Date.now() - started < 1000, 'the abort did not cut the wait short')
  await assert.rejects(client.getApps({}, { signal: AbortSignal.abort() }), toriihq.APIUserAbortError)
  await mock.fault({ path: '/apps', kind: 'delay', delay_ms: 2000 })
  await assert.rejects(client.getApps({}, { timeoutMs: 100 }), toriihq.APITimeoutError)
})

test('a custom field survives', async () => {
  await client.updateContract({ idContract: 1, body: { renewalOwner: 'ada@example.com' } })
  assert.equal((await client.getContract({ idContract: 1 })).contract.renewalOwner, 'ada@example.com')
  await client.getApps({ size: 1, extraQuery: { noSuchField: 'x' } })
  assert.deepEqual(mock.query((await mock.requests('/apps')).at(-1)), { size: '1', noSuchField: 'x' })
})

test('the key never shows', async () => {
  const shown = [util.inspect(client), util.inspect(client, { showHidden: true, depth: 10 }), JSON.stringify(client), String(client)]
  for (const status of [401, 404, 500]) {
    await mock.fault({ path: '/apps', kind: 'status', status })
    const error = await client.getApps().catch((e) => e)
    shown.push(util.inspect(error, { depth: 10 }), String(error), JSON.stringify(error))
  }
  shown.push(String(await Promise.resolve().then(() => new toriihq.Client({ apiKey: '', baseUrl: mock.url })).catch((e) => e)))
  for (const text of shown) assert.ok(!text.includes(KEY), text)
  const sent = (await mock.requests('/apps'))[0]
  assert.equal(Object.fromEntries(sent.headers).authorization, 'Bearer ****')
  assert.match(Object.fromEntries(sent.headers)['user-agent'], /^toriihq-node\/\S+ node\/\d+\.\d+\.\d+ toriihq-rust\/\S+ \w+-\w+$/)
})

test('options come from the core table, for the client and for each call', async () => {
  const retrying = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 2, extraHeaders: { 'x-team': 'it' } })
  await mock.fault({ path: '/apps', kind: 'status', status: 503, times: 1 })
  await assert.rejects(retrying.getApps({}, { maxRetries: 0, extraHeaders: { 'x-run': '7' } }), toriihq.InternalServerError)
  const log = await mock.requests('/apps')
  const sent = Object.fromEntries(log.at(-1).headers)
  assert.deepEqual([sent['x-team'], sent['x-run'], log.length], ['it', '7', 1])
  await mock.fault({ path: '/apps', kind: 'status', status: 503, times: 1 })
  await retrying.getApps()
  assert.equal((await mock.requests('/apps')).length, 3, "the client's own retries")
})

test('withOptions copies a client with changed defaults, leaving the original as it was', async () => {
  const client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 2, extraHeaders: { 'x-team': 'it' } })
  const quiet = client.withOptions({ maxRetries: 0, extraHeaders: { 'x-run': '8' } })
  assert.ok(quiet instanceof toriihq.Client)
  assert.equal(quiet.baseUrl, client.baseUrl)
  await mock.fault({ path: '/apps', kind: 'status', status: 503, times: 1 })
  await assert.rejects(quiet.getApps(), toriihq.InternalServerError)
  let log = await mock.requests('/apps')
  const sent = Object.fromEntries(log.at(-1).headers)
  assert.deepEqual([sent['x-team'], sent['x-run'], log.length], ['it', '8', 1])
  await mock.fault({ path: '/apps', kind: 'status', status: 503, times: 1 })
  await client.getApps()
  log = await mock.requests('/apps')
  assert.equal(log.length, 3, 'the original keeps its retries')
  assert.equal(Object.fromEntries(log.at(-1).headers)['x-run'], undefined, "nor gains the copy's headers")
  assert.throws(() => client.withOptions({ timeoutMs: 0 }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'timeoutMs')
})

test('bad options are refused by name before anything is sent', async () => {
  assert.throws(() => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetry: 1 }), (e) => e instanceof toriihq.ArgumentTypeError && e.argument === 'maxRetry')
  assert.throws(() => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, timeoutMs: Number.NaN }), (e) => e instanceof toriihq.InvalidArgumentError)
  const before = (await mock.requests()).length
  await assert.rejects(client.getApps({}, { apiKey: 'another' }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'apiKey' && !e.message.includes('another'))
  await assert.rejects(client.getApps({}, { extraHeaders: { Authorization: 'Bearer stolen' } }), (e) => e.argument === 'extraHeaders.Authorization')
  await assert.rejects(client.getApps({ size: Number.POSITIVE_INFINITY }), toriihq.InvalidArgumentError)
  assert.equal((await mock.requests()).length, before)
})

test('every kind of the catalogue has classes of its own', () => {
  const { CLASSES_BY_KIND } = require('../lib/errors.js')
  for (const [kind, classes] of Object.entries(CLASSES_BY_KIND)) {
    for (const Class of classes) assert.equal(new Class('m').kind, kind, Class.name)
  }
  assert.ok(new toriihq.NotFoundError('m') instanceof toriihq.ToriiError)
})

test('an AbortSignal ends an iteration that waits for a page', async () => {
  await mock.fault({ path: '/apps', kind: 'delay', delay_ms: 3000 })
  const controller = new AbortController()
  const started = Date.now()
  setTimeout(() => controller.abort(), 100)
  const seen = []
  await assert.rejects(async () => {
    for await (const app of client.getAppsIter({ size: 10 }, { signal: controller.signal })) seen.push(app)
  }, toriihq.APIUserAbortError)
  assert.ok(Date.now() - started < 2000, 'the abort did not cut the wait short')
  assert.equal(seen.length, 0)
  let count = 0
  for await (const app of client.getAppsIter({ size: 100 }, { timeoutMs: 5000 })) count += app ? 1 : 0
  assert.equal(count, 500, 'per-call options reach every page of an iteration')
})

test('values JSON cannot carry are refused with their path, before any request', async () => {
  const circular = { lifecycleStatus: 'offboarding' }
  circular.self = circular
  const cases = [
    [{ lifecycleStatus: 'offboarding', score: NaN }, 'body.score', toriihq.InvalidArgumentError],
    [{ lifecycleStatus: 'offboarding', list: [1, Infinity] }, 'body.list[1]', toriihq.InvalidArgumentError],
    [{ lifecycleStatus: 'offboarding', n: 10n }, 'body.n', toriihq.ArgumentTypeError],
    [{ lifecycleStatus: 'offboarding', f: () => 1 }, 'body.f', toriihq.ArgumentTypeError],
    [circular, 'body.self', toriihq.ArgumentTypeError],
  ]
  for (const [body, path, Class] of cases) {
    await assert.rejects(client.updateUser({ idUser: 1, body }), (error) => error instanceof Class && error.argument === path, path)
  }
  assert.deepEqual(await mock.requests(), [])
})
