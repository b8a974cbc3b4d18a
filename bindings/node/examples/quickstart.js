'use strict'
// The Node quickstart: what IT and security engineers script against Torii.
// Reads TORII_API_KEY and TORII_BASE_URL (`cargo xtask demo` points them at the local mock).

const { Client, NotFoundError } = require('..')

async function main() {
  const client = new Client()
  console.log(`Torii API at ${client.baseUrl}`)

  // Every app, every page; any field is a filter (custom fields too) and is sent with each page.
  let apps = 0
  for await (const app of client.getAppsIter({ fields: 'id,name,state,primaryOwner', size: 1000 })) apps += app.id ? 1 : 0
  let discovered = 0
  for await (const app of client.getAppsIter({ size: 1000, extraQuery: { state: 'Discovered' } })) discovered += app.id ? 1 : 0
  console.log(`${apps} apps, ${discovered} of them discovered and not yet managed`)

  // Offboarding: mark a leaver as offboarding, then list the apps they still have.
  const page = await client.getUsers({ size: 5 })
  const users = page.users ?? []
  console.log(`first ${users.length} of ${page.total} users`)
  const leaver = users[0]?.id
  if (leaver !== undefined) {
    const updated = await client.updateUser({ idUser: leaver, body: { lifecycleStatus: 'offboarding' } })
    console.log(`user ${leaver} is now ${updated.user?.lifecycleStatus}`)
    const theirApps = await client.listUserApps({ idUser: leaver })
    console.log(`user ${leaver} has ${(theirApps.apps ?? []).length} apps`)
  }

  // A contract: read, rename (any contract field goes by its system key), read back.
  console.log(`contract 1 is ${JSON.stringify((await client.getContract({ idContract: 1 })).contract?.name)}`)
  await client.updateContract({ idContract: 1, body: { name: 'Renewal 2027' } })
  console.log(`contract 1 is now ${JSON.stringify((await client.getContract({ idContract: 1 })).contract?.name)}`)

  // Deprovisioning through SCIM: find the user by userName, deactivate them.
  const found = await client.listScimUsers({ filter: 'userName eq "user1@example.com"' })
  for (const user of found.Resources ?? []) {
    const idUser = Number(user.id)
    await client.patchScimUser({
      idUser,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
    })
    console.log(`SCIM user ${idUser} active: ${(await client.getScimUser({ idUser })).active}`)
  }

  // Push an app's users and licences into Torii: validated first (every problem, with its path), uploaded (any
  // size), synced; a sync already running is waited for, up to 30 s.
  const synced = await client.syncCustomIntegrationData({
    idAppAccount: 1,
    users: [{ email: 'ada@example.com', roles: ['Admin'] }],
    licenses: [{ name: 'Pro', pricePerUser: 3520, users: [{ email: 'ada@example.com' }] }],
    waitSeconds: 30,
  })
  console.log(`custom integration sync: ${synced.success} (file ${synced.idFile})`)

  // A file of any size: over 3 MiB it goes through a presigned URL, streamed, without the Torii key.
  const uploaded = await client.upload({ file: Buffer.alloc(4 * 1024 * 1024, 'x'), fileType: 'expenseReport' }, {
    onProgress: (sent, total) => sent === total && console.log(`uploaded ${sent} of ${total} bytes`),
  })
  console.log(`file ${uploaded.id} holds ${(await client.download({ id: uploaded.id })).length} bytes`)

  // Abort a call with a signal.
  const audit = await client.getAudit({ size: 3 }, { signal: AbortSignal.timeout(5000) })
  console.log(`${(audit.audit ?? []).length} audit entries on the first page`)

  // Typed errors.
  try {
    await client.getContract({ idContract: 999999 })
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error
    console.log(`contract 999999: not found (${error.status})`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
