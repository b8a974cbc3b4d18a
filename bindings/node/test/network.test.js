'use strict'
// Corporate networks on loopback: a proxy sees every call when the client is given one, and a TLS server signed by
// a private CA (made for the run by `cargo xtask test`, folder in TORIIHQ_TEST_TLS) is reached only with that CA.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const http = require('node:http')
const https = require('node:https')
const path = require('node:path')
const toriihq = require('..')
const { useMock, KEY } = require('./helpers.js')

let mock
useMock((started) => ({ mock } = started))

let proxy
const seen = []
before(async () => {
  // Plain http through a proxy names the whole URL in the request line; this one passes it on.
  proxy = http.createServer(async (request, response) => {
    seen.push(`${request.method} ${request.url}`)
    const answer = await fetch(request.url, { headers: { authorization: request.headers.authorization } })
    const body = Buffer.from(await answer.arrayBuffer())
    response.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': body.length })
    response.end(body)
  })
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve))
})
after(() => proxy.close())

test('every call goes through the proxy', async () => {
  const client = new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0, proxy: `http://user:pr0xy-secret@127.0.0.1:${proxy.address().port}` })
  assert.equal((await client.getContract({ idContract: 1 })).contract.id, 1)
  assert.deepEqual(seen, [`GET ${mock.url}/contracts/1`])
})

test('a bad proxy or CA bundle is named', () => {
  assert.throws(
    () => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, proxy: 'not a url:pr0xy-secret' }),
    (e) => e instanceof toriihq.InvalidArgumentError && e.argument === 'proxy' && !e.message.includes('pr0xy-secret'),
  )
  assert.throws(() => new toriihq.Client({ apiKey: KEY, baseUrl: mock.url, caBundle: '/nonexistent/ca.pem' }), (e) => e instanceof toriihq.ConfigurationError && e.message.includes('/nonexistent/ca.pem'))
})

test('a server signed by a private CA is reached only with that CA', async (t) => {
  const folder = process.env.TORIIHQ_TEST_TLS || path.resolve(__dirname, '..', '..', '..', 'target', 'test-tls')
  const ca = path.join(folder, 'ca.pem')
  assert.ok(fs.existsSync(ca), `no test CA in ${folder}: run the tests with \`cargo xtask test node\`, which makes one`)
  const server = https.createServer(
    { cert: fs.readFileSync(path.join(folder, 'server.pem')), key: fs.readFileSync(path.join(folder, 'server-key.pem')) },
    (request, response) => {
      const body = JSON.stringify({ contract: { id: 1 } })
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      response.end(body)
    },
  )
  server.on('tlsClientError', () => {}) // the refused handshake is the point, not news
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const baseUrl = `https://localhost:${server.address().port}`
  const saved = process.env.SSL_CERT_FILE
  delete process.env.SSL_CERT_FILE
  try {
    await assert.rejects(new toriihq.Client({ apiKey: KEY, baseUrl, maxRetries: 0 }).getContract({ idContract: 1 }), toriihq.APIConnectionError)
  } finally {
    if (saved !== undefined) process.env.SSL_CERT_FILE = saved
  }
  const client = new toriihq.Client({ apiKey: KEY, baseUrl, maxRetries: 0, caBundle: ca })
  assert.equal((await client.getContract({ idContract: 1 })).contract.id, 1)
})
