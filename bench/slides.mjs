#!/usr/bin/env node
// Lecture-slide outputs (issue 19): `wiregram render -f png` of the handshake at 2× (font-subset cache warm, and
// off) against `wiregram render` (SVG) of the same file, whole process each (paired rounds, so load drift cancels; target ≤ 1.5×); and the
// Pandoc filter over a 100-diagram document (the filter process alone, fed pandoc's JSON), for HTML (inline SVG)
// and pptx (PNG files; a fresh image folder each round, so all 100 are drawn), target ≤ 2 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin, median, pairedRatio, printTable, record, ROOT, SEED_HANDSHAKE } from './lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wg-bench-slides-'));
const bin = cliBin();
writeFileSync(join(dir, 'handshake.tcpseq'), SEED_HANDSHAKE);

function timed(args, input, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: dir, input, env: { ...process.env, ...env }, encoding: input === undefined ? undefined : 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

// ---- PNG vs SVG, whole process: with the font-subset cache warm (the usual case: these characters were drawn
// before), and cold (WIREGRAM_PNG_CACHE=off: HarfBuzz makes the subsets in the process, as on a first run)
const svgTimes = [];
const pngTimes = [];
const coldTimes = [];
const cache = { XDG_CACHE_HOME: join(dir, 'cache') };
timed([bin, 'render', 'handshake.tcpseq', '-f', 'png', '-o', 'png', '-q'], undefined, cache); // fills the cache
for (let i = 0; i < 9; i++) {
  svgTimes.push(timed([bin, 'render', 'handshake.tcpseq', '-o', 'svg', '-q']));
  pngTimes.push(timed([bin, 'render', 'handshake.tcpseq', '-f', 'png', '--scale', '2', '-o', 'png', '-q'], undefined, cache));
  coldTimes.push(timed([bin, 'render', 'handshake.tcpseq', '-f', 'png', '--scale', '2', '-o', 'png', '-q'], undefined, { WIREGRAM_PNG_CACHE: 'off' }));
}
const ratio = pairedRatio(pngTimes, svgTimes);
const coldRatio = pairedRatio(coldTimes, svgTimes);
printTable(['figure', 'median ms:'], [
  ['render handshake → SVG (process)', median(svgTimes).toFixed(0)],
  ['render handshake → PNG 2× (process, subset cache warm)', median(pngTimes).toFixed(0)],
  ['render handshake → PNG 2× (process, no cache)', median(coldTimes).toFixed(0)],
  ['ratio PNG / SVG (paired), warm', ratio.toFixed(2)],
  ['ratio PNG / SVG (paired), no cache', coldRatio.toFixed(2)],
]);
record({ figure: 'PNG of the handshake at 2×, whole process (font-subset cache warm)', value: median(pngTimes), unit: 'ms', yardstick: 'wiregram render (SVG), whole process', yardstickValue: median(svgTimes), ratio, target: 1.5 });
record({ figure: 'PNG of the handshake at 2×, whole process (no cache: subsets made in the process)', value: median(coldTimes), unit: 'ms', yardstick: 'wiregram render (SVG), whole process', yardstickValue: median(svgTimes), ratio: coldRatio, target: 1.5 });

// ---- the Pandoc filter over 100 diagrams
let md = '---\ntitle: bench\n---\n';
for (let i = 0; i < 100; i++) {
  md += i % 2 ? `\n# Header ${i}\n\n\`\`\`packet-header\n${['tcp', 'udp', 'ipv4', 'ipv6', 'icmp'][i % 5]}\n\`\`\`\n` : `\n# Handshake ${i}\n\n\`\`\`tcp-sequence\n${SEED_HANDSHAKE.replace('三次握手', `三次握手 ${i}`)}\n\`\`\`\n`;
}
writeFileSync(join(dir, 'hundred.md'), md);
const ast = execFileSync('pandoc', ['hundred.md', '-t', 'json'], { cwd: dir, encoding: 'utf8' });
const filter = join(ROOT, 'packages', 'cli', 'bin', 'wiregram-pandoc.cjs');
const rows = [];
for (const format of ['html', 'pptx']) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    rmSync(join(dir, 'wiregram-figures'), { recursive: true, force: true });
    times.push(timed([filter, format], ast, cache));
  }
  rows.push([`pandoc filter, 100 diagrams → ${format}`, median(times).toFixed(0)]);
  record({ figure: `Pandoc filter, 100-diagram document → ${format} (${format === 'html' ? 'inline SVG' : 'PNG files'})`, value: median(times) / 1000, unit: 's', target: 2, targetOn: 'value' });
}
printTable(['figure', 'median ms:'], rows);
rmSync(dir, { recursive: true, force: true });
