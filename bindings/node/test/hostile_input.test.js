'use strict'
// Input a hostile or careless caller gives: ids that try to leave their path segment (proved for arbitrary text
// against a server that records the request line as it arrived), bodies that are not what the operation takes,
// values that contain themselves or nest without end, files that are not files. Each is a typed error naming the
// argument before anything is sent, or sent exactly as it should be.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const net = require('node:net')
const path = require('node:path')
const { execFileSync, spawnSync } = require('node:child_process')
const fc = require('fast-check')
const toriihq = require('..')
const { useMock, scratchDir, KEY } = require('./helpers.js')

let mock
let client
useMock((started) => ({ mock, client } = started))

/** Keeps each request's head as it arrived, byte for byte, and answers `200 {}`. */
function recordingServer() {
  const heads = []
  const sockets = new Set()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = buffer.subarray(0, end).toString('latin1')
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
        if (buffer.length < end + 4 + length) return
        buffer = buffer.subarray(end + 4 + length)
        heads.push(head)
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}')
      }
    })
    socket.on('error', () => {})
  })
  return {
    start: () => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))),
    // The client keeps its connection for its pool's idle time (90 s): closed here, the file ends when its tests do.
    stop: () => {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
    takeRequestLines: () => heads.splice(0).map((head) => head.split('\r\n')[0]),
  }
}

const recorder = recordingServer()
let recorded
before(async () => {
  recorded = new toriihq.Client({ apiKey: KEY, baseUrl: await recorder.start(), maxRetries: 0 })
})
after(() => recorder.stop())

test('a backslash traversal stays inside the plugin path', async () => {
  await recorded.deletePlugin({ uuidPlugin: '..\\..\\admin' })
  await recorded.createPluginApiKey({ uuidPlugin: '..\\..\\admin' })
  assert.deepEqual(recorder.takeRequestLines(), [
    'DELETE /plugins/..%5C..%5Cadmin HTTP/1.1',
    'POST /plugins/..%5C..%5Cadmin/apikey HTTP/1.1',
  ])
})

const hostilePiece = fc.constantFrom('.', '..', '\\', '/', '%2e', '%2F', '%5c', '%', '?', '#', '\r\n', 'admin', ';', ' ')

test('any id is one segment of the path, or refused', async () => {
  const id = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.oneof(hostilePiece, fc.string({ unit: 'grapheme', maxLength: 1 })), { maxLength: 10 }).map((parts) => parts.join('')))
  await fc.assert(
    fc.asyncProperty(id, async (plugin) => {
      if (plugin === '' || plugin === '.' || plugin === '..') {
        await assert.rejects(recorded.deletePlugin({ uuidPlugin: plugin }), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'uuid_plugin')
        assert.deepEqual(recorder.takeRequestLines(), [])
        return
      }
      await recorded.deletePlugin({ uuidPlugin: plugin })
      const [line, ...more] = recorder.takeRequestLines()
      assert.deepEqual(more, [])
      const [method, target, version] = line.split(' ')
      assert.equal(method, 'DELETE')
      assert.equal(version, 'HTTP/1.1')
      const segments = target.split('/')
      assert.deepEqual(segments.slice(0, 2), ['', 'plugins'], target)
      assert.equal(segments.length, 3, target)
      assert.match(segments[2], /^[A-Za-z0-9\-._~%]*$/, target)
      assert.equal(Buffer.from(decodeURIComponentBytes(segments[2])).toString('utf8'), Buffer.from(plugin, 'utf8').toString('utf8'))
    }),
    { numRuns: 300 },
  )
})

/** The bytes a percent-encoded segment stands for (`decodeURIComponent` refuses lone surrogates' replacement). */
function decodeURIComponentBytes(segment) {
  const bytes = []
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '%') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      bytes.push(segment.charCodeAt(i))
    }
  }
  return bytes
}

