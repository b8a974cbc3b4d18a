'use strict'
// The Node quickstart: what IT and security engineers script against Torii.
// Reads TORII_API_KEY and TORII_BASE_URL (`cargo xtask demo` points them at the local mock).

const { Client, NotFoundError } = require('..')

async function main() {
  const client = new Client()
  console.log(`Torii API at ${client.baseUrl}`)

  // Every app in a state, every page; the filter is sent with each page.
  let count = 0
  for await (const app of client.getAppsIter({ state: 'state 2', size: 100 })) count += app.state === 'state 2' ? 1 : 0
  console.log(`${count} apps in state 'state 2'`)

  // A contract: read, rename, read back.
  console.log(`contract 1 is ${JSON.stringify((await client.getContract({ idContract: '1' })).name)}`)
  await client.updateContract({ idContract: '1', body: { name: 'Renewal 2027' } })
  console.log(`contract 1 is now ${JSON.stringify((await client.getContract({ idContract: '1' })).name)}`)

  // Offboarding through SCIM: find the user, deactivate them.
  const found = await client.listScimUsers({ filter: 'userName eq "user1@example.com"' })
  for (const user of found.Resources ?? []) {
    const patched = await client.patchScimUser({
      idUser: user.id,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
    })
    console.log(`SCIM user ${user.id} active: ${patched.active}`)
  }

  // Upload a small file (checked against the 3 MiB limit before sending); abort a call with a signal.
  console.log(`uploaded file ${(await client.uploadFile({ file: Buffer.from('{"users": []}') })).id}`)
  const audit = await client.getAudit({ size: 3 }, { signal: AbortSignal.timeout(5000) })
  console.log(`${audit.data.length} audit entries on the first page`)

  // Typed errors.
  try {
    await client.getContract({ idContract: '999999' })
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error
    console.log(`contract 999999: not found (${error.status})`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
