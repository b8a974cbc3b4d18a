'use strict'
// `withResponse()`: an operation's answer with its status and headers, the data decoded as the plain call's.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const toriihq = require('..')
const { useMock } = require('./helpers.js')

let mock
let client
useMock((started) => ({ mock, client } = started))

const SCIM_USER = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'raw@example.com' }

test('a call shows its status and headers with the decoded data', async () => {
  const { data, response } = await client.getContract({ idContract: 1 }).withResponse()
  assert.equal(response.status, 200)
  assert.ok(response.headers instanceof Headers)
  assert.match(response.headers.get('Content-Type'), /^application\/json/)
  assert.deepEqual(data, await client.getContract({ idContract: 1 }))
})

test('other statuses, and an empty body', async () => {
  const created = await client.createScimUser({ body: SCIM_USER }).withResponse()
  assert.deepEqual([created.response.status, created.data.userName], [201, 'raw@example.com'])
  const deleted = await client.deleteContract({ idContract: 2 }).withResponse()
  assert.deepEqual([deleted.response.status, deleted.data], [204, null])
})

test('errors reject withResponse() as they reject the call, and bad arguments send nothing', async () => {
  await assert.rejects(client.getContract({ idContract: 999999 }).withResponse(), toriihq.NotFoundError)
  await assert.rejects(client.getContract({ idContract: '' }).withResponse(), toriihq.ArgumentTypeError)
  assert.deepEqual(await mock.requests('/contracts/'), [])
})

test('the promise is a promise: awaited, chained, caught, one request each way', async () => {
  const call = client.getContract({ idContract: 1 })
  assert.ok(call instanceof Promise)
  const [plain, shown] = await Promise.all([call, call.withResponse()])
  assert.deepEqual(plain, shown.data)
  assert.equal((await mock.requests('/contracts/1')).length, 1)
  assert.equal(await client.getContract({ idContract: 1 }).then((c) => c.contract.id), 1)
  assert.ok(await client.getContract({ idContract: 999999 }).catch((e) => e instanceof toriihq.NotFoundError))
})