for (const [body, named] of [[42, 'a number'], ['rename', 'a string'], [[{ name: 'x' }], 'a list'], [true, 'true or false'], [4.5, 'a number']]) {
  test(`a body that is ${named} is refused before sending`, async () => {
    await assert.rejects(client.updateContract({ idContract: 1, body }), (e) => e instanceof toriihq.ArgumentTypeError && e.argument === 'body' && e.message.includes(`must be an object, not ${named}`))
    assert.deepEqual(await mock.requests(), [])
  })
}

function cycle() {
  const body = { name: 'loop' }
  body.self = body
  return body
}

function nested(depth, wrap) {
  let value = []
  for (let i = 0; i < depth; i++) value = wrap(value)
  return value
}

for (const [name, body, prefix, says] of [
  ['a cycle', cycle(), 'body.self', 'contains itself'],
  ['a cycle in a list', { name: 'x', items: [cycle()] }, 'body.items[0].self', 'contains itself'],
  ['200 levels', { name: 'x', deep: nested(200, (v) => [v]) }, 'body.deep[0][0]', 'deeper than 127'],
  ['100,000 levels of lists', { name: 'x', deep: nested(100_000, (v) => [v]) }, 'body.deep[0][0]', 'deeper than 127'],
  ['100,000 levels of objects', { name: 'x', deep: nested(100_000, (v) => ({ a: v })) }, 'body.deep.a.a', 'deeper than 127'],
]) {
  test(`${name}: a typed error naming the path, not a RangeError`, async () => {
    await assert.rejects(client.updateContract({ idContract: 1, body }), (e) => {
      assert.ok(e instanceof toriihq.ArgumentTypeError, `${e}`)
      assert.ok(e.argument.startsWith(prefix), e.argument)
      assert.ok(e.message.includes(says), e.message)
      return true
    })
    assert.deepEqual(await mock.requests(), [])
  })
}

function fifo() {
  const dir = scratchDir('toriihq-fifo-')
  const pipe = path.join(dir, 'pipe')
  execFileSync('mkfifo', [pipe])
  return pipe
}

test('a named pipe is refused at once by every file argument', async () => {
  const pipe = fifo()
  for (const call of [
    () => client.validateCustomIntegration({ file: pipe }),
    () => client.syncCustomIntegrationData({ idAppAccount: 1, file: pipe }),
    () => client.upload({ file: pipe, fileType: 'attachment' }),
    () => client.uploadFile({ file: pipe, type: 'attachment' }),
  ]) {
    await assert.rejects(call(), (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'file' && e.message.includes('named pipe'))
  }
  assert.deepEqual(await mock.requests(), [])
})

test('a process that met a named pipe, or aborted a call on one, exits by itself', () => {
  const script = `
    const { Client } = require(${JSON.stringify(path.join(__dirname, '..'))})
    const client = new Client({ apiKey: 'k', baseUrl: process.argv[1], maxRetries: 0 })
    const pipe = process.argv[2]
    Promise.allSettled([
      client.validateCustomIntegration({ file: pipe }),
      client.syncCustomIntegrationData({ idAppAccount: 1, file: pipe }, { signal: AbortSignal.timeout(1) }),
    ]).then((outcomes) => console.log(outcomes.map((o) => o.reason?.constructor.name).join(' ')))`
  const done = spawnSync('node', ['-e', script, mock.url, fifo()], { encoding: 'utf8', timeout: 30_000 })
  assert.equal(done.status, 0, done.stderr)
  assert.match(done.stdout, /^InvalidArgumentError (InvalidArgumentError|APIUserAbortError)\n$/)
})

test('the raw download follows its documented redirect, without the key', async () => {
  const { id } = await client.upload({ file: Buffer.alloc(10_000, 'x'), fileType: 'attachment' })
  const data = await client.downloadFile({ id })
  assert.ok(Buffer.isBuffer(data) && data.equals(Buffer.alloc(10_000, 'x')))
  assert.ok(data.equals(await client.download({ id })))
  const storage = (await mock.requests()).filter((r) => r.path.startsWith('/_storage/files/'))
  assert.equal(storage.length, 2)
  assert.ok(storage.every((r) => r.headers.every(([name]) => name !== 'authorization')))
})
