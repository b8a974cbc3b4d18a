// One measurement of one Node client, in a fresh process, for `cargo xtask bench`.
//
// usage: node driver.mjs SCENARIO CLIENT SECONDS BASE_URL API_KEY
// Prints one JSON line: {"count": operations or items, "seconds": measured time, "rss_kb": peak RSS}.
// Every client does the same work: the HTTP call, and the JSON parsed into JavaScript objects.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const [scenario, clientName, secondsArg, baseUrl, apiKey] = process.argv.slice(2)
const SECONDS = Number(secondsArg)
const IN_FLIGHT = 64
const PAGE = 1000
const headers = { authorization: `Bearer ${apiKey}` }
// The fields a page asks for (custom ones included), named by `cargo xtask bench` for every language.
const USER_FIELDS = process.env.TORIIHQ_BENCH_USER_FIELDS ?? ''
const APP_FIELDS = process.env.TORIIHQ_BENCH_APP_FIELDS ?? ''
const pageQuery = (apps, cursor) => {
  const query = new URLSearchParams({ size: String(PAGE), fields: apps ? APP_FIELDS : USER_FIELDS })
  if (apps) query.set('includeLicenses', 'true')
  if (cursor) query.set('cursor', cursor)
  return `/${apps ? 'apps' : 'users'}?${query}`
}
// The package under test comes from the bench's own copy (a release build), named by xtask.
const TORIIHQ = process.env.TORIIHQ_NODE_PACKAGE ?? 'toriihq'
const MODULES = { toriihq: TORIIHQ, undici: 'undici', 'undici+JSON.parse': 'undici', fetch: null, 'openapi-fetch': 'openapi-fetch' }

function report(count, seconds) {
  console.log(JSON.stringify({ count, seconds, rss_kb: process.resourceUsage().maxRSS }))
}

const now = () => performance.now() / 1000

// Each client: one call (getContract) and one page (`apps` picks the apps page), decoded into objects.
function callFor(name) {
  if (name === 'toriihq') {
    const { Client } = require(TORIIHQ)
    const client = new Client({ apiKey, baseUrl, maxRetries: 0 })
    return {
      call: () => client.getContract({ idContract: 1 }),
      page: (cursor, apps) => apps
        ? client.getApps({ size: PAGE, cursor, fields: APP_FIELDS, includeLicenses: true })
        : client.getUsers({ size: PAGE, cursor, fields: USER_FIELDS }),
      client,
    }
  }
  if (name === 'undici' || name === 'undici+JSON.parse') {
    const { Agent, request } = require('undici')
    const dispatcher = new Agent({ connections: IN_FLIGHT })
    // `body.json()`, or the text parsed with JSON.parse: two ways undici users decode.
    const decode = name === 'undici' ? (body) => body.json() : async (body) => JSON.parse(await body.text())
    const get = async (path) => decode((await request(`${baseUrl}${path}`, { headers, dispatcher })).body)
    return { call: () => get('/contracts/1'), page: (cursor, apps) => get(pageQuery(apps, cursor)) }
  }
  if (name === 'fetch') {
    const get = async (path) => (await fetch(`${baseUrl}${path}`, { headers })).json()
    return { call: () => get('/contracts/1'), page: (cursor, apps) => get(pageQuery(apps, cursor)) }
  }
  if (name === 'openapi-fetch') {
    const createClient = require('openapi-fetch').default
    // Typed by `openapi-typescript` output generated from the same spec (types vanish at run time).
    const client = createClient({ baseUrl, headers })
    return {
      call: async () => (await client.GET('/contracts/{idContract}', { params: { path: { idContract: 1 } } })).data,
      page: async (cursor, apps) => apps
        ? (await client.GET('/apps', { params: { query: { size: PAGE, cursor, fields: APP_FIELDS, includeLicenses: true } } })).data
        : (await client.GET('/users', { params: { query: { size: PAGE, cursor, fields: USER_FIELDS } } })).data,
    }
  }
  throw new Error(`no client ${name}`)
}

// Decoding alone: one page of 1,000 users already in memory. toriihq's JavaScript side parses the text its addon
// hands over with JSON.parse; `body.json()` first decodes the bytes as UTF-8.
async function decodeOnly() {
  const { request } = require('undici')
  const bytes = Buffer.from(await (await request(`${baseUrl}${pageQuery(false)}`, { headers })).body.arrayBuffer())
  const text = bytes.toString('utf8')
  const decoders = {
    toriihq: () => JSON.parse(text),
    'JSON.parse(utf8 bytes)': () => JSON.parse(new TextDecoder().decode(bytes)),
  }
  const decode = decoders[clientName]
  if (!decode) throw new Error(`no decoder ${clientName}`)
  if (decode().users.length !== PAGE) throw new Error('a page was short')
  let count = 0
  const started = now()
  const deadline = started + SECONDS
  do {
    decode()
    count++
  } while ((count & 3) !== 0 || now() < deadline)
  report(count, now() - started)
}

