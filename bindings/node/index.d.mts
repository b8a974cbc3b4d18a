// The ES module entry's types: the CommonJS declarations, re-exported as ES module names and as the default.
import * as toriihq from './index.js'

export * from './index.js'
export default toriihq
