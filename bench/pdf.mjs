#!/usr/bin/env node
// PDF backend: pages per second for a deck, time to the first page in a fresh process (module load + font
// load + one page), against printing the same diagrams to PDF with headless Chromium (what a user without
// wiregram would do: SVG in a browser → page.pdf()). Imports the built packages (packages/*/dist).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dist, median as medianOf, medianOfBatches as timeIt, printTable, record, ROOT as root, SEED_HANDSHAKE as HANDSHAKE } from './lib.mjs';

const pdf = await import(dist('pdf'));
const layout = await import(dist('layout'));
const svg = await import(dist('svg')).catch(() => null);

const WAVEHAND = `${HANDSHAKE.replace('三次握手', '四次挥手')}seq client=u server=v
client -> server: FIN
server -> client: ACK
server -> client: FIN, ACK
client -> server: ACK`;

/** Real scenes from the layout when it can lay out text; otherwise a hand-built timing scene of the same size. */
function scenes() {
  if (typeof layout.layoutSource === 'function') {
    try {
      return { how: 'layoutSource', list: [layout.layoutSource(HANDSHAKE), layout.layoutSource(WAVEHAND)] };
    } catch (e) {
      console.log(`(layoutSource failed: ${e.message}; using hand-built scenes)`);
    }
  }
  const measure = typeof layout.measureText === 'function' ? layout.measureText : (t, fs) => t.length * fs * 0.6;
  const make = (title, labels, states) => {
    const items = [{ type: 'rect', role: 'background', step: 0, x: 0, y: 0, width: 640, height: 120 + labels.length * 70, rx: 0 }];
    const text = (role, step, x, y, t, fontSize, anchor = 'middle', fontWeight = 'normal') =>
      items.push({ type: 'text', role, step, x, y, text: t, fontSize, fontWeight, anchor, rotate: 0, width: measure(t, fontSize, fontWeight), ascent: fontSize * 0.88, descent: fontSize * 0.12 });
    text('title', 0, 320, 28, title, 18, 'middle', 'bold');
    for (const [i, name] of ['客户端', '服务端'].entries()) {
      const x = 120 + i * 400;
      items.push({ type: 'rect', role: 'participant-box', step: 0, x: x - 50, y: 50, width: 100, height: 32, rx: 4 });
      text('participant', 0, x, 71, name, 14, 'middle', 'bold');
      items.push({ type: 'line', role: 'lifeline', step: 0, x1: x, y1: 82, x2: x, y2: 110 + labels.length * 70 });
    }
    labels.forEach((label, k) => {
      const [x1, x2] = k % 2 ? [520, 120] : [120, 520];
      const y1 = 110 + k * 70;
      items.push({ type: 'line', role: 'segment', step: k + 1, x1, y1, x2, y2: y1 + 60 });
      items.push({ type: 'polygon', role: 'arrowhead', step: k + 1, points: [[x2, y1 + 60], [x2 - Math.sign(x2 - x1) * 10, y1 + 54], [x2 - Math.sign(x2 - x1) * 10, y1 + 62]] });
      text('label', k + 1, 320, y1 + 26, label, 13);
      text('state', k + 1, k % 2 ? 108 : 532, y1 + 64, states[k], 12, k % 2 ? 'end' : 'start');
    });
    return { width: 640, height: 120 + labels.length * 70, title, description: title, fontFamily: 'Noto Sans Hans', items, steps: labels.length };
  };
  return {
    how: 'hand-built (layoutSource not available yet)',
    list: [
      make('TCP 三次握手', ['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1'], ['SYN_RCVD', 'ESTABLISHED', 'ESTABLISHED']),
      make('TCP 四次挥手', ['FIN, seq=u', 'ACK, seq=v, ack=u+1', 'FIN, ACK, seq=w, ack=u+1', 'ACK, seq=u+1, ack=w+1'], ['CLOSE_WAIT', 'FIN_WAIT_2', 'LAST_ACK', 'CLOSED']),
    ],
  };
}

const { how, list } = scenes();
const deck = Array.from({ length: 10 }, () => list).flat(); // 20 diagrams
const rows = [];
const fmt = (n, d = 1) => n.toFixed(d);

