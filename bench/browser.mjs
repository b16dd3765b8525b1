#!/usr/bin/env node
// @wiregram/browser beside Mermaid 11 (the script static blogs use today), in one run on the same machine:
// - size of the one file a page loads: wiregram.min.js vs mermaid.min.js, raw and gzip -9;
// - in Debian's Chromium: the first render of the handshake after the script loaded (cold: parse + JIT
//   included), later renders (median), and run() over a page of 100 different diagrams;
//   Mermaid's first and later render of the same handshake as a sequenceDiagram, for scale.
// Targets (issue 12): ≤ 80 KB gzip, first render ≤ 20 ms, later ≤ 1 ms, 100 diagrams ≤ 150 ms.
// Run `npx -y pnpm@10 build` first.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { BENCH_DIR, ROOT, printTable } from './lib.mjs';

const ours = join(ROOT, 'packages', 'browser', 'dist', 'wiregram.min.js');
const mermaidFile = join(BENCH_DIR, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
if (!existsSync(ours)) {
  console.error('bench/browser: packages/browser/dist/wiregram.min.js missing; run `npx -y pnpm@10 build` first');
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const size = (file) => {
  const raw = readFileSync(file);
  return { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
};
const a = size(ours);
const m = existsSync(mermaidFile) ? size(mermaidFile) : null;
const baselineArg = process.argv.indexOf('--baseline') > 0 ? process.argv[process.argv.indexOf('--baseline') + 1] : null;
const b = baselineArg && existsSync(baselineArg) ? size(baselineArg) : null;
printTable(
  ['file', 'raw', 'gzip -9', 'target'],
  [
    ['wiregram.min.js', kb(a.raw), kb(a.gzip), `≤ 80 KB gzip: ${a.gzip <= 80 * 1024 ? 'met' : 'MISSED'}`],
    ...(b ? [['baseline wiregram.min.js', kb(b.raw), kb(b.gzip), '']] : []),
    ['mermaid.min.js (Mermaid 11)', m ? kb(m.raw) : 'n/a', m ? kb(m.gzip) : 'n/a', m ? `wiregram is ${(m.gzip / a.gzip).toFixed(1)}× smaller (gzip)` : ''],
  ],
);

const { chromium } = createRequire(join(ROOT, 'package.json'))('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });

const HANDSHAKE = 'participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK';

/** 100 different diagrams: handshakes with other ISNs, transfers of other lengths, closes, and headers. */
function hundredBlocks() {
  const out = [];
  for (let i = 0; i < 100; i++) {
    // Headers decoded from bytes: a different source port in each.
    if (i % 4 === 3) out.push(['packet-header', `tcp\nbytes ${(1000 + i).toString(16).padStart(4, '0')} d431 0000 0001 0000 0000 5002 faf0 e6c1 0000`]);
    else if (i % 4 === 0) out.push(['tcp-sequence', `participant c${i}\nparticipant s${i}\nisn c${i}=${1000 + i} s${i}=${5000 + i}\nc${i} -> s${i}: SYN\ns${i} -> c${i}: SYN, ACK\nc${i} -> s${i}: ACK`]);
    else if (i % 4 === 1) out.push(['tcp-sequence', `participant client\nparticipant server\nisn client=${i} server=${i * 7}\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=${100 + i}\nserver -> client: ACK\nclient -> server: PSH, ACK len=${200 + i}\nserver -> client: ACK`]);
    else out.push(['tcp-sequence', `title close ${i}\nparticipant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=${i} server=${i * 3}\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`]);
  }
  return out;
}
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function page(html, scripts) {
  const p = await browser.newPage();
  await p.route('http://bench.test/**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: html });
    const file = scripts[url.pathname];
    return file ? route.fulfill({ contentType: 'text/javascript', body: readFileSync(file) }) : route.fulfill({ status: 404, body: '' });
  });
  await p.goto('http://bench.test/');
  await p.waitForFunction(() => window.ready === true, undefined, { timeout: 60_000 });
  return p;
}

// `--runs N` for more rounds when the machine is noisy (paired runs against a baseline especially).
const RUNS = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) : 7;
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const ms = (x) => (x >= 1 ? `${x.toFixed(1)} ms` : `${(x * 1000).toFixed(0)} µs`);

// Each measurement on a fresh page (a new JS realm, so "first" really is the first call), median of RUNS.
// Two clocks: wall time (performance.now) and the renderer main thread's CPU time (CDP Performance.getMetrics
// ThreadTime), which other processes on a loaded machine do not inflate.
async function threadTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((x) => x.name === 'ThreadTime').value * 1000;
}
async function timed(p, fn, arg) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Performance.enable');
  const before = await threadTime(cdp);
  const wall = await p.evaluate(fn, arg);
  const cpu = (await threadTime(cdp)) - before;
  await cdp.detach();
  return { wall, cpu };
}
// `--baseline <wiregram.min.js>` (another build, e.g. main's): measured in the same rounds, alternating which goes
// first, so both see the same machine state — paired runs, medians compared.
const baselineAt = process.argv.indexOf('--baseline');
const baselineFile = baselineAt > 0 ? process.argv[baselineAt + 1] : null;
if (baselineFile && !existsSync(baselineFile)) {
  console.error(`bench/browser: baseline ${baselineFile} not found`);
  process.exit(1);
}
const measured = () => ({ load: [], first: [], later: [], hundred: [], eager: [] });
const mine = measured();
const base = measured();
const { load, first, later, hundred, eager } = mine;

