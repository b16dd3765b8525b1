#!/usr/bin/env node
// Bounded work (issue #14): how many output bytes a worst-case input gets per input byte under the default
// output budget (maxElements, maxTextBytes — a block past it is refused before layout), and the cost of a step
// deck of 4,998 segments through the CLI (`wiregram deck --steps`, target ≤ 10 s; it was quadratic: 70 s for
// 500 segments). Imports the built packages (packages/*/dist) and runs the built CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dist, printTable, ROOT } from './lib.mjs';

const { render } = await import(dist('svg'));
const { renderDeck, renderPdf } = await import(dist('pdf'));
const { DEFAULT_BUDGET } = await import(dist('layout'));

const handshake = 'participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK\n';
const loop = (n, body) => `${handshake}loop ${n}\n${body}\nend\n`;
/** Exactly `segments` segments: the handshake, data/ACK pairs, and one more data segment when odd. */
const transfer = (segments) => loop((segments - 3) >> 1, 'a -> b: PSH, ACK len=1\nb -> a: ACK') + ((segments - 3) % 2 ? 'a -> b: PSH, ACK len=1\n' : '');
/** Small sources that ask for a lot: the amplifiers of each language. */
const WORST = [
  ['header: 1-bit rows, 65,536 of them (issue #14)', 'packet-header', 'bits 1\n0-65535: a'],
  ['header: 1-bit rows, just under the budget', 'packet-header', 'bits 1\n0-59000: a'],
  ['header: 32-bit rows of decoded bytes', 'packet-header', `tcp\nbytes ${'00'.repeat(60)}`],
  ['sequence: loop of 1-byte segments (4,990 × 2)', 'tcp-sequence', loop(4990, 'a -> b: PSH, ACK len=1\nb -> a: ACK')],
  ['sequence: loop of segments with long labels', 'tcp-sequence', loop(2000, `a -> b: PSH, ACK "${'x'.repeat(200)}"\nb -> a: ACK`)],
  ['sequence: a note repeated by a loop', 'tcp-sequence', loop(5000, `note over a: ${'注'.repeat(1000)}`)],
  ['sequence: 100 notes of 1,327 lines (issue #14)', 'tcp-sequence', handshake + Array.from({ length: 100 }, () => `note over a: ${'x\\n'.repeat(1326)}x`).join('\n')],
  ['sequence: a few segments (ordinary)', 'tcp-sequence', handshake + 'a -> b: PSH, ACK len=100\nb -> a: ACK\n'],
];

const rows = [];
let worst = 0;
for (const [what, language, source] of WORST) {
  const inBytes = Buffer.byteLength(source);
  const t0 = performance.now();
  let out;
  try {
    out = render(source, { language }).svg;
  } catch (e) {
    rows.push([what, inBytes, `refused: ${e.code}`, '—', `${Math.round(performance.now() - t0)} ms`]);
    continue;
  }
  const ms = performance.now() - t0;
  const outBytes = Buffer.byteLength(out);
  worst = Math.max(worst, outBytes);
  rows.push([what, inBytes, outBytes.toLocaleString('en-US'), `${(outBytes / inBytes).toFixed(0)}×`, `${Math.round(ms)} ms`]);
}
console.log(`Default budget: maxElements ${DEFAULT_BUDGET.maxElements.toLocaleString('en-US')}, maxTextBytes ${DEFAULT_BUDGET.maxTextBytes.toLocaleString('en-US')}.\n`);
printTable(['input', 'input bytes:', 'SVG bytes:', 'out/in:', 'time:'], rows);
console.log(`\nLargest SVG any input above produced: ${(worst / 1e6).toFixed(2)} MB. The bound per block is the budget:`);
console.log(`at most ${DEFAULT_BUDGET.maxElements.toLocaleString('en-US')} elements (≈ 110 bytes each as written) plus ${DEFAULT_BUDGET.maxTextBytes.toLocaleString('en-US')} bytes of text`);
console.log(`(× ≤ 6 when escaped) ⇒ ≤ ${((DEFAULT_BUDGET.maxElements * 110 + DEFAULT_BUDGET.maxTextBytes * 6) / 1e6).toFixed(1)} MB per block whatever its size; a block is at most 4,000,000 characters.`);

// 2. `wiregram deck --steps` of 4,998 segments, and the same steps through the API per page size.
const dir = mkdtempSync(join(tmpdir(), 'wg-bench-budget-'));
try {
  const md = join(dir, 'steps.md');
  writeFileSync(md, '```tcp-sequence\n' + transfer(4998) + '```\n');
  const out = join(dir, 'steps.pdf');
  // Wall time moves with the machine's load (six jobs share two cores here); CPU time is what the work costs.
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%U %S"; time "$0" "$@" 2>/dev/null', process.execPath, join(ROOT, 'packages/cli/bin/wiregram.js'), 'deck', '--steps', '--quiet', '-o', out, md], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  const cpu = r.stderr.trim().split('\n').pop().split(' ').reduce((a, x) => a + Number(x), 0) * 1000;
  const steps = [];
  const verdict = (ms) => (ms <= 10_000 ? 'yes' : 'NO');
  if (r.status === 0) steps.push(['`wiregram deck --steps`, 4,998 segments (16:9)', '4,999', `${(statSync(out).size / 1e6).toFixed(1)} MB`, `${(ms / 1000).toFixed(1)} s`, `${(cpu / 1000).toFixed(1)} s`, verdict(cpu)]);
  else steps.push(['`wiregram deck --steps`, 4,998 segments', 'failed', r.stderr.trim().split('\n')[0], '', '', 'NO']);
  for (const [segments, pageSize] of [[500, '16:9'], [4998, 'fit'], [4998, 'a4']]) {
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    const bytes = renderPdf(transfer(segments), { steps: true, pageSize });
    const ms1 = performance.now() - t1;
    const c = process.cpuUsage(c1);
    const cpu1 = (c.user + c.system) / 1000;
    steps.push([`renderPdf steps, ${segments.toLocaleString('en-US')} segments (${pageSize})`, (segments + 1).toLocaleString('en-US'), `${(bytes.length / 1e6).toFixed(1)} MB`, `${(ms1 / 1000).toFixed(1)} s`, `${(cpu1 / 1000).toFixed(1)} s`, verdict(cpu1)]);
  }
  console.log('');
  printTable(['step deck', 'pages:', 'PDF:', 'wall:', 'CPU:', 'CPU ≤ 10 s'], steps);
  console.log(`(load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores; before the fix 500 segments took 70 s)`);

  // A diagram of N notes through a deck (was superlinear: 60,000 notes took 100 s): time per note at N and 2N.
  const notes = (n) => 'participant a\nparticipant b\n' + Array.from({ length: n }, (_, i) => `note over a: n${i}`).join('\n');
  const perNote = [];
  for (const n of [5000, 20000]) {
    const c2 = process.cpuUsage();
    renderDeck([notes(n)], { pageSize: '16:9', maxElements: 1_000_000 });
    const c = process.cpuUsage(c2);
    perNote.push([n, (c.user + c.system) / 1000 / n]);
  }
  console.log('');
  printTable(['deck of one diagram with N notes', 'CPU µs per note:'], perNote.map(([n, ms]) => [`N = ${n.toLocaleString('en-US')}`, (ms * 1000).toFixed(0)]));
  console.log(`\nper-note cost at 4N / at N: ${(perNote[1][1] / perNote[0][1]).toFixed(2)} (1 = linear; 4 = quadratic)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
