'use strict'
// A proxy on loopback sees every call when the client is given one (the TLS side is tested in Rust: the core).

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
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