async function round(file, into) {
  // Loading the script (fetch, parse, compile, evaluate, <wire-gram> defined) on a fresh page: what a compile
  // hint moves out of the first render shows here.
  const o = await page(`<!doctype html><script>window.ready = true;</script>`, { '/wiregram.min.js': file });
  into.load.push(await timed(o, async () => {
    const t0 = performance.now();
    await import('/wiregram.min.js');
    return performance.now() - t0;
  }));
  await o.close();
  const p = await page(`<!doctype html><script type="module">import * as w from '/wiregram.min.js'; window.w = w; window.ready = true;</script>`, { '/wiregram.min.js': file });
  into.first.push(await timed(p, (src) => {
    const t0 = performance.now();
    window.w.render(src);
    return performance.now() - t0;
  }, HANDSHAKE));
  await p.evaluate((src) => { for (let i = 0; i < 100; i++) window.w.render(src); }, HANDSHAKE);
  const n = 300;
  const t = await timed(p, ([src, n]) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) window.w.render(src);
    return performance.now() - t0;
  }, [HANDSHAKE, n]);
  into.later.push({ wall: t.wall / n, cpu: t.cpu / n });
  await p.close();
  const body = hundredBlocks().map(([lang, src]) => `<pre><code class="language-${lang}">${esc(src)}</code></pre>`).join('\n');
  // run() as a reader gets it (lazy: the figures near the viewport drawn, the others when scrolled to) and with
  // run({ lazy: false }) (all 100 drawn before it returns); each on its own fresh page.
  for (const [into_, options] of [[into.hundred, {}], [into.eager, { lazy: false }]]) {
    const q = await page(`<!doctype html><meta charset="utf-8"><body>${body}<script type="module">import * as w from '/wiregram.min.js'; window.w = w; window.ready = true;</script>`, { '/wiregram.min.js': file });
    const res = await timed(q, (options) => {
      const t0 = performance.now();
      const r = window.w.run(options);
      // Include the browser's own style and layout of the inserted SVGs, as a reader waits for it.
      document.body.getBoundingClientRect();
      if (r.rendered !== 100) throw new Error(`run() drew ${r.rendered} of 100 diagrams (${r.failed} failed)`);
      return performance.now() - t0;
    }, options);
    into_.push(res);
    await q.close();
  }
}

for (let r = 0; r < RUNS; r++) {
  const order = baselineFile ? (r % 2 ? [[baselineFile, base], [ours, mine]] : [[ours, mine], [baselineFile, base]]) : [[ours, mine]];
  for (const [file, into] of order) await round(file, into);
}

