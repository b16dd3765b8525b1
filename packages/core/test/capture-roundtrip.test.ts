/**
 * A capture imported as `tcp-sequence` text and compiled back is the same stream: times, flags, numbers, lengths.
 * A `capture` block honours the block's numbering and label style. Wireshark's expert marks that the stream
 * analysis computes (out-of-order, zero-window probes, window updates, …) reach the Timeline, checked against tshark.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { selectStream } from '../src/capture/index.js';
import { captureToSequenceText, compileSequence, indexStreams, timelineFromCapture, type Timeline } from '../src/index.js';
import { conversation, frame, writePcap, writePcapng } from './fixtures/capture/build.js';
import { lossy, mixed, reordered, resets, simultaneous, type TimedIp } from './fixtures/capture/scenarios.js';
import { HAVE_TSHARK } from './fixtures/capture/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'wg-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const loopback = new Uint8Array(readFileSync(fileURLToPath(new URL('./fixtures/capture/loopback.pcap', import.meta.url))));
const loopbackNg = new Uint8Array(readFileSync(fileURLToPath(new URL('./fixtures/capture/loopback.pcapng', import.meta.url))));

const pcap = (list: TimedIp[], nano = true) => writePcap(list.map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(1, p.ip) })), { linkType: 1, nano });
const conv = conversation({ client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 80, cisn: 1000, sisn: 5000, start: [1_700_000_000, 123_456_789], stepNs: 1_234_567 });

/** What a user sees of each segment: who sent it, time (to the nanosecond), flags, seq, ack, len, window. */
function view(tl: Timeline, absolute = false) {
  return tl.segments.map((s) => ({
    from: s.from,
    time: s.time === null ? null : Math.round(s.time * 1e9),
    flags: s.flags.join(','),
    seq: absolute ? s.seq.offset : s.seq.relative,
    ack: s.ack ? (absolute ? s.ack.offset : s.ack.relative) : null,
    len: s.len,
    window: s.window,
  }));
}

describe('capture → text → compileSequence', () => {
  const cases: Array<[string, Uint8Array, number]> = [
    ['a clean conversation (nanosecond pcap)', pcap(conv), 0],
    ['a real loopback capture (tcpdump)', loopback, 0],
    ['a real loopback capture (pcapng)', loopbackNg, 0],
    ['loss, retransmissions, zero window, keep-alive, reset', pcap(lossy()), 0],
    ['reordering and window updates (microsecond pcap)', pcap(reordered(), false), 0],
    ['IPv6', pcap(mixed()), 2],
    ['simultaneous open and close', pcap(simultaneous()), 0],
  ];
  for (const [name, bytes, stream] of cases) {
    it(`${name}: same times, flags, seq/ack, len and window as timelineFromCapture`, () => {
      const direct = timelineFromCapture(bytes, { stream });
      const text = captureToSequenceText(bytes, { stream });
      expect(text).not.toMatch(/does not accept/);
      const compiled = compileSequence(text);
      expect(direct.segments.every((s) => s.time !== null)).toBe(true);
      expect(view(compiled)).toEqual(view(direct));
      // and with absolute numbers, which the text then spells out through `isn`
      const abs = compileSequence(captureToSequenceText(bytes, { stream, numbering: 'absolute' }));
      expect(view(abs, true)).toEqual(view(timelineFromCapture(bytes, { stream, numbering: 'absolute' }), true));
    });
  }

  it('writes the time as a t= attribute: microseconds as Wireshark shows them, nanoseconds when the capture has them', () => {
    const us = captureToSequenceText(pcap(conv, false)).split('\n').filter((l) => l.includes('->'));
    expect(us[1]).toBe('server -> client: SYN, ACK mss=1460 sack_perm ws=7 win=65160 t=0.001235  # frame 2');
    const ns = captureToSequenceText(pcap(conv)).split('\n').filter((l) => l.includes('->'));
    expect(ns[1]).toBe('server -> client: SYN, ACK mss=1460 sack_perm ws=7 win=65160 t=0.001234567  # frame 2');
    // a real capture's text is drawn by the flow layout with its Time column, not 1…N
    expect(compileSequence(captureToSequenceText(loopback)).segments.map((s) => s.time)).toEqual(timelineFromCapture(loopback).segments.map((s) => Number(s.time!.toFixed(9))));
  });
});

