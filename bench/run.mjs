#!/usr/bin/env node
// Runs every bench/<area>.mjs in one go, so the ratios against other tools come from the same machine state.
// The comparison tools live in bench/package.json (not part of the workspace), installed here on first use.
// Every figure a script records (lib.mjs `record`) is printed at the end in one table beside its yardstick, and
// written to bench/out/bench-<commit>.json (and bench/out/latest.json) for comparison across commits.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, 'node_modules'))) {
  console.log('installing comparison tools into bench/node_modules …');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && f !== 'lib.mjs')
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });
const figuresFile = join(outDir, 'figures.jsonl');
rmSync(figuresFile, { force: true });
const loadStart = loadavg()[0];
/** `node -e 0`, median of 9 fresh processes: the floor of every cold figure, and a gauge of the machine's load. */
function nodeFloor() {
  const ts = [];
  for (let i = 0; i < 9; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ts.sort((a, b) => a - b)[4];
}
const floorStart = nodeFloor();
let failed = 0;
for (const file of scripts) {
  console.log(`\n## ${file}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, file)], { stdio: 'inherit', env: { ...process.env, WG_BENCH_FIGURES: figuresFile } });
  if (r.status !== 0) failed++;
}

const figures = existsSync(figuresFile) ? readFileSync(figuresFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const num = (v) => (v === null || v === undefined ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const machine = { node: process.version, cpus: cpus().length, loadStart, loadEnd: loadavg()[0], nodeFloorMs: [floorStart, nodeFloor()], date: new Date().toISOString(), commit };
console.log(`\n## summary (commit ${commit}, node ${machine.node}, ${machine.cpus} cores, load average ${loadStart.toFixed(1)} → ${machine.loadEnd.toFixed(1)}; node -e 0: ${machine.nodeFloorMs.map((m) => m.toFixed(1)).join(' ms → ')} ms)\n`);
console.log('| figure | wiregram | yardstick | yardstick value | ratio | ratio, CPU time | target | met |');
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |');
for (const f of figures) {
  const target = f.target === null ? '' : f.targetOn === 'value' ? `≤ ${f.target} ${f.unit}` : `≤ ${f.target}×`;
  const met = f.met === null ? '' : f.met ? 'met' : '**not met**';
  console.log(`| ${f.figure} | ${num(f.value)} ${f.unit} | ${f.yardstick ?? '—'} | ${f.yardstickValue === null ? '—' : num(f.yardstickValue)} | ${f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`} | ${f.cpuRatio == null ? '' : `${f.cpuRatio.toFixed(2)}×`} | ${target} | ${met} |`);
}
const json = JSON.stringify({ machine, figures }, null, 2) + '\n';
writeFileSync(join(outDir, `bench-${commit}.json`), json);
writeFileSync(join(outDir, 'latest.json'), json);
console.log(`\nwritten: bench/out/bench-${commit}.json (and bench/out/latest.json). Ratio = wiregram / yardstick (lower is better); where the yardstick is another tool, its value over ours is how many times faster wiregram is. 'Ratio, CPU time': the same pairing in process CPU time (a shared machine inflates wall time).`);
process.exit(failed ? 1 : 0);
