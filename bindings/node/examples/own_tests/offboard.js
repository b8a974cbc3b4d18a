'use strict'
// A user's offboarding job, as an IT team would write it: every leaver's lifecycle set to `offboarding`.

/** Offboards each email's user; resolves to their ids. An unknown email rejects with NotFoundError. */
async function offboard(client, emails) {
  const ids = []
  for (const email of emails) ids.push((await client.offboardUser({ email })).id)
  return ids
}

module.exports = { offboard }