async function sequential(call) {
  await call()
  let count = 0
  const started = now()
  const deadline = started + SECONDS
  let result
  do {
    result = await call()
    count++
  } while ((count & 3) !== 0 || now() < deadline)
  if (result == null) throw new Error('no answer')
  report(count, now() - started)
}

async function inFlight({ call }) {
  await Promise.all(Array.from({ length: IN_FLIGHT }, call))
  let count = 0
  const started = now()
  const deadline = started + SECONDS
  const worker = async () => {
    while (now() < deadline) {
      if ((await call()) == null) throw new Error('no answer')
      count++
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  report(count, now() - started)
}

async function paginate(client) {
  let count = 0
  const started = now()
  if (clientName === 'toriihq') {
    for await (const user of client.client.getUsersIter({ size: PAGE, fields: USER_FIELDS })) if (user) count++
  } else {
    let cursor
    do {
      const body = await client.page(cursor)
      for (const user of body.users) if (user) count++
      cursor = body.nextCursor
    } while (cursor)
  }
  report(count, now() - started)
}

// `upload` or `sync` of the file TORIIHQ_BENCH_FILE, once, with toriihq: its peak RSS is the figure.
async function fileJob(client) {
  const file = process.env.TORIIHQ_BENCH_FILE
  const size = (await import('node:fs')).statSync(file).size
  const started = now()
  if (scenario === 'upload') await client.client.upload({ file, fileType: 'attachment' })
  else await client.client.syncCustomIntegrationData({ idAppAccount: Number(process.env.TORIIHQ_BENCH_ACCOUNT), file })
  report(size, now() - started)
}

// TORIIHQ_SOAK_CALLS calls at 64 in flight against a mock injecting faults (see the Python driver's run_soak).
// `soak_workers` spreads them over 8 worker_threads, 8 in flight each, every worker with a client of its own on
// the one native module the process loaded.
const WORKERS = 8
const fs = await import('node:fs')
const resident = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1])
const fds = () => fs.readdirSync('/proc/self/fd').length

// Calls `first`, `first + step`, … below TORIIHQ_SOAK_CALLS, `inFlight` at a time; returns the tally.
async function soakShare(first, step, inFlight) {
  const toriihq = require(TORIIHQ)
  const client = new toriihq.Client({ apiKey, baseUrl, maxRetries: 2 })
  const calls = Number(process.env.TORIIHQ_SOAK_CALLS)
  const prefix = process.env.TORIIHQ_SOAK_PREFIX
  const tally = { ok: 0, posts_ok: 0, untyped: 0, typed: {}, marks: {} }
  let next = first
  const one = async (i) => {
    const idContract = (i % 5) + 1
    if (i % 20 === 0) {
      await client.createContract({ body: { name: `${prefix}-${i}`, idApp: 1, status: 'active' } })
      return 1
    }
    if (i % 20 < 4) await client.updateContract({ idContract, body: { name: `soak ${i}` } })
    else await client.getContract({ idContract })
    return 0
  }
  const worker = async () => {
    while (next < calls) {
      const i = next
      next += step
      try {
        const post = await one(i) // awaited first: `x += await …` would read x before the wait
        tally.posts_ok += post
        tally.ok++
      } catch (error) {
        if (error instanceof toriihq.ToriiError) tally.typed[error.kind] = (tally.typed[error.kind] ?? 0) + 1
        else tally.untyped++
      }
      if (i === 1000) tally.marks = { rss_1000_kb: resident(), fds_1000: fds() }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return tally
}

async function soak() {
  const started = now()
  let shares
  if (scenario === 'soak') {
    shares = [await soakShare(0, 1, IN_FLIGHT)]
  } else {
    const { Worker } = await import('node:worker_threads')
    shares = await Promise.all(
      Array.from({ length: WORKERS }, (_, w) => new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { argv: process.argv.slice(2), workerData: { share: w } })
        worker.once('message', resolve)
        worker.once('error', reject)
        worker.once('exit', (code) => reject(new Error(`soak worker ${w} exited with ${code} before its tally`)))
      })),
    )
  }
  const total = { ok: 0, posts_ok: 0, untyped: 0 }
  const typed = {}
  let marks = {}
  for (const share of shares) {
    for (const key of Object.keys(total)) total[key] += share[key]
    for (const [kind, n] of Object.entries(share.typed)) typed[kind] = (typed[kind] ?? 0) + n
    marks = { ...marks, ...share.marks }
  }
  const calls = Number(process.env.TORIIHQ_SOAK_CALLS)
  console.log(JSON.stringify({ calls, seconds: now() - started, ...total, typed, ...marks, rss_end_kb: resident(), fds_end: fds() }))
}

