'use strict'
// The plumbing under the generated operations: argument encoding, calls into the native core, decoding.

const util = require('node:util')
const { NativeClient, MAX_UPLOAD_BYTES, MAX_JSON_DEPTH } = require('./addon.js')
const errors = require('./errors.js')
const { APIPromise } = require('./response.js')

const VERSION = require('../package.json').version
// The package and its runtime; the core adds itself and the platform.
const USER_AGENT = `toriihq-node/${VERSION} node/${process.versions.node}`
let nextCallId = 1

// JSON for the core. JSON.stringify would turn NaN and Infinity into null without a word (and a function or a
// symbol into nothing); they are refused, naming the path of the value (`body.users[2].score`), as are cycles and
// nesting past the core's limit (JSON.stringify's own failures there are a TypeError and a RangeError).
function toJson(value, what) {
  try {
    return JSON.stringify(value, (key, item) => {
      if (notJson(item)) throw NOT_JSON
      return item
    })
  } catch (error) {
    if (error !== NOT_JSON && !(error instanceof TypeError) && !(error instanceof RangeError)) throw error
    // Found again, this time with its path: the walk costs nothing on the (usual) good path.
    const found = firstNotJson(value)
    if (found === null) throw error
    const [path, problem] = found
    const where = path || what
    const Class = problem.startsWith('must be a finite') ? errors.InvalidArgumentError : errors.ArgumentTypeError
    throw new Class(`${where} ${problem}`, { argument: where })
  }
}

const NOT_JSON = Symbol('not JSON')
// The native client a `withOptions` copy starts from (a key no options object can spell).
const ADOPT = Symbol('native client')

function notJson(item) {
  return (typeof item === 'number' && !Number.isFinite(item)) || ['bigint', 'function', 'symbol'].includes(typeof item)
}

const EXIT = Symbol('leave a container')

/**
 * The path of the first thing in `value` JSON cannot carry, and why: a function, symbol or bigint, NaN or an
 * infinity, an object that contains itself, or nesting past the core's limit. The walk keeps its own stack, so no
 * depth makes it overflow; only ancestors count as a cycle (an object shared by two keys is fine).
 */
function firstNotJson(value) {
  const stack = [[value, '', 1]]
  const open = new Set()
  while (stack.length > 0) {
    const [item, path, depth] = stack.pop()
    if (item === EXIT) {
      open.delete(depth)
      continue
    }
    if (typeof item === 'number' && !Number.isFinite(item)) return [path, `must be a finite number, not ${item}`]
    if (notJson(item)) return [path, `cannot be sent as JSON (a ${typeof item})`]
    if (item === null || typeof item !== 'object' || typeof item.toJSON === 'function') continue
    if (open.has(item)) return [path, 'contains itself: JSON cannot carry a cycle']
    if (depth > MAX_JSON_DEPTH) return [path, `nests deeper than ${MAX_JSON_DEPTH} levels, the most a call sends`]
    open.add(item)
    stack.push([EXIT, path, item])
    const entries = Object.entries(item)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]
      stack.push([child, Array.isArray(item) ? `${path}[${key}]` : path ? `${path}.${key}` : key, depth + 1])
    }
  }
  return null
}

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
  return toJson(present, 'params')
}

/** Options as the core reads them (it checks them); `what` names the argument when they are not an object. */
function encodeOptions(options, what, ...local) {
  if (options === undefined || options === null) return ''
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new errors.ArgumentTypeError(`${what} must be an object`, { argument: what })
  }
  const forCore = { ...options }
  for (const name of local) delete forCore[name]
  return toJson(forCore, what)
}

function decode(text) {
  if (text === '') return null
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new errors.APIResponseValidationError(`the response body is not JSON: ${error.message} in body starting ${JSON.stringify(text.slice(0, 80))}`)
  }
}

// The calls the core is running, by id: the addon hands each outcome to `settle` on this thread.
const waiting = new Map()

function settle(id, ok, value) {
  const call = waiting.get(id)
  waiting.delete(id)
  if (ok) call?.resolve(value)
  else call?.reject(value)
}

/** The promise of the native call `start(id)` starts: it settles when the core answers `id`. */
function answerTo(id, start) {
  const answer = new Promise((resolve, reject) => waiting.set(id, { resolve, reject }))
  try {
    start(id)
  } catch (error) {
    waiting.delete(id)
    throw error
  }
  return answer
}