// 1. warm: pages per second for a 20-page deck, and a steps deck
const deckMs = timeIt(() => pdf.scenesToPdf(deck, { pageSize: '16:9' }));
rows.push(['wiregram deck, 20 pages (16:9)', deckMs, 20]);
const stepPages = list.reduce((n, s) => n + s.steps + 1, 0);
const stepsMs = timeIt(() => pdf.scenesToPdf(list, { pageSize: '16:9', steps: true }));
rows.push([`wiregram steps deck, ${stepPages} pages`, stepsMs, stepPages]);
const oneMs = timeIt(() => pdf.scenesToPdf([list[1]]));
rows.push(['wiregram one page (fit)', oneMs, 1]);

// 2. cold: a fresh node process — import, font load, first page
const sceneJson = JSON.stringify(list[1]);
const coldScript = `
  const t0 = performance.now();
  const { scenesToPdf } = await import(${JSON.stringify(dist('pdf'))});
  const t1 = performance.now();
  const bytes = scenesToPdf([JSON.parse(process.env.WG_SCENE)]);
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  scenesToPdf([JSON.parse(process.env.WG_SCENE)]);
  const c3 = process.cpuUsage(c2);
  const t3 = performance.now();
  console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, secondMs: t3 - t2, secondCpuMs: (c3.user + c3.system) / 1000, bytes: bytes.length }));`;
const cold = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', coldScript], { env: { ...process.env, WG_SCENE: sceneJson }, encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(r.stderr);
  cold.push({ ...JSON.parse(r.stdout), wall });
}
const median = (k) => medianOf(cold.map((c) => c[k]));

// 3. competitor: headless Chromium printing the SVG of the same diagrams
let chromium = null;
if (svg && typeof svg.sceneToSvg === 'function' && existsSync('/usr/bin/chromium')) {
  try {
    const { chromium: pw } = await import(pathToFileURL(join(root, 'node_modules', 'playwright-core', 'index.mjs')).href);
    const t0 = performance.now();
    const browser = await pw.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage();
    const launchMs = performance.now() - t0;
    const svgs = deck.map((s) => svg.sceneToSvg(s, { theme: 'light' }));
    const html = `<!doctype html><meta charset="utf-8"><style>@page{size:960px 540px;margin:0}div{page-break-after:always;width:960px;height:540px;display:flex;align-items:center;justify-content:center}svg{max-width:900px;max-height:500px}</style>${svgs.map((x) => `<div>${x}</div>`).join('')}`;
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await page.setContent(html);
      await page.pdf({ width: '960px', height: '540px', printBackground: true });
      runs.push(performance.now() - t);
    }
    await browser.close();
    chromium = { launchMs, deckMs: runs.sort((a, b) => a - b)[1] };
    rows.push(['chromium print, 20 pages (16:9)', chromium.deckMs, 20]);
  } catch (e) {
    console.log(`(chromium comparison skipped: ${e.message.split('\n')[0]})`);
  }
}

console.log(`scenes: ${how}; node ${process.version}\n`);
printTable(['case', 'ms/run:', 'pages/s:', 'µs/page:'], rows.map(([name, ms, pages]) => [name, fmt(ms, 2), fmt((pages * 1000) / ms, 0), fmt((ms * 1000) / pages, 0)]));
if (chromium) console.log(`\nwiregram deck vs chromium print: ${fmt(chromium.deckMs / deckMs, 1)}× faster (chromium launch not included: ${fmt(chromium.launchMs, 0)} ms)`);
console.log(`\ncold first page (fresh process, median of 5): import ${fmt(median('importMs'))} ms + first page incl. font load ${fmt(median('firstMs'))} ms` +
  ` (second page ${fmt(median('secondMs'))} ms, CPU ${fmt(median('secondCpuMs'))} ms); process wall ${fmt(median('wall'), 0)} ms; ${median('bytes')} bytes`);
record({ figure: 'second page of a deck (fresh process, after the first)', value: median('secondMs'), unit: 'ms', yardstick: 'first page incl. font load', yardstickValue: median('firstMs'), target: 10, targetOn: 'value', note: `median of 5 processes; CPU time ${fmt(median('secondCpuMs'))} ms` });
record({ figure: 'warm 20-page deck', value: deckMs, unit: 'ms', yardstick: chromium ? 'Chromium printing the same SVGs' : null, yardstickValue: chromium?.deckMs ?? null });
if (chromium) console.log(`cold chromium: launch ${fmt(chromium.launchMs, 0)} ms before the first page`);
