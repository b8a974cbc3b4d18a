'use strict'
// toriihq: the SDK for the Torii SaaS-management API.
//   const { Client } = require('toriihq')
//   const client = new Client()                       // the key from TORII_API_KEY
//   for await (const app of client.getAppsIter({ state: 'managed' })) console.log(app.name)

const { Client } = require('./lib/operations.js')
const { MAX_UPLOAD_BYTES } = require('./lib/base.js')
const errors = require('./lib/errors.js')

const { translate, ...publicErrors } = errors
module.exports = { Client, MAX_UPLOAD_BYTES, ...publicErrors }
