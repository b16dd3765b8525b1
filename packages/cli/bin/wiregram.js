#!/usr/bin/env node
// Kept tiny on purpose: start-up cost is whatever dist/main.js imports, and it imports nothing heavy —
// each command loads what it needs (the core, svg, pdfkit and fonts, Node file helpers) with a dynamic import.
import module from 'node:module';

// Node ≥ 22.1 can cache compiled code between runs; on Node 20 this is a no-op.
module.enableCompileCache?.();

const { main, installSignalHandlers } = await import('../dist/main.js');
// Before any command runs, so before its first write: temp files go on SIGINT/SIGTERM, exit 130/143.
installSignalHandlers();
process.exitCode = await main(process.argv.slice(2));
// A signal that arrived during the last (synchronous) write is read in the event loop's poll phase: two
// check-phase turns guarantee one poll in between, so it is answered with 130/143 rather than lost at exit.
for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
