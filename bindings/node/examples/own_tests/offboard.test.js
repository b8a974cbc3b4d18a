'use strict'
// Testing offboard.js with toriihq/testing: no Torii tenant, no network, just the installed package.

const { test, before, after, beforeEach } = require('node:test')
const assert = require('node:assert/strict')
const { NotFoundError, InternalServerError } = require('toriihq')
const { startMock } = require('toriihq/testing')
const { offboard } = require('./offboard.js')

let mock
before(async () => {
  mock = await startMock()
})
after(() => mock.stop())
beforeEach(() => mock.reset())

test('leavers are offboarded once', async () => {
  const client = mock.client()
  assert.equal((await client.getUser({ idUser: 4 })).user.lifecycleStatus, 'active')
  assert.deepEqual(await offboard(client, ['user4@example.com', 'USER4@example.com']), [4, 4])
  assert.equal((await client.getUser({ idUser: 4 })).user.lifecycleStatus, 'offboarding')
  assert.deepEqual((await mock.requests('/users/4')).map((r) => r.method), ['GET', 'PUT', 'GET'], 'the second is a no-op')
})

test('an unknown email stops the job', async () => {
  await assert.rejects(offboard(mock.client(), ['nobody@example.com']), (e) => e instanceof NotFoundError && /nobody@example.com/.test(e.message))
})

test('a Torii outage surfaces', async () => {
  await mock.fault({ path: '/users', kind: 'status', status: 503, times: 3 })
  await assert.rejects(offboard(mock.client({ maxRetries: 2 }), ['user1@example.com']), InternalServerError)
})