/** Runs `start(id)`; an abort of `signal` cancels it through `cancellable.cancel(id)` (the core's registry). */
async function abortable(signal, cancellable, start) {
  if (signal?.aborted) throw new errors.APIUserAbortError('the request was aborted')
  const id = nextCallId++
  const onAbort = () => cancellable.cancel(id)
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return await answerTo(id, start)
  } catch (error) {
    throw errors.translate(error)
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * The core's log lines, to `logger.info` / `logger.debug` (strict mode's reports to `logger.warn`, else `info`); a
 * logger that throws loses its line, not the call.
 */
function lineWriter(logger) {
  if (typeof logger?.info !== 'function' || typeof logger?.debug !== 'function') {
    throw new errors.ArgumentTypeError('options.logger must have info(line) and debug(line) methods', { argument: 'logger' })
  }
  const method = (level) => {
    if (level === 'warning' && typeof logger.warn === 'function') return 'warn'
    return level === 'debug' ? 'debug' : 'info'
  }
  return (level, line) => {
    try {
      logger[method(level)](line)
    } catch {
      // Nothing to tell it with: the logger is what failed.
    }
  }
}

class Base {
  #native

  /** @param {import('../index').ClientOptions} [options] */
  constructor(options = {}) {
    const adopted = options?.[ADOPT]
    if (adopted instanceof NativeClient) {
      this.#native = adopted
      return
    }
    const log = lineWriter(options?.logger ?? console)
    try {
      this.#native = new NativeClient(encodeOptions(options, 'options', 'logger'), USER_AGENT, log, settle)
    } catch (error) {
      throw errors.translate(error)
    }
  }

  get baseUrl() {
    return this.#native.baseUrl
  }

  /**
   * A new client with this one's settings and `options` over them; extra headers are added to this client's. It
   * has a connection pool of its own.
   */
  withOptions(options) {
    if (options?.logger !== undefined) {
      throw new errors.ArgumentTypeError('withOptions keeps the client\'s logger; a new Client takes another', { argument: 'logger' })
    }
    let native
    try {
      native = this.#native.withOptions(encodeOptions(options, 'options'))
    } catch (error) {
      throw errors.translate(error)
    }
    return new this.constructor({ [ADOPT]: native })
  }

  async _guarded(options, start, raw = false) {
    const callOptions = encodeOptions(options, 'options', 'signal', 'onProgress')
    const native = this.#native
    const answer = await abortable(options?.signal, native, (id) => start(native, id, callOptions))
    return raw ? answer : decode(answer)
  }

  /** One operation: the promise decodes its answer; `withResponse()` also shows its status and headers. */
  _call(operation, params, options) {
    return this.#operation(operation, options, () => [encode(params), undefined])
  }

  /** An operation that answers a file's bytes (it follows a redirect to them): resolves to a Buffer. */
  _callBytes(operation, params, options) {
    return this._guarded(options, (native, id, callOptions) => native.callBytes({ name: operation, params: encode(params), options: callOptions, id }), true)
  }

