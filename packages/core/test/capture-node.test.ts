/**
 * Node helpers: project-root confinement of referenced files, and streaming a large capture from disk in
 * bounded memory.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSequence, WiregramError } from '../src/index.js';
import { captureFileToJson, captureFileToSequenceText, indexCaptureFile, projectFileReader, readProjectFile, readProjectFileChunks, scanCaptureFile } from '../src/node.js';
import { conversation, frame, writePcap } from './fixtures/capture/build.js';

const root = mkdtempSync(join(tmpdir(), 'wg-project-'));
const outside = mkdtempSync(join(tmpdir(), 'wg-outside-'));
mkdirSync(join(root, 'docs', 'net'), { recursive: true });
mkdirSync(join(root, 'captures'), { recursive: true });
const pcap = writePcap(
  conversation({ client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 80, cisn: 1, sisn: 2 }).map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(1, p.ip) })),
  { linkType: 1 },
);
writeFileSync(join(root, 'captures', 'handshake.pcap'), pcap);
writeFileSync(join(root, 'docs', 'net', 'local.pcap'), pcap);
writeFileSync(join(outside, 'secret.pcap'), pcap);
symlinkSync(join(outside, 'secret.pcap'), join(root, 'captures', 'escape.pcap'));
symlinkSync(outside, join(root, 'captures', 'outdir'));
symlinkSync(join(root, 'captures', 'handshake.pcap'), join(root, 'docs', 'inside-link.pcap'));
const md = join(root, 'docs', 'net', 'tcp.md');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function refused(path: string, code: string, reason: RegExp): void {
  try {
    readProjectFile(root, md, path, { position: { start: { line: 3, column: 9, offset: 40 }, end: { line: 3, column: 30, offset: 61 } } });
    expect.unreachable(`${path} should be refused`);
  } catch (e) {
    expect(e).toBeInstanceOf(WiregramError);
    const err = e as WiregramError;
    expect(err.code).toBe(code);
    expect(err.reason).toMatch(reason);
    expect(err.line).toBe(3);
    expect(err.column).toBe(9);
    expect(err.hint).toBeTruthy();
  }
}

describe('readProjectFile', () => {
  it('reads files relative to the Markdown file, inside the root', () => {
    expect(readProjectFile(root, md, './local.pcap')).toEqual(pcap);
    expect(readProjectFile(root, md, '../../captures/handshake.pcap')).toEqual(pcap);
    expect(readProjectFile(root, md, '../inside-link.pcap')).toEqual(pcap);
    expect(projectFileReader(root, md)('local.pcap')).toEqual(pcap);
  });

  it('refuses absolute paths, .. escapes and symlinks that leave the root', () => {
    refused(join(outside, 'secret.pcap'), 'file-outside-project', /absolute path/);
    refused('/etc/passwd', 'file-outside-project', /absolute path/);
    refused('../../../' + outside.split('/').pop() + '/secret.pcap', 'file-outside-project', /outside the project root/);
    refused('../../../../../../../../etc/passwd', 'file-outside-project', /outside the project root/);
    refused('../../captures/escape.pcap', 'file-outside-project', /link to a file outside/);
    refused('../../captures/outdir/secret.pcap', 'file-outside-project', /link to a file outside/);
    refused('C:\\Windows\\win.ini', 'file-outside-project', /absolute path/);
    refused('./missing.pcap', 'file-not-found', /cannot find "\.\/missing\.pcap"/);
    refused('../../..', 'file-outside-project', /outside the project root/);
    refused('.', 'file-not-found', /not a regular file/);
    refused('bad\0name', 'file-outside-project', /NUL/);
  });
});

describe('capture statements in tcp-sequence blocks', () => {
  it('draw the referenced capture, resolved relative to the Markdown file', () => {
    const tl = compileSequence('title 抓包\ncapture ../../captures/handshake.pcap stream 0\n', { readFile: projectFileReader(root, md) });
    expect(tl.segments.map((s) => s.flags.join(','))).toEqual(['SYN', 'SYN,ACK', 'ACK', 'PSH,ACK', 'ACK', 'PSH,ACK', 'ACK', 'FIN,ACK', 'FIN,ACK', 'ACK']);
    expect(tl.title).toBe('抓包');
  });

  it('refuse a capture outside the project, pointing at the statement', () => {
    try {
      compileSequence('\ncapture ../../captures/escape.pcap\n', { readFile: projectFileReader(root, md) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WiregramError);
      expect((e as WiregramError).code).toBe('file-outside-project');
      expect((e as WiregramError).line).toBe(2);
    }
  });
});

describe('readProjectFileChunks', () => {
  const joined = (chunks: Iterable<Uint8Array>) => Buffer.concat([...chunks].map((c) => Buffer.from(c)));
  it('yields the file in chunks of at most the size asked for (one reused buffer)', () => {
    const seen: number[] = [];
    const copies: Uint8Array[] = [];
    for (const c of readProjectFileChunks(root, md, './local.pcap', {}, 7)) {
      seen.push(c.length);
      copies.push(c.slice());
    }
    expect(Math.max(...seen)).toBe(7);
    expect(Buffer.concat(copies)).toEqual(Buffer.from(pcap));
    expect(joined(readProjectFileChunks(root, md, '../inside-link.pcap'))).toEqual(Buffer.from(pcap));
  });

  it('refuses what readProjectFile refuses, at the call', () => {
    expect(() => readProjectFileChunks(root, md, '../../captures/escape.pcap')).toThrow(/link to a file outside/);
    expect(() => readProjectFileChunks(root, md, './missing.pcap')).toThrow(/cannot find/);
    expect(() => readProjectFileChunks(root, md, './local.pcap', { maxBytes: 10 })).toThrow(/more than the/);
  });

  it('gives a capture statement the same Timeline as a whole read, and a read failing half-way is a capture-read error', () => {
    const block = 'capture ../../captures/handshake.pcap stream 0\n';
    const whole = () => (path: string) => readProjectFile(root, md, path);
    const chunked = Object.assign(whole(), { chunks: (path: string) => readProjectFileChunks(root, md, path, {}, 13) });
    const a = compileSequence(block, { readFile: (path) => readProjectFile(root, md, path) });
    expect(JSON.stringify(compileSequence(block, { readFile: chunked }))).toBe(JSON.stringify(a));
    const failing = Object.assign(whole(), {
      *chunks() {
        yield pcap.subarray(0, 40);
        throw new Error('EIO: i/o error, read');
      },
    });
    try {
      compileSequence('\n' + block, { readFile: failing });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WiregramError);
      expect((e as WiregramError).code).toBe('capture-read');
      expect((e as WiregramError).reason).toMatch(/cannot read .*handshake\.pcap: EIO/);
      expect((e as WiregramError).line).toBe(2);
    }
  });
});

describe('capture files on disk', () => {
  it('imports a stream as JSON and as tcp-sequence text', () => {
    const f = join(root, 'captures', 'handshake.pcap');
    expect(captureFileToJson(f)[1]).toEqual({ src: '10.0.0.2:80', dst: '10.0.0.1:40000', flags: ['SYN', 'ACK'], seq: 0, ack: 1, len: 0 });
    expect(captureFileToSequenceText(f, { source: 'handshake.pcap' })).toMatch(/^# imported by wiregram from TCP stream 0 of handshake\.pcap: 10 segments/);
    expect(() => indexCaptureFile(join(root, 'nope.pcap'))).toThrow(WiregramError);
  });

  it('streams a large capture in bounded memory', () => {
    // 300 000 packets (~25 MB), 1 000 streams, written without holding the file in memory.
    const file = join(outside, 'big.pcap');
    const fd = openSync(file, 'w');
    const head = writePcap([], { linkType: 1 });
    writeSync(fd, head);
    const tpl = frame(1, conversation({ client: '10.0.0.1', server: '10.9.0.1', cport: 1, sport: 80, cisn: 1, sisn: 1 })[3]!.ip);
    const rec = new Uint8Array(16 + tpl.length);
    const dv = new DataView(rec.buffer);
    dv.setUint32(8, tpl.length, true);
    dv.setUint32(12, tpl.length, true);
    rec.set(tpl, 16);
    const batch = new Uint8Array(rec.length * 1000);
    const N = 300_000;
    for (let i = 0; i < N; i += 1000) {
      for (let j = 0; j < 1000; j++) {
        const k = i + j;
        dv.setUint32(0, 1_700_000_000 + Math.floor(k / 1000), true);
        dv.setUint32(4, (k % 1000) * 1000, true);
        dv.setUint16(16 + 14 + 20, 10_000 + (k % 1000)); // source port: 1000 streams
        dv.setUint32(16 + 14 + 24, 1 + Math.floor(k / 1000) * 100); // seq advances per round
        batch.set(rec, j * rec.length);
      }
      writeSync(fd, batch);
    }
    closeSync(fd);
    const before = process.memoryUsage().arrayBuffers;
    const r = scanCaptureFile(file, { stream: 7 }, 1 << 16);
    const grew = process.memoryUsage().arrayBuffers - before;
    expect(r.frames).toBe(N);
    expect(r.streams).toHaveLength(1000);
    expect(r.packets).toHaveLength(N / 1000);
    expect(r.packets[1]!.relSeq - r.packets[0]!.relSeq).toBe(100);
    // The file is ~25 MB; what stays allocated is the stream table and one chunk, not the file.
    expect(grew).toBeLessThan(4 * 1024 * 1024);
  });
});
