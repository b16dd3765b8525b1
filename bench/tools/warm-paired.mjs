// Paired warm figures: the figures of bench/layout.mjs, bench/svg.mjs and
// bench/core.mjs for the seed diagrams, this checkout against another built one, one fresh process per build
// and round, alternating; CPU µs per call (user + system), median of rounds, and the ratio per round.
// Usage: node bench/tools/warm-paired.mjs <other built checkout> [rounds]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { SEED_HANDSHAKE, SEED_WAVEHAND } from '../lib.mjs';
const here = resolve(fileURLToPath(new URL('../..', import.meta.url)));
if (process.argv[2] === '--child') {
  const root = process.argv[3];
  const load = (pkg) => import(pathToFileURL(join(root, 'packages', pkg, 'dist', 'index.js')).href);
  const core = await load('core');
  const layout = await load('layout');
  const svg = await load('svg');
  const cpuUs = (fn, n) => {
    for (let i = 0; i < n; i++) fn();
    let best = Infinity;
    for (let r = 0; r < 7; r++) {
      const c = process.cpuUsage();
      for (let i = 0; i < n; i++) fn();
      const d = process.cpuUsage(c);
      best = Math.min(best, (d.user + d.system) / n);
    }
    return best;
  };
  const out = {};
  for (const [name, src] of [['handshake', SEED_HANDSHAKE], ['wavehand', SEED_WAVEHAND]]) {
    const tl = core.compileSequence(src);
    for (const style of ['states', 'lifeline', 'flow']) out[`layout ${name} ${style}`] = cpuUs(() => layout.layoutTimeline(tl, { style }), 400);
    out[`core ${name}`] = cpuUs(() => core.compileSequence(src), 400);
    out[`svg ${name}`] = cpuUs(() => svg.renderSvg(src), 300);
  }
  out['svg tcp header'] = cpuUs(() => svg.renderSvg('tcp\n', { language: 'packet-header' }), 400);
  console.log(JSON.stringify(out));
  process.exit(0);
}
const other = resolve(process.argv[2] ?? '/work/main');
const rounds = Number(process.argv[3] ?? 5);
const run = (root) => JSON.parse(spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', root], { encoding: 'utf8' }).stdout);
const mine = [], base = [];
const load0 = loadavg()[0];
for (let r = 0; r < rounds; r++) {
  if (r % 2) { base.push(run(other)); mine.push(run(here)); } else { mine.push(run(here)); base.push(run(other)); }
}
const med = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
console.log(`warm CPU µs per call, ${rounds} paired processes, load ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
console.log('| figure | this build | baseline | ratio (median of per-round ratios) |\n| --- | ---: | ---: | ---: |');
for (const k of Object.keys(mine[0])) console.log(`| ${k} | ${med(mine.map((m) => m[k])).toFixed(1)} | ${med(base.map((m) => m[k])).toFixed(1)} | ${med(mine.map((m, i) => m[k] / base[i][k])).toFixed(2)} |`);
