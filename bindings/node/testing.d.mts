// The ES module entry's types of toriihq/testing: its CommonJS declarations, re-exported.
export * from './testing.js'
