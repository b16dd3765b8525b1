#!/usr/bin/env node
// Lecture-slide outputs (issue 19): `wiregram render -f png` of the handshake at 2× against `wiregram render`
// (SVG) of the same file, whole process each, paired per round (target ≤ 1.5×), in wall and CPU time (user +
// system: on a shared machine that is what the work costs); with no font cache (WIREGRAM_PNG_CACHE=off), as on
// a first run or CI. Then the Pandoc filter over a 100-diagram document (the filter process alone, fed pandoc's
// JSON) for HTML (inline SVG), pptx (PNG files; a fresh image folder each round, so every picture is drawn) and
// Beamer (PDF images), target ≤ 2 s.
// WG_BENCH_BASE=/path/to/another/checkout (built) measures that build in the same rounds, alternating, as "base".
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, cliBin, median, pairedRatio, printTable, record, ROOT, SEED_HANDSHAKE, timedNode } from './lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wg-bench-slides-'));
cliBin(); // checks the build
const builds = [['this', ROOT], ...(process.env.WG_BENCH_BASE ? [['base', process.env.WG_BENCH_BASE]] : [])];
writeFileSync(join(dir, 'handshake.tcpseq'), SEED_HANDSHAKE);
const load0 = loadavg()[0];
const noCache = { ...process.env, WIREGRAM_PNG_CACHE: 'off' };

function run(args, env = process.env) {
  const r = timedNode(args, { cwd: dir, env });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

// ---- PNG vs SVG, whole process
const times = {};
const add = (key, r) => (times[key] ??= []).push(r);
for (let i = 0; i < 11; i++) {
  add('floor', run(['-e', '0']));
  for (const [name, root] of builds) {
    const bin = join(root, 'packages/cli/bin/wiregram.cjs');
    add(`${name} svg`, run([bin, 'render', 'handshake.tcpseq', '-o', `svg-${name}`, '-q']));
    add(`${name} png`, run([bin, 'render', 'handshake.tcpseq', '-f', 'png', '--scale', '2', '-o', `png-${name}`, '-q'], noCache));
  }
}
const wall = (rs) => rs.map((r) => r.ms);
const cpu = (rs) => rs.map((r) => r.cpuMs);
const rows = [['node -e 0', median(wall(times.floor)).toFixed(0), median(cpu(times.floor)).toFixed(0), '', '']];
for (const [name] of builds) {
  const svg = times[`${name} svg`];
  const png = times[`${name} png`];
  rows.push([`${name}: render handshake → SVG`, median(wall(svg)).toFixed(0), median(cpu(svg)).toFixed(0), '', '']);
  rows.push([`${name}: render handshake → PNG 2×, no cache`, median(wall(png)).toFixed(0), median(cpu(png)).toFixed(0), pairedRatio(wall(png), wall(svg)).toFixed(2) + '×', pairedRatio(cpu(png), cpu(svg)).toFixed(2) + '×']);
}
printTable(['process', 'wall ms:', 'CPU ms:', 'PNG / SVG, wall (paired):', 'PNG / SVG, CPU (paired):'], rows);
{
  const svg = times['this svg'];
  const png = times['this png'];
  record({ figure: 'PNG of the handshake at 2×, whole process (no cache)', value: median(wall(png)), unit: 'ms', yardstick: 'wiregram render (SVG), whole process', yardstickValue: median(wall(svg)), ratio: pairedRatio(wall(png), wall(svg)), cpuRatio: pairedRatio(cpu(png), cpu(svg)), target: 1.5 });
}

// ---- the Pandoc filter over 100 diagrams
let md = '---\ntitle: bench\n---\n';
for (let i = 0; i < 100; i++) {
  md += i % 2 ? `\n# Header ${i}\n\n\`\`\`packet-header\n${['tcp', 'udp', 'ipv4', 'ipv6', 'icmp'][i % 5]}\n\`\`\`\n` : `\n# Handshake ${i}\n\n\`\`\`tcp-sequence\n${SEED_HANDSHAKE.replace('三次握手', `三次握手 ${i}`)}\n\`\`\`\n`;
}
writeFileSync(join(dir, 'hundred.md'), md);
const ast = execFileSync('pandoc', ['hundred.md', '-t', 'json'], { cwd: dir, encoding: 'utf8' });

/** The filter as pandoc runs it (AST on stdin), CPU time reported by the preloaded cpu-report.cjs. */
function filter(root, format) {
  rmSync(join(dir, 'wiregram-figures'), { recursive: true, force: true });
  const report = join(dir, 'cpu-report');
  rmSync(report, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', join(BENCH_DIR, 'cpu-report.cjs'), join(root, 'packages/cli/bin/wiregram-pandoc.cjs'), format], { cwd: dir, input: ast, env: { ...noCache, WG_CPU_REPORT: report }, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`wiregram-pandoc ${format} failed: ${r.stderr}`);
  return { ms, cpuMs: Number(readFileSync(report, 'utf8').trim().split('\n').pop()) / 1000 };
}
const filterRows = [];
for (const format of ['html', 'pptx', 'beamer']) {
  const runs = {};
  for (let i = 0; i < 3; i++) for (const [name, root] of builds) (runs[name] ??= []).push(filter(root, format));
  for (const [name] of builds) filterRows.push([`${name}: 100 diagrams → ${format}`, median(wall(runs[name])).toFixed(0), median(cpu(runs[name])).toFixed(0)]);
  const what = format === 'html' ? 'inline SVG' : format === 'pptx' ? 'PNG files' : 'PDF files';
  record({ figure: `Pandoc filter, 100-diagram document → ${format} (${what})`, value: median(wall(runs.this)) / 1000, unit: 's', target: 2, targetOn: 'value', note: `CPU ${(median(cpu(runs.this)) / 1000).toFixed(2)} s` });
}
printTable(['Pandoc filter process', 'wall ms:', 'CPU ms:'], filterRows);
console.log(`load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
rmSync(dir, { recursive: true, force: true });
