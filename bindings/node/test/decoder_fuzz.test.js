'use strict'
// The Node package's decoding of answers (the core's checks, then JSON.parse) against a strict reference — UTF-8
// decoded fatally, BOM kept, then JSON.parse — on real pages mutated byte by byte and on random JSON, served by a
// loopback server: the same verdict and value, a typed error otherwise, no crash. Seeded, so a failure repeats;
// TORIIHQ_FUZZ_CASES sets how many (`cargo xtask fuzz` runs many more than CI).

const assert = require('node:assert')
const http = require('node:http')
const { after, before, test } = require('node:test')
const { APIResponseValidationError, Client, ToriiError } = require('..')

const CASES = Number(process.env.TORIIHQ_FUZZ_CASES ?? 1500)
const PAGE = Buffer.from(
  '{"users":[{"id":1,"email":"ada@example.com","firstName":"Ada \\u00e9","score":-1.5e3,"tags":["a",null,true]},' +
    '{"id":2,"email":"grace@example.com","additionalEmails":[],"nested":{"deep":[[1,2],[3]]}}],' +
    '"nextCursor":"Mg==","count":2,"total":30}',
)
const GRAMMAR = Buffer.from('{}[]":,\\ 0123456789.eE+-tfnul')

function seeded(seed) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, below: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)] }
}

function mutate(rng, body) {
  const data = [...body]
  for (let n = 1 + rng.below(5); n > 0; n--) {
    const at = rng.below(data.length + 1)
    const byte = rng.next() < 0.7 ? rng.pick(GRAMMAR) : rng.below(256)
    const kind = rng.below(4)
    if (kind === 0 && data.length) data[at % data.length] = byte
    else if (kind === 1) data.splice(at, 0, byte)
    else if (kind === 2) data.splice(at, 1 + rng.below(15))
    else data.splice(at, 0, ...data.slice(at, at + 1 + rng.below(31)))
  }
  return Buffer.from(data)
}

function randomJson(rng, depth = 0) {
  const kind = rng.below(depth < 4 ? 7 : 5)
  if (kind === 0) return null
  if (kind === 1) return rng.next() < 0.5
  if (kind === 2) return rng.below(2001) - 1000
  if (kind === 3) return (rng.next() - 0.5) * 2e12
  if (kind === 4) return Array.from({ length: rng.below(8) }, () => rng.pick(['a', 'b', '"', '\\', 'é', '\u2028', ' ', '/'])).join('')
  if (kind === 5) return Array.from({ length: rng.below(5) }, () => randomJson(rng, depth + 1))
  return Object.fromEntries(Array.from({ length: rng.below(5) }, (_, i) => [`k${i}${rng.pick(['', 'é', '"'])}`, randomJson(rng, depth + 1)]))
}

function reference(body) {
  try {
    return { valid: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body)) }
  } catch {
    return { valid: false }
  }
}

let server
let answer = Buffer.alloc(0)
let client

before(async () => {
  server = http.createServer((request, response) => {
    request.resume()
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length })
    response.end(answer)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  client = new Client({ apiKey: 'fuzz-key', baseUrl: `http://127.0.0.1:${server.address().port}`, maxRetries: 0 })
})

after(() => server.close())

function bodies(seed) {
  const rng = seeded(seed)
  return Array.from({ length: CASES }, (_, i) => (i % 3 === 2 ? Buffer.from(JSON.stringify(randomJson(rng))) : mutate(rng, PAGE)))
}

test(`a call decodes ${CASES} mutated and random bodies as a strict JSON.parse does`, async () => {
  let valid = 0
  for (const [i, body] of bodies(1).entries()) {
    answer = body
    const expected = reference(body)
    let got
    try {
      got = { valid: true, value: await client.getContract({ idContract: 1 }) }
    } catch (error) {
      assert.ok(error instanceof APIResponseValidationError, `case ${i} (${JSON.stringify(body.toString('latin1'))}): ${error}`)
      got = { valid: false }
    }
    // An empty body is the one valid answer a strict parser refuses: the package reads it as "no content".
    if (body.length === 0) assert.deepStrictEqual(got, { valid: true, value: null })
    else assert.deepStrictEqual(got, expected, `case ${i}: ${JSON.stringify(body.toString('latin1'))}`)
    valid += expected.valid
  }
  assert.ok(valid > CASES / 4 && valid < CASES, `${valid} of ${CASES} bodies were valid JSON: the mutations are too tame or too wild`)
})

test(`iterating ${CASES} mutated pages yields their users or a typed error`, async () => {
  let yielded = 0
  for (const [i, body] of bodies(2).entries()) {
    answer = body
    const expected = reference(body)
    const users = []
    try {
      for await (const user of client.getUsersIter()) users.push(user)
    } catch (error) {
      // The same body answers every request, so a page naming a cursor is followed by itself once, then refused.
      assert.ok(error instanceof ToriiError, `case ${i} (${JSON.stringify(body.toString('latin1'))}): ${error}`)
      continue
    }
    assert.ok(expected.valid, `case ${i}: a body that is not JSON yielded ${users.length} users`)
    const page = expected.value
    assert.deepStrictEqual(users, Array.isArray(page?.users) ? page.users : [], `case ${i}`)
    yielded += users.length
  }
  assert.ok(yielded > 0, 'no mutated page yielded a user')
})