describe('time to the nanosecond past 2^53 ns', () => {
  it('a stream spanning 200 days keeps every nanosecond digit in t= (a double would not)', () => {
    const late = conv.map((p, i) => (i === conv.length - 1 ? { ...p, sec: p.sec + 200 * 86_400, nsec: 987_654_321 } : p));
    const bytes = pcap(late);
    const first = late[0]!;
    const ns = (BigInt(late.at(-1)!.sec - first.sec) * 1_000_000_000n + BigInt(987_654_321 - first.nsec)).toString();
    const exact = `${ns.slice(0, -9)}.${ns.slice(-9)}`;
    expect(Number(ns)).toBeGreaterThan(2 ** 53);
    const tl = timelineFromCapture(bytes);
    expect(tl.segments.at(-1)!.timeText).toBe(exact);
    expect(tl.segments.at(-1)!.time!.toFixed(9)).not.toBe(exact); // what the float alone would print
    const lines = captureToSequenceText(bytes).split('\n').filter((l) => l.includes('->'));
    expect(lines.at(-1)).toContain(`t=${exact} `);
    // microsecond captures keep six digits
    expect(timelineFromCapture(pcap(late, false)).segments.at(-1)!.timeText).toMatch(/^\d+\.\d{6}$/);
  });
});

describe('a capture block honours the block’s numbering and label style', () => {
  const read = () => loopback;
  const direct = timelineFromCapture(loopback);
  const isn = direct.segments[0]!.seq.offset;

  it('relative numbers by default, as Wireshark', () => {
    const tl = compileSequence('option labels=wireshark\ncapture ./x.pcap stream 0\n', { readFile: read });
    expect(tl.options.numbering).toBe('relative');
    expect(tl.segments[0]!.label).toMatch(/^\d+ → \d+ \[SYN\] Seq=0 Win=/);
    expect(tl.segments[2]!.label).toMatch(/\[ACK\] Seq=1 Ack=1 Win=/);
  });

  it('option numbering=absolute shows the captured numbers', () => {
    const tl = compileSequence('option labels=wireshark numbering=absolute\ncapture ./x.pcap stream 0\n', { readFile: read });
    expect(tl.options.numbering).toBe('absolute');
    expect(tl.segments[0]!.label).toMatch(new RegExp(`^\\d+ → \\d+ \\[SYN\\] Seq=${isn} Win=`));
    expect(tl.segments[2]!.label).toContain(`Seq=${(isn + 1) >>> 0} Ack=${(direct.segments[1]!.seq.offset + 1) >>> 0}`);
    expect(tl.segments.map((s) => s.label)).toEqual(timelineFromCapture(loopback, { numbering: 'absolute' }).segments.map((s) => s.label));
    // the host's default (CLI flag, plugin option) works the same; the block's own option wins over it
    const host = compileSequence('option labels=wireshark\ncapture ./x.pcap\n', { readFile: read, numbering: 'absolute' });
    expect(host.segments[0]!.label).toContain(`Seq=${isn} `);
    const block = compileSequence('option labels=wireshark numbering=relative\ncapture ./x.pcap\n', { readFile: read, numbering: 'absolute' });
    expect(block.segments[0]!.label).toContain('Seq=0 ');
  });

  it('textbook and flags labels over captured numbers', () => {
    const tl = compileSequence('option labels=textbook\ncapture ./x.pcap\n', { readFile: read });
    expect(tl.options.labelStyle).toBe('textbook');
    expect(tl.segments[2]!.label).toMatch(/^ACK, seq=1, ack=1\b/);
    const flags = compileSequence('option labels=flags numbering=absolute\ncapture ./x.pcap\n', { readFile: read });
    expect(flags.segments[0]!.label).toMatch(new RegExp(`^SYN=1, seq=${isn}, mss=`));
  });
});

