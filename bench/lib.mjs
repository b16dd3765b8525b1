// Shared by the bench scripts (not a bench itself; bench/run.mjs skips it): the seed diagrams, the built
// packages' URLs, the timing loops and the Markdown table. The machine is shared, so every loop reports a
// robust statistic (best or median of rounds) and collects garbage between rounds when run with --expose-gc.
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, '..');

/**
 * A classic pcap global header (little-endian, version 2.4, Ethernet) for the generated captures the bench reads;
 * `nanosecond` picks the 0xa1b23c4d magic.
 */
export function pcapHeader({ snaplen = 262144, nanosecond = false } = {}) {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snaplen, 16);
  header.writeUInt32LE(1, 20);
  return header;
}

/** The `wiregram` bin, after checking the CLI is built (exits with a hint if not). */
export function cliBin() {
  if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) {
    console.error('packages/cli/dist is missing: run `npx tsc -b packages/cli/tsconfig.json` first');
    process.exit(1);
  }
  return join(ROOT, 'packages/cli/bin/wiregram.cjs');
}

/** `file:` URL of a built package entry: `dist('core')`, `dist('core', 'node.js')`. */
export const dist = (pkg, file = 'index.js') => pathToFileURL(join(ROOT, 'packages', pkg, 'dist', file)).href;

/** The seed figures (reference/seed-*.svg) in wiregram's language. */
export const SEED_HANDSHAKE = `title TCP 三次握手
participant client as 客户端
participant server as 服务端
isn client=x server=y
client -> server: SYN
server -> client: SYN, ACK
client -> server: ACK
`;
export const SEED_WAVEHAND = `title TCP 四次挥手
participant client as 客户端
participant server as 服务端
state client=ESTABLISHED server=ESTABLISHED
seq client=u server=v
client -> server: FIN, ACK
server -> client: ACK
server -> client: FIN, ACK
client -> server: ACK
`;

export const gc = () => globalThis.gc?.();
export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Best of `rounds` rounds of `n` calls, after `warmup` calls: µs per call. */
export function bestOfRounds(fn, { rounds = 15, n = 300, warmup = n * 3 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  return best;
}

/** Median ms per call over batches of ~`batchMs` for at least `minMs` (the median ignores the bad batches). */
export function medianOfBatches(fn, { minMs = 1500, batchMs = 100, minBatches = 5 } = {}) {
  fn(); // warm
  const t = performance.now();
  fn();
  const once = Math.max(performance.now() - t, 0.01);
  const perBatch = Math.max(1, Math.round(batchMs / once));
  const batches = [];
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || batches.length < minBatches) {
    const b = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    batches.push((performance.now() - b) / perBatch);
  }
  return median(batches);
}

/** Median and min ms of `runs` single calls after one warm-up call. */
export function medianOfRuns(fn, runs) {
  fn(); // warm-up: module init, font metrics, JIT
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return { median: median(times), min: Math.min(...times) };
}

/**
 * Calls `fn` in groups of `batch` for ~`ms` after a warm-up (`warmupMs` of calls, or `warmup` calls), with a gc
 * before timing: wall µs per call, and CPU µs per call (process CPU time: the work's cost when the machine is
 * shared and the process is descheduled).
 */
export function runFor(fn, { ms = 700, batch = 10, warmup = 0, warmupMs = 0 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const w0 = performance.now();
  while (performance.now() - w0 < warmupMs) for (let i = 0; i < batch; i++) fn();
  gc();
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    t = performance.now();
  }
  const c = process.cpuUsage(c0);
  return { us: ((t - t0) * 1000) / n, cpuUs: (c.user + c.system) / n };
}

/** The same for a function returning a promise: wall µs per call. */
export async function runForAsync(fn, { ms = 700, batch = 1, warmup = 50 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < batch; i++) await fn();
    n += batch;
    t = performance.now();
  }
  return ((t - t0) * 1000) / n;
}

/** Median wall ms of `runs` fresh processes (`node <args>` by default); throws when one fails. */
export function coldStart(args, { runs = 7, cmd = process.execPath, ...options } = {}) {
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: 'ignore', ...options });
    if (r.status !== 0) throw new Error(`cold run failed: ${args.join(' ')}`);
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ts);
}

const CPU_REPORT = join(BENCH_DIR, 'cpu-report.cjs');

/**
 * One fresh Node process (`node <args>`), timed: wall ms, and CPU ms (user + system of the whole process, Node's
 * start-up included, reported by the preloaded cpu-report.cjs at exit) — the cost of the work itself when the
 * machine is shared. Returns { ms, cpuMs, status, stderr }.
 */
