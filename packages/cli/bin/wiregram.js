#!/usr/bin/env node
// Kept tiny on purpose: start-up cost is whatever the entry imports. The entry is the bundle
// (dist/bundle/wiregram.js, made by scripts/bundle.mjs after tsc): one file with the dispatcher and what
// render/check run, so a command loads one module instead of ~90; PDF, capture and watch code is still loaded
// only by the command that uses it. WIREGRAM_UNBUNDLED=1 runs the tsc output (dist/main.js) instead, e.g.
// after `tsc -b` without re-bundling; it is also the fallback when no bundle was built.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 can cache compiled code between runs; on Node 20 there is no such function and nothing happens.
module.enableCompileCache?.();
// Stack traces point into src/*.ts only when asked for (WIREGRAM_DEBUG prints them); reading maps costs time.
if (process.env.WIREGRAM_DEBUG) process.setSourceMapsEnabled?.(true);

const bundle = new URL('../dist/bundle/wiregram.js', import.meta.url);
const entry = !process.env.WIREGRAM_UNBUNDLED && existsSync(bundle) ? bundle.href : '../dist/main.js';
const { main, installSignalHandlers } = await import(entry);
// Before any command runs, so before its first write: temp files go on SIGINT/SIGTERM, exit 130/143.
installSignalHandlers();
process.exitCode = await main(process.argv.slice(2));
// A signal that arrived during the last (synchronous) write is read in the event loop's poll phase: two
// check-phase turns guarantee one poll in between, so it is answered with 130/143 rather than lost at exit.
for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
