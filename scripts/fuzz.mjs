#!/usr/bin/env node
// `pnpm fuzz`: the property tests with their fuzz counts — 100,000 inputs per language through the whole
// text → SVG/PDF path (test/fuzz-render.test.ts) — instead of the default run's few thousand. Opt-in: it takes
// minutes. Extra arguments go to vitest (e.g. `pnpm fuzz -t packet-header`).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const run = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz-render.test.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WIREGRAM_FUZZ: '1' },
});
console.log(`\nfuzz: ${run.status === 0 ? 'no failure' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(run.status ?? 1);
