#!/usr/bin/env node
// Indexing TCP streams of a one-million-packet capture (~100 MB, 20 000 streams, generated into /tmp at bench
// time), side by side with `tshark -r … -T fields -e tcp.stream` on the same file: packets per second and peak
// memory (max RSS from /usr/bin/time -v, and process.memoryUsage in-process). Also checks that both number
// every frame's stream identically.
// Imports the built package: run `npx tsc -b packages/core/tsconfig.json` first (pnpm bench does).
// Usage: node bench/capture.mjs [packets]   (default 1000000)
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pcapHeader, record } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const nodeEntry = pathToFileURL(join(root, 'packages/core/dist/node.js')).href;
const coreEntry = pathToFileURL(join(root, 'packages/core/dist/index.js')).href;

// Child mode: index the file once and report, so /usr/bin/time measures our process alone.
if (process.argv[2] === '--child') {
  const { indexCaptureFile } = await import(nodeEntry);
  const t0 = process.hrtime.bigint();
  const r = indexCaptureFile(process.argv[3]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = process.memoryUsage();
  console.log(JSON.stringify({ seconds: s, frames: r.frames, streams: r.streams.length, rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers }));
  process.exit(0);
}

const PACKETS = Number(process.argv[2] ?? 1_000_000);
const PER_STREAM = 50;
const ACTIVE = 400; // streams in flight at once, interleaved round-robin
const file = `/tmp/wg-bench-capture-${PACKETS}.pcap`;

/** Ethernet/IPv4/TCP (with timestamps option) frame into buf at off; returns its length. */
function writeFrame(dv, off, s, k, t) {
  // k: packet index within the stream; s: stream number
  const client = (k % 2 === 0) !== (k === 1); // SYN from client, SYN-ACK from server, then alternate
  const dataLen = k < 3 || k >= PER_STREAM - 3 ? 0 : client ? 60 : 8;
  const len = 14 + 20 + 32 + dataLen;
  const cIp = 0x0a000000 + (s % 60000) + 1;
  const sIp = 0x0a640001;
  const cPort = 1024 + (Math.floor(s / 60000) % 60000);
  const cIsn = (s * 2654435761) >>> 0;
  const sIsn = (s * 40503 + 12345) >>> 0;
  let flags = 0x10;
  if (k === 0) flags = 0x02;
  else if (k === 1) flags = 0x12;
  else if (k === PER_STREAM - 3 || k === PER_STREAM - 2) flags = 0x11;
  else if (dataLen) flags = 0x18;
  // sequence bookkeeping (client sends 60, server 8 per data packet)
  const dataRounds = Math.max(0, Math.min(k, PER_STREAM - 3) - 3);
  const cSent = 60 * Math.ceil(dataRounds / 2) + (k >= PER_STREAM - 2 ? 1 : 0);
  const sSent = 8 * Math.floor(dataRounds / 2) + (k >= PER_STREAM - 1 ? 1 : 0);
  const seq = client ? (k === 0 ? cIsn : cIsn + 1 + cSent) : k === 1 ? sIsn : sIsn + 1 + sSent;
  const ack = client ? sIsn + 1 + sSent : cIsn + 1 + cSent;
  // pcap record header
  dv.setUint32(off, 1_700_000_000 + Math.floor(t / 1e6), true);
  dv.setUint32(off + 4, t % 1e6, true);
  dv.setUint32(off + 8, len, true);
  dv.setUint32(off + 12, len, true);
  let p = off + 16;
  dv.setUint32(p, 0x02000000);
  dv.setUint16(p + 4, 1);
  dv.setUint32(p + 6, 0x02000000);
  dv.setUint16(p + 10, 2);
  dv.setUint16(p + 12, 0x0800);
  p += 14;
  dv.setUint8(p, 0x45);
  dv.setUint8(p + 1, 0);
  dv.setUint16(p + 2, len - 14);
  dv.setUint32(p + 4, 0x40000000 | (k & 0xffff) << 16);
  dv.setUint8(p + 8, 64);
  dv.setUint8(p + 9, 6);
  dv.setUint16(p + 10, 0);
  dv.setUint32(p + 12, client ? cIp : sIp);
  dv.setUint32(p + 16, client ? sIp : cIp);
  p += 20;
  dv.setUint16(p, client ? cPort : 443);
  dv.setUint16(p + 2, client ? 443 : cPort);
  dv.setUint32(p + 4, seq >>> 0);
  dv.setUint32(p + 8, k === 0 ? 0 : ack >>> 0);
  dv.setUint8(p + 12, 8 << 4);
  dv.setUint8(p + 13, flags);
  dv.setUint16(p + 14, 501);
  dv.setUint32(p + 16, 0);
  dv.setUint32(p + 20, 0x0101080a); // NOP NOP TS
  dv.setUint32(p + 24, t >>> 0);
  dv.setUint32(p + 28, (t - 1) >>> 0);
  p += 32;
  for (let i = 0; i < dataLen; i++) dv.setUint8(p + i, 0x61);
  return 16 + len;
}

function generate() {
  const fd = openSync(file, 'w');
  writeSync(fd, pcapHeader());
  const buf = new Uint8Array(4 << 20);
  const dv = new DataView(buf.buffer);
  let off = 0;
  let written = 0;
  const streams = Math.ceil(PACKETS / PER_STREAM);
  // Waves of ACTIVE streams, interleaved packet by packet.
  for (let base = 0; base < streams && written < PACKETS; base += ACTIVE) {
    const n = Math.min(ACTIVE, streams - base);
    for (let k = 0; k < PER_STREAM && written < PACKETS; k++) {
      for (let j = 0; j < n && written < PACKETS; j++) {
        if (off + 256 > buf.length) {
          writeSync(fd, buf, 0, off);
          off = 0;
        }
        off += writeFrame(dv, off, base + j, k, written * 10);
        written++;
      }
    }
  }
  writeSync(fd, buf, 0, off);
  closeSync(fd);
}

function timeV(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr ?? '');
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', rssKb: rss ? Number(rss[1]) : NaN, seconds };
}

