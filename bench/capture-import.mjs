#!/usr/bin/env node
// Importing one TCP stream of a 75 MB single-stream capture (generated into /tmp at bench time, never committed):
// the real `wiregram import FILE -o OUT` and the API it calls, `captureFileToSequenceText` (scan, Wireshark
// analysis, text, engine check), beside tshark reading the same file with the same analysis (`-T fields -e
// frame.number -e _ws.col.Info`, TCP desegmentation off). Time and peak RSS (/usr/bin/time -v), as ratios; the
// CLI's output is checked to be the API's text.
// Uses the built packages: run `npx tsc -b packages/cli/tsconfig.json` first (pnpm bench does).
// Usage: node bench/capture-import.mjs [megabytes]   (default 75)
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { cliBin, dist, pcapHeader, record } from './lib.mjs';

if (process.argv[2] === '--child') {
  const { captureFileToSequenceText } = await import(dist('core', 'node.js'));
  const t0 = process.hrtime.bigint();
  const text = captureFileToSequenceText(process.argv[3], { stream: 0, source: basename(process.argv[3]) });
  const tooLong = text.startsWith('# note: this stream is too long');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = text.split('\n').filter((l) => l.includes(' -> ')).length;
  writeFileSync(process.argv[4], text);
  console.log(JSON.stringify({ seconds, lines, refused: text.startsWith('# note') && !tooLong, tooLong }));
  process.exit(0);
}

const MB = Number(process.argv[2] ?? 75);
const file = `/tmp/wg-bench-import-${MB}mb.pcap`;
const MSS = 1448;

/** One stream: handshake, the client sends MSS-sized segments, the server ACKs every second one, then FINs. */
function generate() {
  const fd = openSync(file, 'w');
  writeSync(fd, pcapHeader({ nanosecond: true }));
  const cIsn = 0x9abc0000;
  const sIsn = 0x12340000;
  let cSent = 0;
  let t = 0;
  let written = 24;
  const buf = Buffer.alloc(16 + 14 + 20 + 32 + MSS);
  const frame = (fromClient, flags, seq, ack, len) => {
    const total = 14 + 20 + 32 + len;
    t += 20_000;
    buf.writeUInt32LE(1_700_000_000 + Math.floor(t / 1e9), 0);
    buf.writeUInt32LE(t % 1e9, 4);
    buf.writeUInt32LE(total, 8);
    buf.writeUInt32LE(total, 12);
    let p = 16;
    buf.writeUInt32BE(0x02000000, p);
    buf.writeUInt16BE(fromClient ? 1 : 2, p + 4);
    buf.writeUInt32BE(0x02000000, p + 6);
    buf.writeUInt16BE(fromClient ? 2 : 1, p + 10);
    buf.writeUInt16BE(0x0800, p + 12);
    p += 14;
    buf.writeUInt8(0x45, p);
    buf.writeUInt8(0, p + 1);
    buf.writeUInt16BE(total - 14, p + 2);
    buf.writeUInt32BE(0x40000000, p + 4);
    buf.writeUInt8(64, p + 8);
    buf.writeUInt8(6, p + 9);
    buf.writeUInt16BE(0, p + 10);
    buf.writeUInt32BE(fromClient ? 0x0a000001 : 0x0a000002, p + 12);
    buf.writeUInt32BE(fromClient ? 0x0a000002 : 0x0a000001, p + 16);
    p += 20;
    buf.writeUInt16BE(fromClient ? 40000 : 443, p);
    buf.writeUInt16BE(fromClient ? 443 : 40000, p + 2);
    buf.writeUInt32BE(seq >>> 0, p + 4);
    buf.writeUInt32BE(ack >>> 0, p + 8);
    buf.writeUInt8(8 << 4, p + 12);
    buf.writeUInt8(flags, p + 13);
    buf.writeUInt16BE(flags & 0x02 ? 64240 : 2048, p + 14);
    buf.writeUInt32BE(0, p + 16);
    // options: MSS, SACK_PERM, TS, NOP, WS (a SYN) or NOP NOP TS padded
    const o = p + 20;
    buf.fill(1, o, o + 12);
    if (flags & 0x02) {
      buf.writeUInt32BE(0x020405b4, o);
      buf.writeUInt16BE(0x0402, o + 4);
      buf.writeUInt8(1, o + 6);
      buf.writeUInt8(1, o + 7);
      buf.writeUInt32BE(0x01030307, o + 8);
    } else {
      buf.writeUInt16BE(0x080a, o + 2);
      buf.writeUInt32BE(t >>> 10, o + 4);
      buf.writeUInt32BE(t >>> 11, o + 8);
    }
    buf.fill(0x61, p + 32, p + 32 + len);
    writeSync(fd, buf, 0, 16 + total);
    written += 16 + total;
  };
  frame(true, 0x02, cIsn, 0, 0);
  frame(false, 0x12, sIsn, cIsn + 1, 0);
  frame(true, 0x10, cIsn + 1, sIsn + 1, 0);
  for (let k = 0; written < MB * 1_000_000; k++) {
    frame(true, 0x18, cIsn + 1 + cSent, sIsn + 1, MSS);
    cSent += MSS;
    if (k % 2 === 1) frame(false, 0x10, sIsn + 1, cIsn + 1 + cSent, 0);
  }
  frame(true, 0x11, cIsn + 1 + cSent, sIsn + 1, 0);
  frame(false, 0x11, sIsn + 1, cIsn + 2 + cSent, 0);
  frame(true, 0x10, cIsn + 2 + cSent, sIsn + 2, 0);
  closeSync(fd);
}

