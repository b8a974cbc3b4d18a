'use strict'
// toriihq/testing: a local Torii for your own tests — the mock the SDK is tested against, inside this process.
//   const { startMock } = require('toriihq/testing')
//   const mock = await startMock({ seed: 'users=3' })
//   const client = mock.client()
//   await mock.fault({ path: '/users/{idUser}', kind: 'status', status: 503 })   // the next matching request fails
//   ...
//   mock.stop()

const { NativeMock } = require('./lib/addon.js')
const { Client } = require('./lib/operations.js')
const errors = require('./lib/errors.js')

/** What a mock holds when not told otherwise: enough of each collection to page through. */
const DEFAULT_SEED = 'apps=20,contracts=5,users=30'

class MockServer {
  #native

  constructor(native, apiKey) {
    this.#native = native
    this.apiKey = apiKey
  }

  /** The base URL to give a client. */
  get url() {
    return this.#native.url
  }

  /** The storage origin, where presigned uploads go and downloads are redirected. */
  get storageUrl() {
    return this.#native.storageUrl
  }

  /** A client of this mock (retries off unless `options.maxRetries` says otherwise). */
  client(options = {}) {
    return new Client({ apiKey: this.apiKey, baseUrl: this.url, maxRetries: 0, ...options })
  }

  async #admin(method, path, body) {
    let answer
    try {
      answer = await this.#native.admin(method, path, body === undefined ? '' : JSON.stringify(body))
    } catch (error) {
      throw errors.translate(error)
    }
    if (answer.status >= 400) {
      throw new errors.ConfigurationError(`the mock refused ${method} /_mock/${path}: ${answer.body}`)
    }
    return answer.body ? JSON.parse(answer.body) : null
  }

  /**
   * Queues a fault for the next matching request: `path` (the spec's template or the path sent), `method`,
   * `times` (default 1) and `kind`: `status` (with `status`, optional `body`, `headers`), `delay` (`delay_ms`),
   * `reset`, `truncate`, `invalid_json`, `wrong_types`.
   */
  async fault(fault) {
    await this.#admin('POST', 'faults', fault)
  }

  async clearFaults() {
    await this.#admin('DELETE', 'faults')
  }

  /** What the mock received (the last 10,000), oldest first; only those to `path` when given. */
  async requests(path) {
    const log = await this.#admin('GET', 'requests')
    return log.filter((request) => path === undefined || request.path === path)
  }

  async clearRequests() {
    await this.#admin('DELETE', 'requests')
  }

  /** Writes answered with success, counted by method and path (`{ 'PUT /users/17': 1 }`). */
  writes() {
    return this.#admin('GET', 'writes')
  }

  /** State back to the seed; faults and the request log cleared. */
  async reset() {
    await this.#admin('POST', 'reset')
  }

  /** The stored items of a collection (`'/contracts'`, `'/scim/v2/Users'`). */
  collection(path) {
    return this.#admin('GET', `collection?path=${encodeURIComponent(path)}`)
  }

  /** A stored file: `name`, `size`, `sha256`, whether its bytes were kept. */
  file(id) {
    return this.#admin('GET', `files/${id}`)
  }

  stop() {
    this.#native.stop()
  }
}

/**
 * Starts a mock on 127.0.0.1 and a port the OS picks. `seed` is items per collection (`'apps=500,users=100000'`,
 * or `'none'`); `rateLimit` (`'100/min'`) answers 429 beyond it, per operation; `syncSeconds` is how long a
 * custom-integration sync runs; `presignedTtl` how long an upload URL lives; `chaos` the percent of requests given
 * a random fault; `timeScale` makes the rate limits' clock run faster (60: a minute lasts a second).
 */
async function startMock(settings = {}) {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new errors.ArgumentTypeError('startMock takes an object of settings', { argument: 'settings' })
  }
  const { apiKey = 'toriihq-mock-key', seed = DEFAULT_SEED, ...rest } = settings
  try {
    return new MockServer(await NativeMock.start(JSON.stringify({ apiKey, seed, ...rest })), apiKey)
  } catch (error) {
    throw errors.translate(error)
  }
}

module.exports = { DEFAULT_SEED, MockServer, startMock }
