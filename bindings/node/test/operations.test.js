'use strict'
// Every operation of the spec through the Node client, against the mock.

const { test, before, after, beforeEach } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const toriihq = require('..')
const { startMock, KEY } = require('./helpers.js')

let mock
let client
before(async () => {
  mock = await startMock()
  client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0 })
})
after(() => mock.stop())
beforeEach(() => mock.reset())

test('getApps', async () => {
  const page = await client.getApps({ size: 3, fields: 'id,name' })
  assert.deepEqual(page.data[0], { id: '1', name: 'name 1' })
  assert.equal(page.total, 2500)
  assert.ok(page.nextCursor)
  assert.deepEqual(mock.query((await mock.requests('/apps'))[0]), { size: '3', fields: 'id,name' })
})

test('getAppsMetadata, getUsersMetadata, getContractsMetadata', async () => {
  assert.deepEqual((await client.getAppsMetadata({ search: 'name 3' })).data.map((f) => f.name), ['name 3'])
  assert.ok((await client.getUsersMetadata()).data.length > 0)
  assert.deepEqual((await client.getContractsMetadata({ search: 'no such field' })).data, [])
})

test('getUsers sorts', async () => {
  const page = await client.getUsers({ size: 10, sort: 'email:desc' })
  const emails = page.data.map((u) => u.email)
  assert.deepEqual(emails, [...emails].sort().reverse())
})

test('getContract and updateContract', async () => {
  assert.equal((await client.getContract({ idContract: '2' })).name, 'name 2')
  assert.equal((await client.updateContract({ idContract: '3', body: { name: 'Renewal 2027' } })).name, 'Renewal 2027')
  assert.equal((await client.getContract({ idContract: '3' })).name, 'Renewal 2027')
})

test('getAudit and getWorkflowActionExecutions', async () => {
  assert.equal((await client.getAudit({ size: 2 })).data.length, 2)
  assert.equal((await client.getWorkflowActionExecutions({ size: 5 })).total, 10)
})

test('getFileUploadUrl points at the presigned target', async () => {
  const target = await client.getFileUploadUrl()
  assert.ok(target.url.startsWith(`${mock.url}/_mock/uploads/`))
})

test('getParsingRequest and updateParsingManual', async () => {
  assert.equal((await client.getParsingRequest({ id: '2' })).id, '2')
  await assert.rejects(client.getParsingRequest({ id: 'nope' }), toriihq.NotFoundError)
  const answer = await client.updateParsingManual({ body: { fileId: 'f1', mappings: [{ sourceColumn: 'A', targetField: 'amount' }] } })
  assert.ok(answer.id)
})

test('syncCustomIntegration is recorded', async () => {
  await client.syncCustomIntegration({ body: { appName: 'Payroll', users: [{ email: 'ada@example.com' }] } })
  const recorded = await mock.admin('GET', 'collection?path=/services/sync/custom')
  assert.equal(recorded[0].appName, 'Payroll')
})

test('SCIM users: create, list, get, patch, delete', async () => {
  const created = await client.createScimUser({ body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', active: true } })
  const listed = await client.listScimUsers({ filter: 'userName eq "ada@example.com"' })
  assert.equal(listed.totalResults, 1)
  assert.equal((await client.getScimUser({ idUser: created.id })).userName, 'ada@example.com')
  const patched = await client.patchScimUser({
    idUser: created.id,
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
  })
  assert.equal(patched.active, false)
  assert.equal(await client.deleteScimUser({ idUser: created.id }), null)
  await assert.rejects(client.getScimUser({ idUser: created.id }), toriihq.NotFoundError)
})

test('uploadFile from a path and from a Buffer; over 3 MiB refused unsent', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toriihq-'))
  const file = path.join(dir, 'users.json')
  fs.writeFileSync(file, '{"users":[]}')
  assert.ok((await client.uploadFile({ file })).id)
  assert.ok((await client.uploadFile({ file: Buffer.from('a,b\n1,2\n') })).id)
  const files = await mock.admin('GET', 'collection?path=/files')
  assert.deepEqual(files.map((f) => f.fileName), ['users.json', 'upload'])
  await mock.admin('DELETE', 'requests')
  const big = Buffer.alloc(toriihq.MAX_UPLOAD_BYTES + 1, 120)
  await assert.rejects(client.uploadFile({ file: big }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'file')
  fs.writeFileSync(file, big)
  await assert.rejects(client.uploadFile({ file }), toriihq.InvalidArgumentError)
  assert.deepEqual(await mock.requests('/files/upload'), [])
})
