'use strict'
// Bulk jobs from Node: results as they end, typed errors per input, onProgress, a journal that resumes, inputs
// pulled only as the job has room, an AbortSignal that stops it, every setting checked before anything is sent.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const toriihq = require('..')
const { useMock } = require('./helpers.js')

let mock
let client
useMock((started) => ({ mock, client } = started))

const offboarding = (ids) => ids.map((idUser) => ({ idUser, body: { lifecycleStatus: 'offboarding' } }))
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function collect(iterable) {
  const all = []
  for await (const item of iterable) all.push(item)
  return all
}

test('each input ends once, with its answer or its typed error, and progress after each', async () => {
  const seen = []
  const inputs = [...offboarding(range(1, 5)), { idUser: 999 }, 'not an object']
  const results = Object.fromEntries((await collect(client.bulk('updateUser', inputs, { key: 'idUser', onProgress: (p) => seen.push(p) }))).map((r) => [r.key, r]))
  assert.deepEqual(Object.keys(results).sort(), ['1', '2', '3', '4', '5', '7', '999'])
  assert.ok(results['3'].ok)
  assert.equal(results['3'].answer.user.lifecycleStatus, 'offboarding')
  assert.ok(results['999'].error instanceof toriihq.NotFoundError)
  assert.ok(results['7'].error instanceof toriihq.ArgumentTypeError)
  assert.deepEqual(await mock.admin('GET', 'writes'), Object.fromEntries(range(1, 5).map((i) => [`PUT /users/${i}`, 1])))
  const last = seen.at(-1)
  assert.deepEqual([last.done, last.failed, last.total, seen.length, last.etaMs], [5, 2, 7, 7, 0])
})

test('a job read from a file resumes from its journal', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toriihq-bulk-'))
  const source = path.join(dir, 'leavers.ndjson')
  fs.writeFileSync(source, offboarding(range(1, 8)).map((line) => JSON.stringify(line)).join('\n'))
  const journal = path.join(dir, 'leavers.jsonl')
  const done = []
  for await (const result of client.bulk('updateUser', null, { fromFile: source, key: 'idUser', journal, concurrency: 2 })) {
    done.push(result.key)
    if (done.length === 3) break
  }
  const again = await collect(client.bulk('updateUser', null, { fromFile: source, key: 'idUser', journal }))
  assert.equal(again.length, 8)
  for (const key of done) assert.equal(again.find((r) => r.key === key).status, 'skipped', key)
  const writes = await mock.admin('GET', 'writes')
  for (const i of range(1, 8)) assert.ok(writes[`PUT /users/${i}`] >= 1 && writes[`PUT /users/${i}`] <= 2, JSON.stringify(writes))
  fs.rmSync(dir, { recursive: true, force: true })
})

test('inputs are pulled only as the job has room, and a signal stops it', async () => {
  let pulled = 0
  function* inputs() {
    for (const item of offboarding(range(1, 30))) {
      pulled += 1
      yield item
    }
  }
  const controller = new AbortController()
  const results = []
  await assert.rejects(async () => {
    for await (const result of client.bulk('updateUser', inputs(), { concurrency: 2, signal: controller.signal })) {
      results.push(result)
      assert.ok(pulled <= 4 + results.length, `${pulled} pulled for ${results.length} results`)
      if (results.length === 2) controller.abort()
    }
  }, toriihq.APIUserAbortError)
  assert.equal(results.length, 2)
})

test('settings are refused before anything is sent', async () => {
  assert.throws(() => client.bulk('updateUser', [], { rate: 'fast' }), (e) => e instanceof toriihq.InvalidArgumentError && /rate/.test(e.message))
  assert.throws(() => client.bulk('updateUser', [], { concurrency: 0 }), (e) => e instanceof toriihq.InvalidArgumentError && /concurrency/.test(e.message))
  assert.throws(() => client.bulk('offboardEveryone', []), toriihq.InvalidArgumentError)
  assert.throws(() => client.bulk('updateUser', [], { fromFile: 'x.csv' }), toriihq.ArgumentTypeError)
  assert.throws(() => client.bulk('updateUser', 42), toriihq.ArgumentTypeError)
  assert.throws(() => client.bulk('updateUser', [], { onProgress: 'yes' }), toriihq.ArgumentTypeError)
  assert.deepEqual(await mock.requests(), [])
})

test('an async iterable feeds a workflow in bulk', async () => {
  async function* emails() {
    for (const email of ['user1@example.com', 'user2@example.com', 'nobody@example.com']) yield { email }
  }
  const results = Object.fromEntries((await collect(client.bulk('offboardUser', emails(), { key: 'email' }))).map((r) => [r.key, r]))
  assert.ok(results['user1@example.com'].ok && results['user2@example.com'].ok)
  assert.ok(results['nobody@example.com'].error instanceof toriihq.NotFoundError)
})
