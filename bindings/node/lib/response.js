'use strict'
// What an operation returns: a promise of the decoded answer that can also show the answer as it came —
// `await client.getContract({ idContract: 1 }).withResponse()` is `{ data, response: { status, headers } }`.

/** The `name: value` lines the core sends, as a `Headers` (names in any case; a repeated header joined by `, `). */
function toHeaders(lines) {
  const headers = new Headers()
  for (const line of lines ? lines.split('\n') : []) {
    const colon = line.indexOf(':')
    headers.append(line.slice(0, colon), line.slice(colon + 1).trimStart())
  }
  return headers
}

class APIPromise extends Promise {
  #answer
  #decode
  #data

  /**
   * @param {Promise<{ status: number, headers: string, body: string }>} answer the core's call, already started
   * @param {(body: string) => unknown} decode
   */
  constructor(answer, decode) {
    super((resolve) => resolve(undefined))
    this.#answer = answer
    this.#decode = decode
  }

  // `then` on an APIPromise gives a plain promise: only the call's own promise has `withResponse`.
  static get [Symbol.species]() {
    return Promise
  }

  #decoded() {
    this.#data ??= this.#answer.then((answer) => this.#decode(answer.body))
    return this.#data
  }

  then(onFulfilled, onRejected) {
    return this.#decoded().then(onFulfilled, onRejected)
  }

  catch(onRejected) {
    return this.#decoded().catch(onRejected)
  }

  finally(onFinally) {
    return this.#decoded().finally(onFinally)
  }

  /** The decoded answer with the status and headers it came with. */
  async withResponse() {
    const answer = await this.#answer
    return { data: this.#decode(answer.body), response: { status: answer.status, headers: toHeaders(answer.headers) } }
  }
}

module.exports = { APIPromise }