const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;

if (!existsSync(file) || statSync(file).size < PACKETS * 60) {
  const t = Date.now();
  generate();
  console.log(`generated ${file}: ${PACKETS} packets, ${mb(statSync(file).size)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const size = statSync(file).size;

// 1. In-process: streaming from disk (1 MB chunks), best of 3, with memory as Node sees it.
const { indexCaptureFile } = await import(nodeEntry);
const { indexStreams } = await import(coreEntry);
let best = Infinity;
let result;
globalThis.gc?.();
const before = process.memoryUsage();
for (let i = 0; i < 3; i++) {
  const t0 = process.hrtime.bigint();
  result = indexCaptureFile(file);
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
}
const after = process.memoryUsage();

// 2. Our peak RSS as a separate process under /usr/bin/time -v.
const child = timeV(process.execPath, [fileURLToPath(import.meta.url), '--child', file]);
const childOut = child.stdout.trim() ? JSON.parse(child.stdout.trim().split('\n').at(-1)) : null;

// 3. tshark on the same file.
const haveTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
let shark = null;
if (haveTshark) shark = timeV('tshark', ['-r', file, '-n', '-T', 'fields', '-e', 'tcp.stream']);

// 4. Same numbering? Compare tshark's column with ours frame by frame.
let agree = 'n/a';
if (shark && shark.status === 0) {
  function* chunks() {
    const fd = openSync(file, 'r');
    const b = new Uint8Array(1 << 20);
    try {
      for (let n; (n = readSync(fd, b, 0, b.length, null)) > 0; ) yield b.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
  const ours = indexStreams(chunks(), { frameStreams: true }).frameStreams;
  const lines = shark.stdout.split('\n');
  let diff = 0;
  for (let i = 0; i < ours.length; i++) if (String(ours[i]) !== lines[i]) diff++;
  agree = diff === 0 ? `yes, all ${ours.length} frames` : `NO: ${diff} frames differ`;
}

const rows = [
  ['wiregram indexCaptureFile (in-process, best of 3)', best, NaN],
  ['wiregram indexCaptureFile (separate cold process)', childOut ? childOut.seconds : NaN, child.rssKb],
  ['tshark -T fields -e tcp.stream', shark ? shark.seconds : NaN, shark ? shark.rssKb : NaN],
];
console.log(`\ncapture: ${PACKETS} packets, ${result.streams.length} TCP streams, ${mb(size)}\n`);
console.log('| tool | seconds | packets/s | µs/packet | peak RSS | vs tshark |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, s, rss] of rows) {
  const pps = PACKETS / s;
  const ratio = shark && Number.isFinite(s) ? `${(shark.seconds / s).toFixed(1)}× faster` : '';
  console.log(
    `| ${name} | ${Number.isFinite(s) ? s.toFixed(2) : '—'} | ${Number.isFinite(s) ? Math.round(pps).toLocaleString('en-US') : '—'} | ${Number.isFinite(s) ? ((s / PACKETS) * 1e6).toFixed(3) : '—'} | ${Number.isFinite(rss) ? mb(rss * 1024) : '—'} | ${name.startsWith('tshark') ? '1×' : ratio} |`,
  );
}
console.log(`\nin-process memory after 3 runs: heap ${mb(after.heapUsed)} (was ${mb(before.heapUsed)}), array buffers ${mb(after.arrayBuffers)} (was ${mb(before.arrayBuffers)})`);
console.log(`same tcp.stream numbering as tshark: ${agree}`);
record({ figure: `index ${PACKETS.toLocaleString('en-US')} packets, warm (in-process)`, value: best * 1000, unit: 'ms', yardstick: shark ? 'tshark -T fields -e tcp.stream' : null, yardstickValue: shark ? shark.seconds * 1000 : null });
if (!haveTshark) console.log('tshark not installed: no comparison');
if (process.env.WG_BENCH_KEEP !== '1') unlinkSync(file);
