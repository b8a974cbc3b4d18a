'use strict'
// The file workflows and the custom-integration sync from Node: which way a file goes, progress, Buffers,
// downloads, and the typed errors of a bad file and a running sync.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const toriihq = require('..')
const { useMock, scratchDir, ROOT } = require('./helpers.js')

const MIB = 1024 * 1024
const EXAMPLES = path.join(ROOT, 'spec', 'custom-integration', 'examples')
let mock
let client
useMock((started) => ({ mock, client } = started))

function pattern(size) {
  return Buffer.alloc(size, Buffer.from(Array.from({ length: 251 }, (_, i) => (i * 31) % 251)))
}

function scratch(name, bytes) {
  const dir = scratchDir('toriihq-node-files-')
  const file = path.join(dir, name)
  fs.writeFileSync(file, bytes)
  return file
}

async function steps() {
  const log = await mock.requests()
  return log.map((r) => [r.method, r.path.split('/upload-')[0], r.headers.some(([name]) => name === 'authorization')])
}

test('a 5 MB file goes the three-step way with progress and no key on the PUT', async () => {
  const data = pattern(5 * MIB)
  const file = scratch('expenses.csv', data)
  const seen = []
  const uploaded = await client.upload({ file, fileType: 'expenseReport' }, { onProgress: (sent, total) => seen.push([sent, total]) })
  assert.deepEqual(await steps(), [['GET', '/files/url', true], ['PUT', '/_storage/uploads', false], ['POST', '/files', true]])
  assert.equal((await mock.admin('GET', `files/${uploaded.id}`)).size, data.length)
  assert.deepEqual(seen.at(-1), [data.length, data.length])
  assert.ok(seen.length > 2 && seen.every((s, i) => i === 0 || seen[i - 1][0] < s[0]))
  const back = await client.download({ id: uploaded.id })
  assert.ok(Buffer.isBuffer(back) && back.equals(data))
})

test('a 2 MB Buffer goes in one request and downloads to a path', async () => {
  const data = pattern(2 * MIB)
  const uploaded = await client.upload({ file: data, fileType: 'attachment' })
  assert.deepEqual((await steps()).map(([m, p]) => `${m} ${p}`), ['POST /files/upload'])
  const target = path.join(path.dirname(scratch('x', '')), 'back.bin')
  assert.deepEqual(await client.downloadTo({ id: uploaded.id, path: target }), { path: target, size: data.length })
  assert.ok(fs.readFileSync(target).equals(data))
})

test('wrong arguments are typed errors before any request', async () => {
  await assert.rejects(client.upload({ file: 12345, fileType: 'attachment' }), toriihq.ArgumentTypeError)
  await assert.rejects(client.upload({ file: Buffer.from('x'), fileType: 'attachment' }, { onProgress: 5 }), toriihq.ArgumentTypeError)
  await assert.rejects(client.upload({ file: Buffer.from('x'), fileType: 'contract' }), (error) => error instanceof toriihq.InvalidArgumentError && error.argument === 'file_type')
  await assert.rejects(client.upload({ file: '/no/such/file.csv', fileType: 'attachment' }), toriihq.InvalidArgumentError)
  assert.deepEqual(await mock.requests(), [])
})

test('a bad file rejects with every problem before any request', async () => {
  const error = await client.syncCustomIntegrationData({ idAppAccount: 7, file: path.join(EXAMPLES, 'six-problems.json') }).catch((e) => e)
  assert.ok(error instanceof toriihq.InvalidFileError && error instanceof RangeError, String(error))
  assert.equal(error.kind, 'invalid_file')
  assert.deepEqual(error.problems.map((p) => p.path), ['users[1].email', 'users[2].email', 'users[2].status', 'users[3].email', 'users[3].lastUsedDate', 'licenses[0].pricePerUser'])
  assert.deepEqual(await mock.requests(), [])
  const report = await client.validateCustomIntegration({ users: [{ email: 'ada@example.com' }, { email: 'ADA@example.com' }] })
  assert.deepEqual(report.errors.map((p) => p.path), ['users[1].email'])
})

test('a running sync is a conflict and waiting outlasts it', async () => {
  const users = [{ email: 'ada@example.com', status: 'active' }]
  const first = await client.syncCustomIntegrationData({ idAppAccount: 7, users })
  assert.ok(first.success)
  await assert.rejects(client.syncCustomIntegrationData({ idAppAccount: 7, users }), (error) => error instanceof toriihq.SyncInProgressError && error instanceof toriihq.ConflictError && error.status === 409)
  assert.ok((await client.syncCustomIntegrationData({ idAppAccount: 7, users, waitSeconds: 10 })).success)
})
