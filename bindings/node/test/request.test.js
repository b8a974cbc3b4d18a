'use strict'
// client.request: an endpoint the spec does not describe yet, through the same pipeline as every operation, and
// never anywhere but under the base URL.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const toriihq = require('..')
const { useMock } = require('./helpers.js')

let mock
let client
useMock((started) => ({ mock, client } = started))

test('a request answers its JSON and throws its error class', async () => {
  const page = await client.request({ method: 'GET', path: '/apps', query: { size: 2 } })
  assert.equal(page.apps.length, 2)
  const created = await client.request({ method: 'POST', path: '/contracts', body: { name: 'Renewal', idApp: 1, status: 'active' } })
  assert.equal(created.contract.name, 'Renewal')
  await assert.rejects(client.request({ method: 'GET', path: '/not/in/the/spec' }), toriihq.NotFoundError)
  assert.deepEqual((await mock.requests()).map((r) => r.path), ['/apps', '/contracts', '/not/in/the/spec'])
})

test('a request cannot leave the base URL', async () => {
  for (const path of ['http://evil.example/x', '//evil.example/x', 'evil', '/../admin', '/a/%2e%2e/admin', '/x?y=1', '/a\\b']) {
    await assert.rejects(client.request({ method: 'GET', path }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'path', path)
  }
  await assert.rejects(client.request({ method: 'GET', path: 42 }), toriihq.ArgumentTypeError)
  await assert.rejects(client.request('GET /apps'), toriihq.ArgumentTypeError)
  assert.deepEqual(await mock.requests(), [])
})