// Mermaid 11 in the same browser: the same handshake as a sequenceDiagram (numbers typed by hand).
const mermaidRows = [];
if (m) {
  const mf = [], ml = [];
  const MERMAID = 'sequenceDiagram\n  client->>server: SYN, seq=x\n  server->>client: SYN, ACK, seq=y, ack=x+1\n  client->>server: ACK, seq=x+1, ack=y+1';
  for (let r = 0; r < 3; r++) {
    const p = await page(`<!doctype html><body><script src="/mermaid.min.js"></script><script>mermaid.initialize({ startOnLoad: false }); window.ready = true;</script>`, { '/mermaid.min.js': mermaidFile });
    const t = await p.evaluate(async (src) => {
      const t0 = performance.now();
      await window.mermaid.render('m0', src);
      const t1 = performance.now();
      const n = 30;
      for (let i = 1; i <= 5; i++) await window.mermaid.render(`w${i}`, src);
      const t2 = performance.now();
      for (let i = 0; i < n; i++) await window.mermaid.render(`m${i + 10}`, src);
      return { first: t1 - t0, later: (performance.now() - t2) / n };
    }, MERMAID);
    mf.push(t.first);
    ml.push(t.later);
    await p.close();
  }
  mermaidRows.push(median(mf), median(ml));
}
await browser.close();

// The same bundle's render() in this Node process, as a yardstick of the machine's state during the run: its
// CPU time per warm render against the last quiet run's 214 µs (bench/README.md, @wiregram/svg in Node) tells
// how much a loaded machine inflates even CPU times (shared cores, caches).
const bundleInNode = await import(ours);
for (let i = 0; i < 500; i++) bundleInNode.render(HANDSHAKE);
const c0 = process.cpuUsage();
for (let i = 0; i < 1000; i++) bundleInNode.render(HANDSHAKE);
const c1 = process.cpuUsage(c0);
const nodeLater = (c1.user + c1.system) / 1000 / 1000;
const inflation = nodeLater / 0.214;

const pick = (xs, k) => median(xs.map((x) => x[k]));
const f = pick(first, 'cpu'), l = pick(later, 'cpu'), h = pick(hundred, 'cpu'), he = pick(eager, 'cpu');
const both = (xs) => `${ms(pick(xs, 'cpu'))} (wall ${ms(pick(xs, 'wall'))})`;
const vs = (k) => (baselineFile ? [`${both(base[k])}; ours/baseline CPU ${(pick(mine[k], 'cpu') / pick(base[k], 'cpu')).toFixed(2)}`] : []);
printTable(
  ['in Chromium', 'wiregram: main-thread CPU (wall)', ...(baselineFile ? ['baseline build, same rounds'] : []), 'target (on CPU time)', 'Mermaid 11 (same handshake, wall)'],
  [
    ['loading the script (import())', both(load), ...vs('load'), '', ''],
    ['first render of the handshake', both(first), ...vs('first'), `≤ 20 ms: ${f <= 20 ? 'met' : 'MISSED'}`, mermaidRows.length ? `${ms(mermaidRows[0])} (${(mermaidRows[0] / pick(first, 'wall')).toFixed(0)}× ours, wall)` : 'n/a'],
    ['later renders (median)', both(later), ...vs('later'), `≤ 1 ms: ${l <= 1 ? 'met' : 'MISSED'}`, mermaidRows.length ? `${ms(mermaidRows[1])} (${(mermaidRows[1] / pick(later, 'wall')).toFixed(0)}× ours, wall)` : 'n/a'],
    ['run() over 100 different diagrams (lazy, the default)', both(hundred), ...vs('hundred'), `≤ 150 ms: ${h <= 150 ? 'met' : 'MISSED'}`, ''],
    ['run({ lazy: false }): all 100 drawn at once', both(eager), ...vs('eager'), `≤ 150 ms: ${he <= 150 ? 'met' : 'MISSED'}`, ''],
    ['(yardstick) the bundle in Node, warm render CPU', ms(nodeLater), ...(baselineFile ? [''] : []), `quiet machine: 214 µs → ${inflation.toFixed(1)}× slower now`, ''],
  ],
);
const { loadavg } = await import('node:os');
console.log(`\nmedian of ${RUNS} fresh pages each (Mermaid: 3); Debian chromium, headless; load average ${loadavg()[0].toFixed(1)}`);
