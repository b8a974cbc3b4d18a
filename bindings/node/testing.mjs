// The ES module entry of toriihq/testing: the same names as the CommonJS one.
import testing from './testing.js'

export const { DEFAULT_SEED, MockServer, startMock } = testing