  _upload(operation, params, field, options) {
    const file = params?.[field]
    if (typeof file === 'string') return this._call(operation, params, options)
    return this.#operation(operation, options, () => {
      if (!(file instanceof Uint8Array)) {
        throw new errors.ArgumentTypeError(`${field} must be a path or a Buffer`, { argument: field })
      }
      const rest = { ...params }
      delete rest[field]
      const data = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
      return [encode(rest), { field, fileName: 'upload', data }]
    })
  }

  /** `encoded()` gives the params as JSON and the upload; an error in it rejects the promise, as a call's would. */
  #operation(operation, options, encoded) {
    const answer = (async () => {
      const [body, upload] = encoded()
      return this._guarded(options, (native, id, callOptions) => native.callResponse({ name: operation, params: body, options: callOptions, id, upload }), true)
    })()
    return new APIPromise(answer, decode)
  }

  /**
   * A workflow of the core. Its file arguments (`fileFields`) are paths, sent in the params, or bytes, sent
   * beside them; `binary` workflows resolve to a Buffer; `options.onProgress(sent, total)` hears an upload.
   */
  async _workflow(name, params, fileFields, binary, options) {
    const rest = { ...params }
    let upload
    for (const field of fileFields) {
      const file = rest[field]
      if (file === undefined || file === null || typeof file === 'string') continue
      if (!(file instanceof Uint8Array)) {
        throw new errors.ArgumentTypeError(`${field} must be a path or a Buffer`, { argument: field })
      }
      delete rest[field]
      upload = { field, fileName: 'upload', data: Buffer.from(file.buffer, file.byteOffset, file.byteLength) }
    }
    const onProgress = options?.onProgress
    if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
      throw new errors.ArgumentTypeError('options.onProgress must be a function (sent, total)', { argument: 'onProgress' })
    }
    const body = encode(rest)
    if (binary) return this._guarded(options, (native, id, callOptions) => native.callBytes({ name, params: body, options: callOptions, id }), true)
    const progress = onProgress ? (sent, total) => onProgress(sent, total) : undefined
    return this._guarded(options, (native, id, callOptions) => native.call({ name, params: body, options: callOptions, id, upload }, progress))
  }

  /**
   * An endpoint the spec does not describe yet: `method path` under the base URL, with `query` and a JSON `body`,
   * through the same retries, options and errors as every operation; resolves to the answer's JSON.
   */
  request(request, options) {
    if (request === null || typeof request !== 'object') {
      return Promise.reject(new errors.ArgumentTypeError('request must be an object { method, path, query?, body? }', { argument: 'request' }))
    }
    const { method, path, query, body } = request
    for (const [name, value] of [['method', method], ['path', path]]) {
      if (typeof value !== 'string') {
        return Promise.reject(new errors.ArgumentTypeError(`${name} must be a string, not ${typeof value}`, { argument: name }))
      }
    }
    return (async () => {
      const params = toJson({ query: query ?? null, body: body ?? null }, 'request')
      return this._guarded(options, (native, id, callOptions) => native.request({ method, path, params, options: callOptions, id }))
    })()
  }

  /**
   * A bulk job: `operation` once per input, paced, a few at a time, resumable with a journal (see index.d.ts).
   * Its settings are checked now; the inputs are read only as the job has room for them.
   */
  bulk(operation, inputs, options) {
    const { fromFile, key, onProgress, signal, ...settings } = options ?? {}
    if ((inputs === undefined || inputs === null) === (fromFile === undefined || fromFile === null)) {
      throw new errors.ArgumentTypeError('give inputs or options.fromFile, one of them', { argument: 'inputs' })
    }
    if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
      throw new errors.ArgumentTypeError('options.onProgress must be a function (progress)', { argument: 'onProgress' })
    }
    const items = inputs?.[Symbol.asyncIterator]?.() ?? inputs?.[Symbol.iterator]?.()
    if (inputs !== undefined && inputs !== null && items === undefined) {
      throw new errors.ArgumentTypeError('inputs must be iterable (an array, a generator) or async iterable', { argument: 'inputs' })
    }
    if (settings.total === undefined && Array.isArray(inputs)) settings.total = inputs.length
    let job
    try {
      job = this.#native.bulk(operation, encodeOptions(settings, 'options'), fromFile ?? null, key ?? null)
    } catch (error) {
      throw errors.translate(error)
    }
    return bulkResults(job, items, onProgress, signal)
  }

  /** Every item of every page, under the key the core found them at; `options.signal` ends the iteration. */
  async *_iter(operation, params, options) {
    let pages
    try {
      pages = this.#native.pages(operation, encode(params), encodeOptions(options, 'options', 'signal'))
    } catch (error) {
      throw errors.translate(error)
    }
    for (;;) {
      const page = await abortable(options?.signal, pages, (id) => pages.next(id))
      if (page === null) return
      const items = page.itemsKey == null ? [] : decode(page.body)[page.itemsKey]
      yield* items ?? []
    }
  }

  [util.inspect.custom]() {
    return `${this.constructor.name} { baseUrl: ${JSON.stringify(this.baseUrl)} }`
  }

  toJSON() {
    return { baseUrl: this.baseUrl }
  }
}

/** A bulk job's results as they come, inputs pulled only when the job has room; `signal` stops it. */
async function* bulkResults(job, items, onProgress, signal) {
  let number = 0
  try {
    for (;;) {
      const next = await abortable(signal, job, (id) => job.next(id))
      if (next === null) return
      if (next.wants) {
        const step = await items.next()
        if (step.done) {
          job.close()
        } else {
          number += 1
          pushInput(job, number, step.value)
        }
        continue
      }
      const result = new BulkResult(next)
      onProgress?.(JSON.parse(job.progress()))
      yield result
    }
  } finally {
    await items?.return?.()
  }
}

/** One input handed to the job; one that is no JSON object fails that item, not the job. */
function pushInput(job, number, value) {
  let params
  try {
    params = encode(value)
  } catch (error) {
    job.pushRefused(number, error.argument ?? 'inputs', error.message)
    return
  }
  job.push(number, params)
}

class BulkResult {
  constructor(next) {
    this.key = next.key
    this.status = next.status
    this.answer = next.bytes ?? (next.answer === null || next.answer === undefined ? null : decode(next.answer))
    this.error = next.error === null || next.error === undefined ? null : errors.translate({ toriihq: JSON.parse(next.error) })
  }

  get ok() {
    return this.status === 'ok' || this.status === 'skipped'
  }
}

module.exports = { Base, MAX_UPLOAD_BYTES }
