#!/usr/bin/env node
'use strict'
// `toriihq`: the command line of the Rust core (`toriihq --help`), through the native addon. Node keeps SIGINT;
// Ctrl-C is passed on, and the command ends as it does anywhere (exit code 130).

const { cliMain, cliInterrupt } = require('../lib/addon.js')

process.on('SIGINT', () => cliInterrupt())
cliMain(['toriihq', ...process.argv.slice(2)]).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    console.error(error.message)
    process.exitCode = 1
  },
)
