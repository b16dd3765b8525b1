#!/usr/bin/env node
// Kept tiny on purpose: start-up cost is whatever the entry loads, and a CommonJS entry starts without Node's
// ES module loader. The entry is the bundle (dist/bundle/wiregram.cjs, made by scripts/bundle.mjs after tsc; for
// `check`, wiregram-check.cjs, without the other commands' code): one
// CommonJS file with the dispatcher and what the commands run, loaded through compile-cache.cjs with the V8 code
// cache the build made for this command (Node 20 has no compile cache of its own), so a command neither resolves
// ~90 modules nor parses and compiles the code it runs; PDF code is loaded only by the commands that draw PDF.
// WIREGRAM_UNBUNDLED=1 runs the tsc output (dist/main.js) instead, e.g. after `tsc -b` without re-bundling; it
// is also the fallback when no bundle was built.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// Node ≥ 22.1 caches compiled code of what its loader loads (chokidar, yaml). Older Nodes have no such cache,
// and `node:module` would load Node's ES module loader (≈ 0.6 ms) for nothing.
if (Number(process.versions.node.split('.')[0]) >= 22) require('node:module').enableCompileCache?.();
// Stack traces point into src/*.ts only when asked for (WIREGRAM_DEBUG prints them); reading maps costs time.
if (process.env.WIREGRAM_DEBUG) process.setSourceMapsEnabled?.(true);

const bundleDir = join(__dirname, '..', 'dist', 'bundle');

async function start() {
  let api;
  // The command's bundle and the code cache its build-time run made (compile-cache.cjs's commandBundle).
  const loader = process.env.WIREGRAM_UNBUNDLED ? null : join(bundleDir, 'compile-cache.cjs');
  const bundle = loader && existsSync(loader) ? require(loader).commandBundle(bundleDir, process.argv[2] ?? '') : null;
  if (bundle && existsSync(bundle.file)) {
    api = require(loader).loadCached(bundle.file, bundle.tag);
  } else {
    api = await import('../dist/main.js');
  }
  // Before any command runs, so before its first write: temp files go on SIGINT/SIGTERM, exit 130/143.
  api.installSignalHandlers();
  process.exitCode = await api.main(process.argv.slice(2));
  // A signal that arrived during the last (synchronous) write is read in the event loop's poll phase: two
  // check-phase turns guarantee one poll in between, so it is answered with 130/143 rather than lost at exit.
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}
start();
