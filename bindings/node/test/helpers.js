'use strict'
// One toriihq-mock per test file, on a port the OS picks; reset before each test.

const { spawn } = require('node:child_process')
const path = require('node:path')
const readline = require('node:readline')

const ROOT = path.resolve(__dirname, '..', '..', '..')
const KEY = 'node-test-key-SECRET-0123'

async function startMock(seed = 'apps=500,contracts=5,users=30', key = KEY) {
  const binary = process.env.TORIIHQ_MOCK_BIN || path.join(ROOT, 'target', 'debug', 'toriihq-mock')
  const child = spawn(binary, ['--port', '0', '--api-key', key, '--seed', seed], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve)
    child.once('error', reject)
  })
  if (!line.startsWith('listening on ')) throw new Error(`the mock said ${line}`)
  const url = line.slice('listening on '.length)
  const admin = async (method, route, body) => {
    const answer = await fetch(`${url}/_mock/${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await answer.text()
    return text ? JSON.parse(text) : null
  }
  return {
    url,
    key,
    admin,
    fault: (fault) => admin('POST', 'faults', fault),
    reset: () => admin('POST', 'reset'),
    requests: async (route) => (await admin('GET', 'requests')).filter((r) => route === undefined || r.path === route),
    query: (request) => Object.fromEntries(request.query),
    stop: () => child.kill(),
  }
}

/**
 * A mock for the whole test file and a client on it (no retries), reset before each test; `started` receives
 * both once they are up.
 */
function useMock(started) {
  const { before, after, beforeEach } = require('node:test')
  const { Client } = require('..')
  let mock
  before(async () => {
    mock = await startMock()
    started({ mock, client: new Client({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0 }) })
  })
  after(() => mock.stop())
  beforeEach(() => mock.reset())
}

/** A new folder under the system's temporary one, removed when the test process exits, passed or failed. */
function scratchDir(prefix) {
  const fs = require('node:fs')
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), prefix))
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

module.exports = { startMock, useMock, scratchDir, KEY, ROOT }