// TORIIHQ_SOAK_CALLS short-lived worker_threads, four at a time, each with a Client of its own making two calls;
// every third is terminated while a call is in flight (a pool shrinking, a job cancelled). Memory and descriptors
// once warm (a tenth in) and at the end.
async function churnWorkers() {
  const { Worker } = await import('node:worker_threads')
  const runs = Number(process.env.TORIIHQ_SOAK_CALLS)
  const warmAt = Math.max(Math.floor(runs / 10), 1)
  const started = now()
  const failed = []
  let ok = 0
  let done = 0
  let marks = {}
  const one = (index) => new Promise((resolve) => {
    const terminate = index % 3 === 2
    const worker = new Worker(new URL(import.meta.url), { argv: process.argv.slice(2), workerData: { churn: true, terminate } })
    let settled = false
    const finish = (error) => {
      if (settled) return
      settled = true
      if (error) failed.push(String(error))
      else ok++
      resolve()
    }
    worker.on('message', (message) => {
      if (message === 'in flight' && terminate) worker.terminate().then(() => finish(null), finish)
      else if (message === 'done') finish(null)
      else if (message !== 'in flight') finish(new Error(message))
    })
    worker.once('error', finish)
    worker.once('exit', (code) => finish(code === 0 || terminate ? null : new Error(`a worker exited with ${code}`)))
  })
  for (let first = 0; first < runs; first += 4) {
    await Promise.all(Array.from({ length: Math.min(4, runs - first) }, (_, k) => one(first + k)))
    done = Math.min(first + 4, runs)
    if (done >= warmAt && !marks.rss_warm_kb) {
      globalThis.gc?.()
      marks = { rss_warm_kb: resident(), fds_warm: fds() }
    }
  }
  const seconds = now() - started
  // Connections of the last workers' clients close as their tasks end: let them, then measure.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  globalThis.gc?.()
  console.log(JSON.stringify({ runs, seconds, ok, failed: failed.length, errors: failed.slice(0, 5), ...marks, rss_end_kb: resident(), fds_end: fds() }))
}

async function churnWorker(terminate) {
  const toriihq = require(TORIIHQ)
  const client = new toriihq.Client({ apiKey, baseUrl, maxRetries: 0 })
  try {
    await client.getOrganization()
    const inFlight = client.getContract({ idContract: 1 })
    parentPort.postMessage('in flight')
    await inFlight
    if (!terminate) parentPort.postMessage('done')
  } catch (error) {
    parentPort.postMessage(`${error.constructor.name}: ${error.message}`)
  }
}

const { isMainThread, parentPort, workerData } = await import('node:worker_threads')
if (!isMainThread && workerData.churn) {
  await churnWorker(workerData.terminate)
} else if (!isMainThread) {
  parentPort.postMessage(await soakShare(workerData.share, WORKERS, IN_FLIGHT / WORKERS))
} else if (scenario === 'churn_workers') {
  await churnWorkers()
} else if (scenario === 'soak' || scenario === 'soak_workers') {
  await soak()
} else if (scenario === 'import') {
  const started = now()
  if (MODULES[clientName]) require(MODULES[clientName])
  report(1, now() - started)
} else if (scenario === 'first_call') {
  // require, client set-up and the first call, in a fresh process.
  const started = now()
  await callFor(clientName).call()
  report(1, now() - started)
} else if (scenario === 'decode') {
  await decodeOnly()
} else {
  const client = callFor(clientName)
  if (scenario === 'sequential') await sequential(client.call)
  else if (scenario === 'page') await sequential(() => client.page(undefined, false))
  else if (scenario === 'page_apps') await sequential(() => client.page(undefined, true))
  else if (scenario === 'in_flight') await inFlight(client)
  else if (scenario === 'paginate') await paginate(client)
  else if (scenario === 'upload' || scenario === 'sync') await fileJob(client)
  else throw new Error(`unknown scenario ${scenario}`)
}
