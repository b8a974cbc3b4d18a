'use strict'
// How the addon hands an error to JavaScript: an Error whose `toriihq` property is the core's detail record, an
// object read by property, never text in the message parsed back.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { NativeClient } = require('../lib/addon.js')
const toriihq = require('..')
const { translate } = require('../lib/errors.js')

const options = JSON.stringify({ apiKey: 'a-key', baseUrl: 'http://127.0.0.1:9' })

test('a call settles as failed with an Error carrying the detail record as an object', async () => {
  const settled = []
  let done
  const settledOnce = new Promise((resolve) => { done = resolve })
  const native = new NativeClient(options, 'test', null, (id, ok, value) => {
    settled.push([id, ok])
    done(value)
  })
  // An id past 2^32: a long-running process gets there, and the answer must come back under the id it was sent with.
  const id = 2 ** 40 + 7
  native.call({ name: 'getContract', params: JSON.stringify({ idContract: 'x' }), options: '', id })
  const error = await settledOnce
  assert.deepEqual(settled, [[id, false]])
  assert.ok(error instanceof Error)
  assert.equal(typeof error.toriihq, 'object')
  assert.equal(error.toriihq.kind, 'invalid_argument')
  assert.equal(error.toriihq.class, 'ArgumentTypeError')
  assert.equal(error.toriihq.argument, 'id_contract')
  assert.equal(error.message, error.toriihq.message)
  assert.doesNotMatch(error.message, /^toriihq-error:/)
  const translated = translate(error)
  assert.ok(translated instanceof toriihq.ArgumentTypeError)
  assert.equal(translated.argument, 'id_contract')
})

test('a synchronous method throws the same Error, and a foreign error passes through untouched', () => {
  assert.throws(
    () => new NativeClient(JSON.stringify({ apiKey: 'a-key', maxRetries: 'many' }), 'test', null, () => {}),
    (e) => e instanceof Error && e.toriihq.kind === 'invalid_argument' && typeof e.toriihq.message === 'string',
  )
  const foreign = new TypeError('not ours')
  assert.equal(translate(foreign), foreign)
  const lookalike = Object.assign(new Error('x'), { toriihq: 'a string, not a record' })
  assert.equal(translate(lookalike), lookalike)
})
