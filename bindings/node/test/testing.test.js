'use strict'
// toriihq/testing: the mock inside the package, as a user's own tests would use it.

const { test, before, after, beforeEach } = require('node:test')
const assert = require('node:assert/strict')
const toriihq = require('toriihq')
const testing = require('toriihq/testing')

let mock
before(async () => {
  mock = await testing.startMock()
})
after(() => mock.stop())
beforeEach(() => mock.reset())

test('a mock serves state, logs requests and is reset', async () => {
  assert.ok(mock instanceof testing.MockServer)
  const client = mock.client()
  await client.updateUser({ idUser: 1, body: { lifecycleStatus: 'offboarding' } })
  assert.equal((await client.getUser({ idUser: 1 })).user.lifecycleStatus, 'offboarding')
  assert.deepEqual((await mock.requests('/users/1')).map((r) => r.method), ['PUT', 'GET'])
  await mock.reset()
  assert.deepEqual(await mock.requests(), [])
  assert.notEqual((await client.getUser({ idUser: 1 })).user.lifecycleStatus, 'offboarding')
})

test('faults, collections and the key', async () => {
  await mock.fault({ path: '/contracts/{idContract}', kind: 'status', status: 503 })
  await assert.rejects(mock.client().getContract({ idContract: 1 }), toriihq.InternalServerError)
  assert.equal((await mock.client().getContract({ idContract: 1 })).contract.id, 1)
  await mock.client().createContract({ body: { name: 'Renewal', idApp: 1, status: 'active' } })
  assert.ok((await mock.collection('/contracts')).some((c) => c.name === 'Renewal'))
  await assert.rejects(new toriihq.Client({ apiKey: 'wrong', baseUrl: mock.url }).getContract({ idContract: 1 }), toriihq.AuthenticationError)
})

test('a mock of its own settings, and bad settings named', async () => {
  const own = await testing.startMock({ seed: 'users=3', apiKey: 'my-key', syncSeconds: 0.2 })
  assert.equal(own.apiKey, 'my-key')
  const users = []
  for await (const user of own.client().getUsersIter({ size: 2 })) users.push(user)
  assert.equal(users.length, 3)
  own.stop()
  await assert.rejects(own.client().getUsers(), toriihq.APIConnectionError)
  await assert.rejects(testing.startMock({ seed: 'apps=lots' }), (e) => e instanceof toriihq.ConfigurationError && /seed/.test(e.message))
  await assert.rejects(testing.startMock({ port: 1 }), (e) => e instanceof toriihq.ConfigurationError && /port/.test(e.message))
})

test('pacing to the spec\'s limits against a mock enforcing them', async () => {
  const limited = await testing.startMock({ seed: 'none', rateLimit: 'spec' })
  const paced = limited.client({ paceToRateLimits: true })
  for (let i = 0; i < 50; i++) await paced.createAppField({ body: { name: `Plan ${i}`, type: 'singleLine' } })
  await assert.rejects(paced.createAppField({ body: { name: 'Plan 50', type: 'singleLine' } }, { timeoutMs: 300 }), toriihq.APITimeoutError)
  assert.equal((await limited.requests('/apps/fields')).length, 50, 'the 51st waited for its minute instead of being sent')
  await assert.rejects(limited.client().createAppField({ body: { name: 'Unpaced', type: 'singleLine' } }), toriihq.RateLimitError)
  limited.stop()
})