function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr ?? '');
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${(r.stderr ?? '').slice(0, 500)}`);
  return { rssMB: rss ? Number(rss[1]) / 1024 : NaN, seconds, stdout: r.stdout };
}

if (!existsSync(file)) generate();
const size = statSync(file).size / 1e6;
const apiOut = `/tmp/wg-bench-import-${MB}mb.api.txt`;
const cliOut = `/tmp/wg-bench-import-${MB}mb.cli.txt`;
const cli = measure(process.execPath, [cliBin(), 'import', file, '-o', cliOut, '--quiet']);
const ours = measure(process.execPath, [new URL(import.meta.url).pathname, '--child', file, apiOut]);
const inner = JSON.parse(ours.stdout.trim().split('\n').at(-1));
const same = readFileSync(cliOut, 'utf8') === readFileSync(apiOut, 'utf8');
rmSync(cliOut);
rmSync(apiOut);
if (!same) throw new Error('`wiregram import` wrote other text than captureFileToSequenceText');
const theirs = measure('tshark', ['-r', file, '-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info']);
const rows = [
  ['`wiregram import FILE -o OUT` (the CLI)', cli.seconds, cli.rssMB],
  ['captureFileToSequenceText (the API, in a bare node)', ours.seconds, ours.rssMB],
  ['tshark -T fields -e _ws.col.Info', theirs.seconds, theirs.rssMB],
];
const checked = inner.refused ? 'the engine refused the text!' : inner.tooLong ? 'longer than one diagram (10,000 segments), so the engine check stops at its bound' : 'checked by the engine';
console.log(`capture: ${size.toFixed(1)} MB, one stream, ${inner.lines} segments imported (${checked})`);
console.log('| tool | wall s | peak RSS MB |');
console.log('| --- | ---: | ---: |');
for (const [name, s, m] of rows) console.log(`| ${name} | ${s.toFixed(2)} | ${m.toFixed(0)} |`);
const ratio = (r) => `time ${(r.seconds / theirs.seconds).toFixed(2)}, peak RSS ${(r.rssMB / theirs.rssMB).toFixed(2)}`;
console.log(`ratios (wiregram / tshark): CLI ${ratio(cli)}; API ${ratio(ours)} (target: peak RSS ≤ 1)`);
const yardstick = 'tshark -T fields -e _ws.col.Info, desegmentation off';
const what = `import of a ${size.toFixed(0)} MB single-stream capture (${inner.lines} segments)`;
record({ figure: `wiregram ${what}: peak RSS`, value: cli.rssMB, unit: 'MB', yardstick, yardstickValue: theirs.rssMB, target: 1 });
record({ figure: `captureFileToSequenceText ${what}: peak RSS`, value: ours.rssMB, unit: 'MB', yardstick, yardstickValue: theirs.rssMB, target: 1 });
record({ figure: `wiregram ${what}: wall time`, value: cli.seconds, unit: 's', yardstick, yardstickValue: theirs.seconds });
