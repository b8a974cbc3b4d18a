'use strict'
// The cross-language scenarios in tests/scenarios/*.json, with the Node client.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const toriihq = require('..')
const { startMock, ROOT } = require('./helpers.js')

const DIR = path.join(ROOT, 'tests', 'scenarios')
// The classes each kind is thrown as, from the core's error catalogue.
const { CLASSES_BY_KIND } = require('../lib/errors.js')

/**
 * A path relative to the scenarios folder, `{generate: N}`: N bytes written for the run (byte i is i*31 mod 251),
 * or `{fifo: true}`: a named pipe no one writes to.
 */
function fileArgument(file, dir) {
  if (typeof file === 'string') return path.join(DIR, file)
  if (file.fifo) {
    const pipe = path.join(dir, 'named-pipe')
    if (!fs.existsSync(pipe)) execFileSync('mkfifo', [pipe])
    return pipe
  }
  const size = file.generate
  const period = Buffer.from(Array.from({ length: 251 }, (_, i) => (i * 31) % 251))
  const target = path.join(dir, `generated-${size}.bin`)
  fs.writeFileSync(target, Buffer.alloc(size, period))
  return target
}

function contains(actual, wanted, at = 'body') {
  if (wanted !== null && typeof wanted === 'object' && !Array.isArray(wanted)) {
    assert.ok(actual !== null && typeof actual === 'object', `${at} is ${JSON.stringify(actual)}`)
    for (const [key, value] of Object.entries(wanted)) {
      assert.ok(key in actual, `${at}.${key} is missing`)
      contains(actual[key], value, `${at}.${key}`)
    }
  } else if (Array.isArray(wanted)) {
    assert.ok(Array.isArray(actual) && actual.length >= wanted.length, `${at} is ${JSON.stringify(actual)}`)
    wanted.forEach((w, i) => contains(actual[i], w, `${at}[${i}]`))
  } else {
    assert.deepEqual(actual, wanted, at)
  }
}

/** The counts by status, and the error kind of each key named in `errors`. */
function checkBulk(results, expect, where) {
  for (const status of ['ok', 'failed', 'skipped', 'unknown']) {
    if (expect[status] !== undefined) assert.equal(results.filter((r) => r.status === status).length, expect[status], `${where}: ${status}`)
  }
  for (const [key, kind] of Object.entries(expect.errors ?? {})) {
    assert.equal(results.find((r) => r.key === key)?.error?.kind, kind, `${where}: input ${key}`)
  }
}

for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
  const scenario = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))
  test(`${file}: ${scenario.name}`, async () => {
    const mock = await startMock(scenario.seed ?? '', 'scenario-key')
    const scratch = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'toriihq-scenario-'))
    try {
      const settings = scenario.client ?? {}
      const client = new toriihq.Client({ apiKey: 'scenario-key', baseUrl: mock.url, maxRetries: settings.max_retries ?? 2, apiVersion: settings.api_version })
      let seen = 0
      for (const [index, step] of scenario.steps.entries()) {
        const where = `step ${index}: ${JSON.stringify(step)}`
        if (step.call) {
          const expect = step.expect ?? {}
          const params = { ...(step.params ?? {}) }
          if (params.file !== undefined) params.file = fileArgument(params.file, scratch)
          for (const [key, value] of Object.entries(params)) if (value?.repeat_x !== undefined) params[key] = 'x'.repeat(value.repeat_x)
          const outcome = await client[step.call](params).then((body) => ({ body }), (error) => ({ error }))
          if (expect.error) {
            assert.ok(outcome.error, `${where}: expected ${expect.error}, got ${JSON.stringify(outcome.body)}`)
            if (expect.error === 'invalid_argument') assert.equal(outcome.error.kind, 'invalid_argument', where)
            else assert.ok(CLASSES_BY_KIND[expect.error].some((Class) => outcome.error instanceof Class), `${where}: got ${outcome.error}`)
            if (expect.status) assert.equal(outcome.error.status, expect.status, where)
            if (expect.message_contains) assert.ok(outcome.error.message.includes(expect.message_contains), `${where}: ${outcome.error.message}`)
            if (expect.argument) assert.equal(outcome.error.argument, expect.argument, `${where}: ${outcome.error.message}`)
          } else {
            assert.ok(!outcome.error, `${where}: ${outcome.error}`)
            if ('body' in expect) contains(outcome.body, expect.body)
            if ('length' in expect) assert.ok(Buffer.isBuffer(outcome.body) && outcome.body.length === expect.length, where)
          }
        } else if (step.iterate) {
          const items = []
          for await (const item of client[`${step.iterate}Iter`](step.params ?? {})) items.push(item)
          if (step.expect?.count !== undefined) assert.equal(items.length, step.expect.count, where)
          if (step.expect?.every) items.forEach((item) => contains(item, step.expect.every, 'item'))
        } else if (step.bulk) {
          const journal = step.journal === undefined ? undefined : path.join(scratch, `${step.journal}.jsonl`)
          const results = []
          for await (const result of client.bulk(step.bulk, step.inputs, { key: step.key, concurrency: step.concurrency, journal })) results.push(result)
          checkBulk(results, step.expect ?? {}, where)
        } else if (step.writes) {
          const writes = await mock.admin('GET', 'writes')
          for (const [write, count] of Object.entries(step.writes)) assert.equal(writes[write] ?? 0, count, `${where}: ${write}`)
        } else if (step.fault) {
          await mock.fault(step.fault)
        } else if (step.requests) {
          const log = await mock.requests()
          const fresh = log.slice(seen)
          seen = log.length
          const expect = step.requests
          const matching = fresh.filter((r) => (expect.path === undefined || r.path === expect.path) && r.path.startsWith(expect.path_prefix ?? ''))
          if (expect.without_key) {
            const keyed = matching.filter((r) => r.headers.some(([name]) => name === 'authorization'))
            assert.deepEqual(keyed.map((r) => r.path), [], `${where}: carried the key`)
          }
          if (expect.count !== undefined) assert.equal(matching.length, expect.count, `${where}: ${fresh.map((r) => r.method + ' ' + r.path)}`)
          if (expect.every_query) matching.forEach((r) => contains(mock.query(r), expect.every_query, 'query'))
          if (expect.last) {
            const last = matching.at(-1)
            for (const key of ['method', 'path', 'body']) if (key in expect.last) contains(last[key], expect.last[key], key)
            if (expect.last.query) contains(mock.query(last), expect.last.query, 'query')
          }
        } else {
          assert.fail(`unknown step ${where}`)
        }
      }
    } finally {
      mock.stop()
      fs.rmSync(scratch, { recursive: true, force: true })
    }
  })
}
