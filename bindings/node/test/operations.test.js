'use strict'
// The real API's operations through the Node client, against the mock: envelopes, wrapped objects, integer
// ids, custom fields. (All 60 are called by tests/scenarios/every_operation.json, run by scenarios.test.js.)

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const toriihq = require('..')
const { useMock, scratchDir, KEY } = require('./helpers.js')

let mock
let client
useMock((started) => ({ mock, client } = started))

test('getApps reads the real page', async () => {
  const page = await client.getApps({ size: 3, fields: 'id,name,primaryOwner' })
  assert.deepEqual(page.apps.map((a) => a.id), [1, 2, 3])
  assert.deepEqual(Object.keys(page.apps[0]).sort(), ['id', 'name', 'primaryOwner'])
  assert.ok(page.apps[0].primaryOwner.email)
  assert.equal(page.total, 500)
  assert.ok(page.nextCursor)
  assert.deepEqual(mock.query((await mock.requests('/apps'))[0]), { size: '3', fields: 'id,name,primaryOwner' })
  const managed = await client.getApps({ size: 1000, extraQuery: { state: 'Discovered 2' } })
  assert.equal(managed.total, 100)
})

test('metadata lists search with q', async () => {
  assert.ok((await client.getAppsMetadata({ q: 'Department' })).predefinedFields.length > 0)
  assert.ok(Array.isArray((await client.getUsersMetadata()).customFields))
  assert.ok(Array.isArray((await client.getContractsMetadata()).predefinedFields))
})

test('getUsers sorts', async () => {
  const page = await client.getUsers({ size: 10, sort: 'email:desc' })
  const emails = page.users.map((u) => u.email)
  assert.deepEqual(emails, [...emails].sort().reverse())
})

test('a contract is wrapped, takes custom fields, and its id is an integer', async () => {
  assert.equal((await client.getContract({ idContract: 2 })).contract.id, 2)
  const updated = await client.updateContract({ idContract: 3, body: { name: 'Renewal 2027', renewalOwner: 'ada@example.com' } })
  assert.equal(updated.contract.name, 'Renewal 2027')
  assert.equal((await client.getContract({ idContract: 3 })).contract.renewalOwner, 'ada@example.com')
  await assert.rejects(client.getContract({ idContract: 'two' }), (e) => e instanceof toriihq.ArgumentTypeError && /idContract|id_contract/.test(e.message))
  assert.deepEqual(await mock.requests('/contracts/two'), [])
})

test('offboarding a user', async () => {
  assert.equal((await client.updateUser({ idUser: 1, body: { lifecycleStatus: 'offboarding' } })).user.lifecycleStatus, 'offboarding')
  const apps = (await client.listUserApps({ idUser: 1 })).apps
  const removed = await client.updateUserApp({ idUser: 1, idApp: apps[0].id, body: { isUserRemovedFromApp: true } })
  assert.equal(removed.app.isUserRemovedFromApp, true)
})

test('the audit log and action executions page by cursor', async () => {
  const audit = await client.getAudit({ size: 2 })
  assert.equal(audit.audit.length, 2)
  assert.ok(audit.nextCursor)
  assert.equal((await client.getWorkflowActionExecutions({ size: 5 })).total, 10)
  let executions = 0
  for await (const execution of client.getWorkflowActionExecutionsIter({ size: 3 })) executions += execution.id ? 1 : 0
  assert.equal(executions, 10)
  let edits = 0
  for await (const edit of client.getWorkflowAuditIter({ limit: 4 })) edits += edit.type ? 1 : 0
  assert.equal(edits, 10)
})

test('getFileUploadUrl needs a name and a content type', async () => {
  const target = (await client.getFileUploadUrl({ name: 'big.csv', type: 'text/csv' })).uploadFileParameters
  // The presigned URL is on the storage origin (another port of the mock, as S3 is another host).
  assert.ok(target.url.includes('/_storage/uploads/') && !target.url.startsWith(mock.url), target.url)
  assert.ok(target.filePath.endsWith('/big.csv'))
})

test('parsings take a parse config', async () => {
  const parseConfig = { idFile: 1, transactionDateColumn: 'A', descriptionColumn: 'B', amountColumn: 'C', dateFormat: 'DD/MM/YYYY', currency: 'USD' }
  const answer = await client.updateParsingManual({ body: { parseConfig } })
  assert.equal((await client.getParsingRequest({ id: answer.id })).parse.id, answer.id)
  await assert.rejects(client.getParsingRequest({ id: 999 }), toriihq.NotFoundError)
})

test('syncCustomIntegration is a PUT of file and account', async () => {
  const uploaded = await client.uploadFile({ file: Buffer.from('{"users": [{"email": "ada@example.com"}]}'), type: 'customIntegrationData' })
  assert.deepEqual(await client.syncCustomIntegration({ body: { idFile: uploaded.id, idAppAccount: 2 } }), { success: true })
  assert.equal((await mock.requests('/services/sync/custom'))[0].method, 'PUT')
})

test('SCIM users: create, list, get, patch, delete', async () => {
  const created = await client.createScimUser({ body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', active: true } })
  const idUser = Number(created.id)
  const listed = await client.listScimUsers({ filter: 'userName eq "ada@example.com"' })
  assert.equal(listed.totalResults, 1)
  assert.equal((await client.getScimUser({ idUser })).userName, 'ada@example.com')
  await client.patchScimUser({
    idUser,
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
  })
  assert.equal((await client.getScimUser({ idUser })).active, false)
  assert.equal(await client.deleteScimUser({ idUser }), null)
  await assert.rejects(client.getScimUser({ idUser }), toriihq.NotFoundError)
})

test('uploadFile from a path and from a Buffer, with its type; over 3 MiB or a wrong type refused unsent', async () => {
  const dir = scratchDir('toriihq-upload-')
  const file = path.join(dir, 'users.json')
  fs.writeFileSync(file, '{"users":[]}')
  assert.equal(typeof (await client.uploadFile({ file, type: 'customIntegrationData' })).id, 'number')
  assert.ok((await client.uploadFile({ file: Buffer.from('a,b\n1,2\n'), type: 'expenseReport' })).id)
  assert.equal((await mock.requests('/files/upload')).length, 2)
  await mock.admin('DELETE', 'requests')
  await assert.rejects(client.uploadFile({ file, type: 'contract' }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'type')
  const big = Buffer.alloc(toriihq.MAX_UPLOAD_BYTES + 1, 120)
  await assert.rejects(client.uploadFile({ file: big, type: 'attachment' }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'file')
  fs.writeFileSync(file, big)
  await assert.rejects(client.uploadFile({ file, type: 'attachment' }), toriihq.InvalidArgumentError)
  assert.deepEqual(await mock.requests('/files/upload'), [])
})
