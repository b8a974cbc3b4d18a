// Typed use of the package: `tsc --noEmit --strict` must accept all of it.
import { Client, NotFoundError, RateLimitError, type App, type Contract, type GetAppsResponse, type ContractUpdate } from '..'

async function offboarding(client: Client): Promise<string[]> {
  const page: GetAppsResponse = await client.getApps({ size: 100, state: 'managed', fields: 'id,name' })
  const names: string[] = (page.data ?? []).map((app: App) => app.name ?? '')
  for await (const app of client.getAppsIter({ state: 'managed' })) {
    names.push(app.name ?? String(app['myCustomField'] ?? ''))
  }
  const contract: Contract = await client.getContract({ idContract: '42' })
  const update: ContractUpdate = { name: 'Renewal 2027', annualCost: 1200 }
  await client.updateContract({ idContract: '42', body: update })
  const scim = await client.listScimUsers({ filter: 'userName eq "ada@example.com"', count: 10 })
  for (const user of scim.Resources ?? []) {
    await client.patchScimUser({ idUser: user.id ?? '', body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active' }] } })
  }
  const uploaded = await client.uploadFile({ file: './users.json' })
  names.push(uploaded.id ?? '', String(contract.annualCost ?? 0))
  const controller = new AbortController()
  await client.getAudit({ size: 10 }, { signal: controller.signal, timeoutMs: 5000 })
  return names
}

async function errors(client: Client): Promise<void> {
  try {
    await client.getContract({ idContract: '1' })
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
