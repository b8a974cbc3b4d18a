'use strict'
// The native module for this platform: a local build beside the package, or the platform package npm installs as
// an optional dependency where it fits (`toriihq-linux-x64-gnu`, …), both found by napi's loader (`native.js`).
// When none fits, the error names this platform, the ones published, and the ways out, rather than napi's own.

const { napi } = require('../package.json')

/** napi's name of a target triple's platform package: `x86_64-unknown-linux-gnu` → `linux-x64-gnu`. */
function platformOf(triple) {
  const [machine, , system, abi] = triple.split('-')
  const arch = { x86_64: 'x64', aarch64: 'arm64', i686: 'ia32' }[machine] ?? machine
  if (system === 'linux') return `linux-${arch}-${abi}`
  if (system === 'darwin') return `darwin-${arch}`
  if (system === 'windows') return `win32-${arch}-${abi}`
  return `${system}-${arch}`
}

function platform() {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime
  return `linux-${process.arch}-${glibc ? 'gnu' : 'musl'}`
}

try {
  module.exports = require('../native.js')
} catch (cause) {
  const here = platform()
  const shipped = (napi?.targets ?? []).map(platformOf)
  const error = new Error(
    `toriihq has no native module for this platform (${here}). It ships one for ${shipped.join(', ')}, each as an ` +
      `optional dependency (toriihq-<platform>) that npm installs where it fits and leaves out when optional ` +
      `dependencies are omitted (--omit=optional): install again without that${shipped.includes(here) ? ` or add toriihq-${here} yourself` : ''}. ` +
      'On another platform, build it from the repository with a Rust toolchain: in bindings/node, `npm ci` and ' +
      '`npx napi build --platform --release --js native.js --dts native.d.ts`.',
  )
  error.cause = cause
  throw error
}
