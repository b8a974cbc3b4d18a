// Typed use of the package: `tsc --noEmit --strict` must accept all of it.
import { Client, NotFoundError, RateLimitError, type App, type BulkProgress, type Contract, type AppsPage, type UpdateContract, type User } from '..'
import { startMock, type MockServer } from '../testing'

async function offboarding(client: Client): Promise<string[]> {
  const page: AppsPage = await client.getApps({ size: 100, fields: 'id,name', extraQuery: { state: 'managed' } })
  const names: string[] = (page.apps ?? []).map((app: App) => app.name ?? '')
  for await (const app of client.getAppsIter({ extraQuery: { state: 'managed' } })) {
    names.push(app.name ?? String(app['myCustomField'] ?? ''))
  }
  const contract: Contract | undefined = (await client.getContract({ idContract: 42 })).contract
  const { data, response } = await client.getContract({ idContract: 42 }).withResponse()
  const patient: Client = client.withOptions({ timeoutMs: 120_000, maxRetries: 5 })
  await patient.getContract({ idContract: 42 })
  names.push(`${response.status} ${response.headers.get('x-ratelimit-remaining') ?? ''} ${data.contract?.name ?? ''}`)
  const update: UpdateContract = { name: 'Renewal 2027', amount: { value: 1200, currency: 'EUR' } }
  await client.updateContract({ idContract: 42, body: update })
  const leaver = await client.updateUser({ idUser: 7, body: { lifecycleStatus: 'offboarding' } })
  names.push(leaver.user?.email ?? '')
  const scim = await client.listScimUsers({ filter: 'userName eq "ada@example.com"', count: 10 })
  for (const user of scim.Resources ?? []) {
    await client.patchScimUser({ idUser: Number(user.id), body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] } })
  }
  const uploaded = await client.uploadFile({ file: './users.json', type: 'customIntegrationData' })
  await client.syncCustomIntegration({ body: { idFile: uploaded.id ?? 0, idAppAccount: 3 } })
  names.push(String(contract?.id ?? 0))
  const controller = new AbortController()
  await client.getAudit({ size: 10 }, { signal: controller.signal, timeoutMs: 5000 })
  return names
}

async function errors(client: Client): Promise<void> {
  try {
    await client.getContract({ idContract: 1 })
  } catch (error) {
    if (error instanceof RateLimitError) {
      const wait: number | null = error.retryAfter
      console.log(wait)
    } else if (error instanceof NotFoundError) {
      const status: number = error.status
      console.log(status, error.body, error.headers)
    }
  }
}

void offboarding(new Client())
void errors(new Client({ maxRetries: 0 }))

async function usersOwnTest(): Promise<number> {
  const mock: MockServer = await startMock({ seed: 'users=3', syncSeconds: 1 })
  await mock.fault({ path: '/users', kind: 'status', status: 503 })
  await mock.client({ maxRetries: 0 }).getUsers().catch(() => null)
  const seen = (await mock.requests('/users')).length
  mock.stop()
  return seen
}
void usersOwnTest()

async function bulkOffboarding(client: Client): Promise<number> {
  let failed = 0
  const inputs = [{ idUser: 1, body: { lifecycleStatus: 'offboarding' } }]
  for await (const result of client.bulk<{ user: User }>('updateUser', inputs, { concurrency: 4, rate: '100/min', journal: 'j.jsonl', onProgress: (p: BulkProgress) => console.log(p.done, p.etaMs) })) {
    const status: 'ok' | 'failed' | 'skipped' | 'unknown' = result.status
    if (result.ok) console.log(result.answer?.user.email, status)
    else failed += 1
  }
  const mock: MockServer = await startMock({ seed: 'users=3', timeScale: 60 })
  const writes: Record<string, number> = await mock.writes()
  mock.stop()
  return failed + Object.keys(writes).length
}
void bulkOffboarding(new Client())
