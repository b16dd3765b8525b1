#!/usr/bin/env node
// The playground page in Debian's Chromium (one run): how long until the editor takes input, how long from a
// keystroke to the updated picture for the seed wavehand, and a 100 MB pcap picked in the page — time to list
// its streams and the longest the page's main thread was blocked meanwhile (the worker does the reading).
// Needs the built packages (pnpm bench builds them). `--capture-mb N` changes the capture size.
import { mkdirSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildPlayground, playgroundHash } from '../packages/playground/scripts/build.mjs';
import { serve } from '../packages/playground/scripts/serve.mjs';
import { BENCH_DIR, median, pcapHeader, printTable, SEED_WAVEHAND } from './lib.mjs';

const OUT = join(BENCH_DIR, 'out', 'playground-site');
const mbArg = process.argv.indexOf('--capture-mb');
const CAPTURE_MB = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 100;

/** A pcap of `mb` MB: 1000 TCP connections (handshake, 1000-byte segments, FIN), Ethernet/IPv4. */
export function writeCapture(path, mb) {
  const fd = openSync(path, 'w');
  writeSync(fd, pcapHeader({ snaplen: 65535 }));
  const payload = 1000;
  const rec = Buffer.alloc(16 + 14 + 20 + 20 + payload);
  let written = 24;
  let t = 1_700_000_000;
  const packet = (conn, fromClient, flags, seq, ack, len) => {
    rec.fill(0);
    const size = 14 + 20 + 20 + len;
    rec.writeUInt32LE(t, 0);
    rec.writeUInt32LE((written / 7) % 1_000_000 | 0, 4);
    rec.writeUInt32LE(size, 8);
    rec.writeUInt32LE(size, 12);
    rec.writeUInt16BE(0x0800, 16 + 12);
    const ip = 16 + 14;
    rec[ip] = 0x45;
    rec.writeUInt16BE(20 + 20 + len, ip + 2);
    rec[ip + 8] = 64;
    rec[ip + 9] = 6;
    const client = [10, 0, (conn >> 8) & 255, conn & 255];
    const server = [10, 1, 0, 1];
    Buffer.from(fromClient ? client : server).copy(rec, ip + 12);
    Buffer.from(fromClient ? server : client).copy(rec, ip + 16);
    const tcp = ip + 20;
    rec.writeUInt16BE(fromClient ? 40000 + (conn % 20000) : 80, tcp);
    rec.writeUInt16BE(fromClient ? 80 : 40000 + (conn % 20000), tcp + 2);
    rec.writeUInt32BE(seq >>> 0, tcp + 4);
    rec.writeUInt32BE(ack >>> 0, tcp + 8);
    rec[tcp + 12] = 0x50;
    rec[tcp + 13] = flags;
    rec.writeUInt16BE(65535, tcp + 14);
    writeSync(fd, rec, 0, 16 + size);
    written += 16 + size;
  };
  const target = mb * 1024 * 1024;
  const conns = 1000;
  const perConn = Math.max(1, Math.floor(target / conns / (16 + 54 + payload)));
  for (let c = 0; c < conns; c++) {
    t++;
    packet(c, true, 0x02, 1000, 0, 0);
    packet(c, false, 0x12, 5000, 1001, 0);
    packet(c, true, 0x10, 1001, 5001, 0);
    for (let i = 0; i < perConn; i++) packet(c, true, 0x18, 1001 + i * payload, 5001, payload);
    packet(c, true, 0x11, 1001 + perConn * payload, 5001, 0);
    packet(c, false, 0x11, 5001, 1002 + perConn * payload, 0);
    packet(c, true, 0x10, 1002 + perConn * payload, 5002, 0);
  }
  closeSync(fd);
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

async function main() {
await buildPlayground(join(OUT, 'playground'));
const site = await serve(OUT);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const rows = [];
try {
  const page = await browser.newPage();
  const url = `${site.url}playground/index.html${playgroundHash(SEED_WAVEHAND)}`;

  // Page interactive: navigation start → the editor takes input (median of 5 loads, cache warm after the first).
  const interactive = [];
  const firstPicture = [];
  for (let i = 0; i < 5; i++) {
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForSelector('html[data-ready]');
    const s = await page.evaluate(() => window.__wgPlayground);
    interactive.push(s.interactiveMs);
    firstPicture.push(s.lastRenderAt);
  }
  rows.push(['page interactive (editor takes input)', `${median(interactive).toFixed(0)} ms`, '≤ 1000 ms', `first load ${interactive[0].toFixed(0)} ms`]);
  rows.push(['first picture drawn', `${median(firstPicture).toFixed(0)} ms`, '', '']);

  // Keystroke → updated picture: type into the title of the seed wavehand; time from keydown to the new SVG.
  await page.click('.cm-line >> nth=0');
  await page.keyboard.press('End');
  await page.evaluate(() => document.addEventListener('keydown', (e) => (window.__kd = e.timeStamp), true));
  const latency = [];
  const render = [];
  for (let i = 0; i < 60; i++) {
    const before = await page.evaluate(() => window.__wgPlayground.renders);
    await page.keyboard.press(i % 2 ? 'Backspace' : 'x');
    await page.waitForFunction((n) => window.__wgPlayground.renders > n, before);
    const s = await page.evaluate(() => ({ at: window.__wgPlayground.lastRenderAt, kd: window.__kd, ms: window.__wgPlayground.lastRenderMs }));
    if (i >= 10) {
      latency.push(s.at - s.kd);
      render.push(s.ms);
    }
  }
  rows.push(['keystroke → updated preview, seed wavehand (median of 50)', `${median(latency).toFixed(1)} ms`, '≤ 16 ms', `render alone ${median(render).toFixed(1)} ms; worst ${Math.max(...latency).toFixed(1)} ms`]);

  // A large capture picked in the page: time to list streams, and the main thread's longest stall meanwhile.
  if (CAPTURE_MB > 0) {
    const dir = join(BENCH_DIR, 'out');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bench-${CAPTURE_MB}mb.pcap`);
    const bytes = writeCapture(file, CAPTURE_MB);
    await page.evaluate(() => {
      window.__gaps = [];
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        window.__gaps.push(now - last);
        last = now;
        window.__tick = requestAnimationFrame(tick);
      };
      window.__tick = requestAnimationFrame(tick);
    });
    const t0 = Date.now();
    await page.setInputFiles('#capture-file', file);
    await page.waitForSelector('#streams table', { timeout: 600_000 });
    const ms = Date.now() - t0;
    const { gaps, streams } = await page.evaluate(() => {
      cancelAnimationFrame(window.__tick);
      return { gaps: window.__gaps, streams: document.querySelectorAll("#streams tbody tr").length };
    });
    rows.push([`${(bytes / 1048576).toFixed(0)} MB pcap picked → ${streams} streams listed`, `${(ms / 1000).toFixed(1)} s`, 'page stays responsive', `longest main-thread frame gap ${Math.max(...gaps).toFixed(0)} ms over ${gaps.length} frames`]);
    rmSync(file, { force: true });
  }
} finally {
  await browser.close();
  await site.close();
}
printTable(['measure', 'value:', 'target', 'note'], rows);
}
