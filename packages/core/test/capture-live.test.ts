/**
 * Real captures: tcpdump (pcap, nanosecond) and dumpcap via tshark (pcapng) record loopback traffic of a small
 * Node client and server — a full conversation, a connection reset with resetAndDestroy(), a SYN refused by a
 * closed port — and our reader must agree with tshark on every field of every TCP frame.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureToJson, captureToSequenceText, indexStreams, timelineFromCapture } from '../src/index.js';
import { indexCaptureFile, timelineFromCaptureFile } from '../src/node.js';
import { ourRows } from './fixtures/capture/compare.js';
import { HAVE_TCPDUMP, HAVE_TSHARK, tshark } from './fixtures/capture/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'wg-live-'));
const pcapFile = join(dir, 'live.pcap');
const pcapngFile = join(dir, 'live.pcapng');
const anyFile = join(dir, 'any.pcap');
let skipReason: string | null = !HAVE_TCPDUMP || !HAVE_TSHARK ? 'tcpdump and tshark are not installed (CI installs them)' : null;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => res(port));
    });
  });
}

/** Start a capture and resolve once it is really listening (the tool says so on stderr). */
function startCapture(cmd: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => rej(new Error(`${cmd} did not start: ${err.trim()}`)), 10_000);
    p.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (ready.test(err)) {
        clearTimeout(timer);
        res(p);
      }
    });
    p.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${cmd} exited (${code}): ${err.trim()}`));
    });
    p.once('error', (e) => {
      clearTimeout(timer);
      rej(e);
    });
  });
}

function stopCapture(p: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (p.exitCode !== null) return res();
    p.once('exit', () => res());
    p.kill('SIGINT');
    setTimeout(() => p.kill('SIGKILL'), 5000).unref();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a capture file being written already holds the three conversations, with the resets of the last two. */
function holdsResets(file: string): boolean {
  try {
    const streams = indexStreams(new Uint8Array(readFileSync(file))).streams;
    return streams.length >= 3 && streams[1]!.flags.includes('RST') && streams[2]!.flags.includes('RST');
  } catch {
    return false; // not written yet
  }
}

/** Handshake, data both ways, orderly close; then a connection reset by the client; then a refused SYN. */
async function traffic(port: number, closedPort: number): Promise<void> {
  const server = net.createServer((sock) => {
    sock.on('data', (d) => {
      if (d.toString().startsWith('hello')) sock.write('world, here are 24 bytes');
    });
    sock.on('end', () => sock.end());
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  // 1. orderly conversation
  await new Promise<void>((res, rej) => {
    const c = net.connect(port, '127.0.0.1', () => c.write('hello, server'));
    c.on('data', () => c.end());
    c.on('close', () => res());
    c.on('error', rej);
  });
  await sleep(50);
  // 2. reset by the client after an exchange
  await new Promise<void>((res, rej) => {
    const c = net.connect(port, '127.0.0.1', () => c.write('hello again'));
    c.on('data', () => {
      c.resetAndDestroy();
      res();
    });
    c.on('error', rej);
  });
  await sleep(50);
  // 3. a SYN to a port nobody listens on: answered by RST, ACK
  await new Promise<void>((res) => {
    const c = net.connect(closedPort, '127.0.0.1');
    c.on('error', () => res());
    c.on('connect', () => res());
  });
  await sleep(50);
  await new Promise<void>((r) => server.close(() => r()));
}

beforeAll(async () => {
  if (skipReason) return;
  const port = await freePort();
  const closedPort = await freePort();
  const filter = `tcp port ${port} or tcp port ${closedPort}`;
  let dump: ChildProcess | null = null;
  let shark: ChildProcess | null = null;
  let any: ChildProcess | null = null;
  try {
    dump = await startCapture('tcpdump', ['-i', 'lo', '-U', '--immediate-mode', '-s', '0', '--time-stamp-precision=nano', '-w', pcapFile, filter], /listening on/);
    shark = await startCapture('tshark', ['-i', 'lo', '-w', pcapngFile, '-f', filter], /Capturing on/);
    // The "any" pseudo-device writes Linux cooked headers (SLL or SLL2, depending on the libpcap version).
    any = await startCapture('tcpdump', ['-i', 'any', '-U', '--immediate-mode', '-s', '0', '-w', anyFile, filter], /listening on/);
  } catch (e) {
    skipReason = `capturing on loopback is not permitted here (${(e as Error).message.split('\n')[0]})`;
    if (dump) await stopCapture(dump);
    if (shark) await stopCapture(shark);
    if (any) await stopCapture(any);
    return;
  }
  await sleep(300);
  await traffic(port, closedPort);
  // Let the tools drain their kernel buffers before they are told to stop. On a busy machine 1.5 s is not always
  // enough for the last RST: wait (up to 10 s more) until both tcpdump files (packet-buffered, -U) hold it.
  await sleep(1500);
  for (let waited = 0; waited < 10_000 && !(holdsResets(pcapFile) && holdsResets(anyFile)); waited += 250) await sleep(250);
  await stopCapture(dump);
  await stopCapture(shark);
  await stopCapture(any);
}, 60_000);

afterAll(() => {
  if (skipReason) console.warn(`capture-live skipped: ${skipReason}`);
  rmSync(dir, { recursive: true, force: true });
});

describe('real loopback captures', () => {
  for (const [name, file] of [
    ['tcpdump pcap (ns)', pcapFile],
    ['dumpcap pcapng', pcapngFile],
    ['tcpdump -i any (Linux cooked)', anyFile],
  ] as const) {
    it(`${name}: every TCP frame agrees with tshark (stream, flags, relative seq/ack, len, expert info)`, (ctx) => {
      if (skipReason) return ctx.skip();
      const bytes = new Uint8Array(readFileSync(file));
      const ours = ourRows(bytes);
      const theirs = tshark(file);
      expect(theirs.length).toBeGreaterThanOrEqual(10);
      expect(ours).toEqual(theirs);
      expect(ourRows(bytes, { absolute: true })).toEqual(tshark(file, { absolute: true }));
      // Three connections: conversation, reset, refused.
      const index = indexStreams(bytes);
      expect(index.streams).toHaveLength(3);
      expect(index.streams[1]!.flags).toContain('RST');
      expect(index.streams[2]!.flags).toEqual(['SYN', 'RST', 'ACK']);
      if (file === anyFile) expect([113, 276]).toContain(index.linkTypes[0]);
    });
  }

  it('the conversation becomes a Timeline with the states of both endpoints', (ctx) => {
    if (skipReason) return ctx.skip();
    const tl = timelineFromCapture(new Uint8Array(readFileSync(pcapFile)), { stream: 0 });
    const path = (id: string) => tl.states.filter((s) => s.participant === id).map((s) => s.to);
    expect(path('client').slice(0, 3)).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(path('client')).toContain('TIME_WAIT');
    expect(path('server').slice(0, 4)).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
    expect(path('server').at(-1)).toBe('CLOSED');
    expect(tl.participants[0]!.address).toBe('127.0.0.1');
    const json = captureToJson(new Uint8Array(readFileSync(pcapFile)));
    expect(json.find((s) => s.len === 13)).toMatchObject({ flags: ['PSH', 'ACK'], seq: 1, ack: 1 });
    expect(json.find((s) => s.len === 24)).toMatchObject({ flags: ['PSH', 'ACK'], seq: 1, ack: 14 });
    const reset = timelineFromCapture(new Uint8Array(readFileSync(pcapngFile)), { stream: 1 });
    expect(reset.segments.at(-1)!.marks.map((m) => m.kind)).toContain('reset');
    expect(reset.states.filter((s) => s.participant === 'client').at(-1)!.to).toBe('CLOSED');
    // Labels read exactly like tshark's Info column.
    const info = execFileSync('tshark', ['-r', pcapFile, '-n', '-Y', 'tcp.stream==0', '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8' }).trim().split('\n');
    expect(tl.segments.map((s) => s.label)).toEqual(info);
    // The refused connection: the closed port never listened.
    const refused = timelineFromCapture(new Uint8Array(readFileSync(pcapFile)), { stream: 2 });
    expect(refused.states.map((s) => `${s.participant}:${s.to}`)).toEqual(['client:CLOSED', 'server:CLOSED', 'client:SYN_SENT', 'client:CLOSED']);
    const text = captureToSequenceText(new Uint8Array(readFileSync(pcapFile)), { stream: 0 });
    expect(text).toMatch(/client -> server: PSH, ACK len=13 t=\d+\.\d{6}(\d{3})? {2}# frame \d+/);
  });

  it('the Node helpers stream the same files from disk and agree', (ctx) => {
    if (skipReason) return ctx.skip();
    for (const f of [pcapFile, pcapngFile]) {
      expect(statSync(f).size).toBeGreaterThan(0);
      const a = indexCaptureFile(f, { frameStreams: true });
      const b = indexStreams(new Uint8Array(readFileSync(f)), { frameStreams: true });
      expect(a.streams).toEqual(b.streams);
      expect(timelineFromCaptureFile(f, { stream: 1 }).segments).toEqual(timelineFromCapture(new Uint8Array(readFileSync(f)), { stream: 1 }).segments);
    }
  });
});