/** The expert-info fields of every TCP frame, from tshark. */
function tsharkExpert(file: string): Map<number, string[]> {
  const fields: Array<[string, string]> = [
    ['tcp.analysis.out_of_order', 'out-of-order'],
    ['tcp.analysis.zero_window_probe', 'zero-window-probe'],
    ['tcp.analysis.zero_window_probe_ack', 'zero-window-probe-ack'],
    ['tcp.analysis.window_update', 'window-update'],
    ['tcp.analysis.lost_segment', 'previous-segment-lost'],
    ['tcp.analysis.ack_lost_segment', 'acked-unseen'],
  ];
  const args = ['-r', file, '-n', '-Y', 'tcp', '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number'];
  for (const [f] of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const map = new Map<number, string[]>();
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const c = line.split('\t');
    map.set(Number(c[0]), fields.filter((_, i) => (c[i + 1] ?? '') !== '').map(([, k]) => k));
  }
  return map;
}

const NEW_KINDS = new Set(['out-of-order', 'zero-window-probe', 'zero-window-probe-ack', 'window-update', 'previous-segment-lost', 'acked-unseen']);

describe('expert marks the analysis computes reach the Timeline', () => {
  it('zero-window probe, probe ACK and window update in the lossy story, with Wireshark’s Info prefixes', () => {
    const tl = timelineFromCapture(pcap(lossy()));
    expect(tl.segments[14]!.marks).toEqual([{ kind: 'zero-window-probe', text: 'zero window probe' }]);
    expect(tl.segments[14]!.label).toMatch(/^\[TCP ZeroWindowProbe\] 51000 → 443 \[ACK\] Seq=351 Ack=1 Win=\d+ Len=1$/);
    expect(tl.segments[15]!.marks.map((m) => m.kind)).toEqual(['zero-window', 'zero-window-probe-ack']);
    expect(tl.segments[15]!.label).toMatch(/^\[TCP ZeroWindowProbeAck\] /);
    expect(tl.segments[16]!.marks).toEqual([{ kind: 'window-update', text: 'window update' }]);
    expect(tl.segments[16]!.label).toMatch(/^\[TCP Window Update\] 443 → 51000 \[ACK\] Seq=1 Ack=351 Win=76800 Len=0$/);
  });

  it('out-of-order and a segment not captured in the reordered story', () => {
    const tl = timelineFromCapture(pcap(reordered()));
    expect(tl.segments[3]!.marks).toEqual([{ kind: 'previous-segment-lost', text: 'previous segment not captured' }]);
    expect(tl.segments[4]!.marks).toEqual([{ kind: 'out-of-order', text: 'out-of-order' }]);
    expect(tl.segments[4]!.retransmission).toBe(false);
    expect(tl.segments[4]!.label).toMatch(/^\[TCP Out-Of-Order\] 9000 → 80 \[PSH, ACK\] Seq=1 /);
    expect(tl.segments.map((s) => s.marks.some((m) => m.kind === 'window-update'))).toEqual(tl.segments.map((_, i) => i === 5 || i === 8));
  });

  it.skipIf(!HAVE_TSHARK)('every stream of every story: the same frames as tshark’s tcp.analysis fields', () => {
    const stories = { lossy, reordered, resets, mixed, simultaneous };
    let compared = 0;
    for (const [name, story] of Object.entries(stories)) {
      const bytes = pcap(story());
      const file = join(dir, `${name}.pcap`);
      writeFileSync(file, bytes);
      const want = tsharkExpert(file);
      for (const s of indexStreams(bytes).streams) {
        const frames = selectStream(bytes, { stream: s.index }).packets.map((p) => p.frame);
        const tl = timelineFromCapture(bytes, { stream: s.index });
        tl.segments.forEach((seg, i) => {
          const ours = seg.marks.map((m) => m.kind).filter((k) => NEW_KINDS.has(k));
          expect(ours.sort(), `${name} frame ${frames[i]}`).toEqual((want.get(frames[i]!) ?? []).sort());
          compared += ours.length;
        });
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it('the pcapng fixture round-trips through pcapng writing too', () => {
    // The same marks whatever the container: pcapng with nanosecond resolution.
    const ng = writePcapng(reordered().map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(1, p.ip) })), { interfaces: [{ linkType: 1, tsresol: 9 }] });
    expect(timelineFromCapture(ng).segments.map((s) => s.marks)).toEqual(timelineFromCapture(pcap(reordered())).segments.map((s) => s.marks));
  });
});
