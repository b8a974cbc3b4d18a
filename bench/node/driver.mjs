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
// The package under test comes from the bench's own copy (a release build), named by xtask.
const TORIIHQ = process.env.TORIIHQ_NODE_PACKAGE ?? 'toriihq'
const MODULES = { toriihq: TORIIHQ, undici: 'undici', fetch: null, 'openapi-fetch': 'openapi-fetch' }

function report(count, seconds) {
  console.log(JSON.stringify({ count, seconds, rss_kb: process.resourceUsage().maxRSS }))
}

const now = () => performance.now() / 1000

function callFor(name) {
  if (name === 'toriihq') {
    const { Client } = require(TORIIHQ)
    const client = new Client({ apiKey, baseUrl, maxRetries: 0 })
    return {
      call: () => client.getContract({ idContract: 1 }),
      page: (cursor) => client.getUsers({ size: PAGE, cursor }),
      client,
    }
  }
  if (name === 'undici') {
    const { Agent, request } = require('undici')
    const dispatcher = new Agent({ connections: IN_FLIGHT })
    const get = async (path) => {
      const { body } = await request(`${baseUrl}${path}`, { headers, dispatcher })
      return body.json()
    }
    return { call: () => get('/contracts/1'), page: (cursor) => get(`/users?size=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`) }
  }
  if (name === 'fetch') {
    const get = async (path) => (await fetch(`${baseUrl}${path}`, { headers })).json()
    return { call: () => get('/contracts/1'), page: (cursor) => get(`/users?size=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`) }
  }
  if (name === 'openapi-fetch') {
    const createClient = require('openapi-fetch').default
    // Typed by `openapi-typescript` output generated from the same spec (types vanish at run time).
    const client = createClient({ baseUrl, headers })
    return {
      call: async () => (await client.GET('/contracts/{idContract}', { params: { path: { idContract: 1 } } })).data,
      page: async (cursor) => (await client.GET('/users', { params: { query: { size: PAGE, cursor } } })).data,
    }
  }
  throw new Error(`no client ${name}`)
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
    for await (const user of client.client.getUsersIter({ size: PAGE })) if (user) count++
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

if (scenario === 'import') {
  const started = now()
  if (MODULES[clientName]) require(MODULES[clientName])
  report(1, now() - started)
} else {
  const client = callFor(clientName)
  if (scenario === 'sequential') await sequential(client.call)
  else if (scenario === 'page') await sequential(() => client.page(undefined))
  else if (scenario === 'in_flight') await inFlight(client)
  else if (scenario === 'paginate') await paginate(client)
  else if (scenario === 'upload' || scenario === 'sync') await fileJob(client)
  else throw new Error(`unknown scenario ${scenario}`)
}