export function timedNode(args, { cwd, env = process.env } = {}) {
  const report = join(tmpdir(), `wg-cpu-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', CPU_REPORT, ...args], { cwd, env: { ...env, WG_CPU_REPORT: report }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let cpuMs = null;
  try {
    cpuMs = Number(readFileSync(report, 'utf8').trim().split('\n').pop()) / 1000;
    rmSync(report, { force: true });
  } catch {
    // the process died before its exit handler
  }
  return { ms, cpuMs, status: r.status, stderr: r.stderr ?? '', error: r.error };
}

/** Print a Markdown table; a header ending in `:` is right-aligned (the `:` is not shown). */
export function printTable(headers, rows) {
  console.log(`| ${headers.map((h) => h.replace(/:$/, '')).join(' | ')} |`);
  console.log(`| ${headers.map((h) => (h.endsWith(':') ? '---:' : '---')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

/**
 * One figure for the summary `bench/run.mjs` prints after every script and writes to bench/out/ as JSON:
 * `{ figure, value, unit, yardstick, yardstickValue, ratio, cpuRatio, target, met }`. `ratio` is value / yardstick (for
 * "faster than" figures pass `better: 'lower'`, the default; a target applies to the ratio unless `targetOn:
 * 'value'`; `cpuRatio`, where given, is the same ratio in CPU time, printed beside it). Figures go to the file named by WG_BENCH_FIGURES (set by run.mjs); run alone, a script only prints.
 */
export function record({ figure, value, unit, yardstick = null, yardstickValue = null, ratio = null, cpuRatio = null, target = null, targetOn = 'ratio', note = '' }) {
  const file = process.env.WG_BENCH_FIGURES;
  const r = ratio === false ? null : (ratio ?? (yardstickValue ? value / yardstickValue : null));
  const checked = targetOn === 'value' ? value : r;
  const met = target === null || checked === null ? null : checked <= target;
  const entry = { script: process.argv[1]?.split('/').pop() ?? '', figure, value, unit, yardstick, yardstickValue, ratio: r, cpuRatio, target, targetOn, met, note };
  if (file) appendFileSync(file, JSON.stringify(entry) + '\n');
  return entry;
}

/** Median of per-round ratios a[i] / b[i]: paired, so load that drifts between rounds cancels out. */
export function pairedRatio(a, b) {
  const n = Math.min(a.length, b.length);
  return median(Array.from({ length: n }, (_, i) => a[i] / b[i]));
}

/**
 * A single-stream capture for the import and elide benches (generated into /tmp, never committed): handshake, the
 * client sends MSS-sized segments, the server ACKs every second one, then FINs. Either `megabytes` of file or
 * `segments` frames in all. With `lossEvery` = n, every n-th data segment is lost after the capture point: the
 * server repeats its ACK of the hole (duplicate ACKs) until the client's fast retransmission fills it. With
 * `zeroWindow`, halfway through the server advertises a zero window once and reopens it (the stream graphs' bench).
 */
export function writeBulkCapture(file, { megabytes = Infinity, segments = Infinity, lossEvery = 0, zeroWindow = false } = {}) {
  const MSS = 1448;
  const fd = openSync(file, 'w');
  writeSync(fd, pcapHeader({ nanosecond: true }));
  const cIsn = 0x9abc0000;
  const sIsn = 0x12340000;
  let cSent = 0;
  let t = 0;
  let written = 24;
  const buf = Buffer.alloc(16 + 14 + 20 + 32 + MSS);
  const frame = (fromClient, flags, seq, ack, len, win = 2048) => {
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
    buf.writeUInt16BE(flags & 0x02 ? 64240 : win, p + 14);
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
  let frames = 3;
  let hole = -1;
  let sinceHole = 0;
  for (let k = 0; written < megabytes * 1_000_000 && frames < segments - 3; k++) {
    frame(true, 0x18, cIsn + 1 + cSent, sIsn + 1, MSS);
    frames++;
    if (lossEvery && hole < 0 && k % lossEvery === lossEvery - 1) {
      hole = cSent;
      sinceHole = 0;
    }
    cSent += MSS;
    if (hole >= 0 && ++sinceHole > 1) {
      // Every segment past the hole gets a duplicate ACK; the third brings the retransmission and the full ACK.
      frame(false, 0x10, sIsn + 1, cIsn + 1 + hole, 0);
      frames++;
      if (sinceHole === 4) {
        frame(true, 0x18, cIsn + 1 + hole, sIsn + 1, MSS);
        frame(false, 0x10, sIsn + 1, cIsn + 1 + cSent, 0);
        frames += 2;
        hole = -1;
      }
    } else if (zeroWindow && hole < 0 && frames >= segments / 2) {
      zeroWindow = false;
      frame(false, 0x10, sIsn + 1, cIsn + 1 + cSent, 0, 0);
      frame(false, 0x10, sIsn + 1, cIsn + 1 + cSent, 0);
      frames += 2;
    } else if (hole < 0 && k % 2 === 1) {
      frame(false, 0x10, sIsn + 1, cIsn + 1 + cSent, 0);
      frames++;
    }
  }
  frame(true, 0x11, cIsn + 1 + cSent, sIsn + 1, 0);
  frame(false, 0x11, sIsn + 1, cIsn + 2 + cSent, 0);
  frame(true, 0x10, cIsn + 2 + cSent, sIsn + 2, 0);
  closeSync(fd);
}
