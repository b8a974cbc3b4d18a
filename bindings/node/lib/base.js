'use strict'
// The plumbing under the generated operations: argument encoding, calls into the native core, decoding.

const util = require('node:util')
const { NativeClient, MAX_UPLOAD_BYTES } = require('../native.js')
const errors = require('./errors.js')

const VERSION = require('../package.json').version
let nextCallId = 1

function encode(params) {
  if (params === undefined || params === null) return '{}'
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new errors.ArgumentTypeError(`params must be an object, not ${Array.isArray(params) ? 'an array' : typeof params}`, { argument: 'params' })
  }
  const present = {}
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    present[key === 'extraQuery' ? 'extra_query' : key] = value
  }
  return JSON.stringify(present)
}

function decode(text) {
  if (text === '') return null
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new errors.APIResponseValidationError(`the response body is not JSON: ${error.message} in body starting ${JSON.stringify(text.slice(0, 80))}`, { kind: 'decode' })
  }
}

class Base {
  #native

  /**
   * @param {{apiKey?: string, baseUrl?: string, apiVersion?: string, timeoutMs?: number, maxRetries?: number}} [options]
   */
  constructor(options = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new errors.ArgumentTypeError('options must be an object', { argument: 'options' })
    }
    const { apiKey, baseUrl, apiVersion, timeoutMs, maxRetries } = options
    for (const [name, value] of Object.entries({ apiKey, baseUrl, apiVersion })) {
      if (value !== undefined && typeof value !== 'string') {
        throw new errors.ArgumentTypeError(`${name} must be a string`, { argument: name })
      }
    }
    if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
      throw new errors.InvalidArgumentError('timeoutMs must be a positive number', { argument: 'timeoutMs' })
    }
    if (maxRetries !== undefined && (!Number.isInteger(maxRetries) || maxRetries < 0)) {
      throw new errors.InvalidArgumentError('maxRetries must be a whole number, 0 or more', { argument: 'maxRetries' })
    }
    try {
      this.#native = new NativeClient({ apiKey, baseUrl, apiVersion, timeoutMs: timeoutMs ?? 60000, maxRetries: maxRetries ?? 2, userAgent: `toriihq-node/${VERSION}` })
    } catch (error) {
      throw errors.translate(error)
    }
  }

  get baseUrl() {
    return this.#native.baseUrl
  }

  async _guarded(options, start) {
    const { signal, timeoutMs } = options ?? {}
    if (signal?.aborted) throw new errors.APIUserAbortError('the request was aborted', { kind: 'aborted' })
    const id = nextCallId++
    const onAbort = () => this.#native.cancel(id)
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      return decode(await start(this.#native, id, timeoutMs))
    } catch (error) {
      throw errors.translate(error)
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }

  async _call(operation, params, options) {
    const body = encode(params)
    return this._guarded(options, (native, id, timeoutMs) => native.call(operation, body, id, timeoutMs))
  }

  async _upload(operation, params, field, options) {
    const file = params?.[field]
    if (typeof file === 'string') return this._call(operation, params, options)
    if (!(file instanceof Uint8Array)) {
      throw new errors.ArgumentTypeError(`${field} must be a path or a Buffer`, { argument: field })
    }
    const rest = { ...params }
    delete rest[field]
    const body = encode(rest)
    const data = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
    return this._guarded(options, (native, id, timeoutMs) => native.upload(operation, body, field, 'upload', data, id, timeoutMs))
  }

  /** Every item of every page; a page's items are under the first of `itemsKeys` it has. */
  async *_iter(operation, params, itemsKeys) {
    let pages
    try {
      pages = this.#native.pages(operation, encode(params))
    } catch (error) {
      throw errors.translate(error)
    }
    for (;;) {
      let page
      try {
        page = await pages.next()
      } catch (error) {
        throw errors.translate(error)
      }
      if (page === null) return
      const decoded = decode(page)
      yield* itemsKeys.map((key) => decoded[key]).find(Array.isArray) ?? []
    }
  }

  [util.inspect.custom]() {
    return `${this.constructor.name} { baseUrl: ${JSON.stringify(this.baseUrl)} }`
  }

  toJSON() {
    return { baseUrl: this.baseUrl }
  }
}

module.exports = { Base, MAX_UPLOAD_BYTES }
