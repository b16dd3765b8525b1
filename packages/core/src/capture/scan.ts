/**
 * One pass over a capture: read → decode → index streams, and keep the full detail of one chosen stream.
 * Incremental (`push` chunks, then `finish`), so a Node host can feed a file of any size in bounded memory.
 */
import { WiregramError, type Diagnostic } from '../errors.js';
import type { TcpFlag, TcpOption } from '../timeline.js';
import { Decoded, LINKTYPE, LINKTYPE_NAMES, decodeFrame, flagNames, formatAddress, newTcpFrame, parseTcpOptions, type TcpFrame } from './decode.js';
import { CaptureReader, packetDelta, packetDeltaText, packetSeconds, timeBase, type CaptureDamage, type CaptureFormat, type PacketRef, type TimeBase } from './reader.js';
import { StreamTable } from './streams.js';

export interface Endpoint {
  address: string;
  port: number;
}

/** Choose a stream by its endpoints (either direction); omitted parts match anything. */
export interface CaptureTuple {
  srcAddress?: string;
  srcPort?: number;
  dstAddress?: string;
  dstPort?: number;
}

export interface StreamInfo {
  /** Wireshark's `tcp.stream`. */
  index: number;
  family: 4 | 6;
  /** The endpoint that sent the stream's first packet. */
  a: Endpoint;
  b: Endpoint;
  packets: number;
  /** TCP payload bytes, both directions. */
  bytes: number;
  /** Whole frames as on the wire (Wireshark's frame.len), both directions: the Bytes of `tshark -z conv,tcp`. */
  frameBytes: number;
  firstFrame: number;
  lastFrame: number;
  /** Seconds from the first packet of the capture. */
  start: number;
  end: number;
  /** Every flag seen in the stream. */
  flags: TcpFlag[];
}

/** One TCP segment of the chosen stream, with everything a diagram needs. */
export interface StreamPacket {
  frame: number;
  /** Seconds from the first packet of the capture (Wireshark's frame.time_relative). */
  time: number;
  /** The same, exact to the capture's resolution (`packetDeltaText`), or null. */
  timeText: string | null;
  /** Seconds since the epoch. */
  epoch: number;
  /** 0 when sent by endpoint A (the stream's first sender), 1 when sent by B. */
  dir: 0 | 1;
  flags: number;
  seq: number;
  ack: number;
  relSeq: number;
  relAck: number;
  len: number;
  /** The raw 16-bit window field. */
  window: number;
  options: TcpOption[];
  ttl: number;
  firstFragment: boolean;
  /** The IP+TCP bytes as captured (header and up to 64 payload bytes), for header diagrams. */
  headerBytes: Uint8Array;
  /** Port reuse: this SYN opened a new stream on the ports of an older one. */
  reusedPorts: boolean;
  /** The urgent pointer (meaningful with URG). */
  urgent: number;
}

export interface ScanOptions {
  /** Keep the detail of this stream (Wireshark's tcp.stream). */
  stream?: number;
  /** …or of the first stream with these endpoints. */
  tuple?: CaptureTuple;
  /** Record the stream number of every frame (-1: not TCP) in `frameStreams`. */
  frameStreams?: boolean;
  /** At most this many segments of the chosen stream are kept (default 100 000). */
  maxSegments?: number;
}

export interface ScanResult {
  format: CaptureFormat;
  linkTypes: number[];
  frames: number;
  tcpPackets: number;
  streams: StreamInfo[];
  /** The chosen stream's index, or null when no stream was asked for or none matched. */
  selected: number | null;
  packets: StreamPacket[];
  frameStreams: Int32Array | null;
  warnings: Diagnostic[];
  /** Where reading stopped at a cut-short or corrupt record, if it did (also among `warnings`). */
  damage: CaptureDamage | null;
}

/** Bounds on reassembly: datagrams open at once, and bytes in one (an IPv4 datagram is at most 65,535). */
const MAX_OPEN_DATAGRAMS = 1024;
const MAX_DATAGRAM = 65_535;

/** Small copies carved out of 64 KiB slabs: views share a backing store instead of allocating one each. */
class ByteSlab {
  private buf = new Uint8Array(0);
  private used = 0;

  copy(src: Uint8Array, start: number, end: number): Uint8Array {
    const n = end - start;
    if (this.used + n > this.buf.length) {
      this.buf = new Uint8Array(Math.max(65_536, n));
      this.used = 0;
    }
    const out = this.buf.subarray(this.used, this.used + n);
    out.set(src.subarray(start, end));
    this.used += n;
    return out;
  }
}

export class CaptureScanner {
  private readonly reader: CaptureReader;
  private readonly table = new StreamTable();
  private readonly frame: TcpFrame = newTcpFrame();
  private base: TimeBase | null = null;
  private tcpPackets = 0;
  private selected = -1;
  private readonly wantStream: number;
  private readonly tuple: NormalTuple | null;
  private readonly maxSegments: number;
  private readonly packets: StreamPacket[] = [];
  /** IPv4 datagrams being reassembled, by source, destination and identification. */
  private readonly fragments = new Map<string, { header: Uint8Array | null; pieces: Array<{ at: number; data: Uint8Array }>; end: number; bytes: number }>();
  /** Header bytes of kept packets, copied into shared slabs rather than one ArrayBuffer each. */
  private readonly slab = new ByteSlab();
  private frameStreams: Int32Array | null;
  private readonly linkTypes = new Set<number>();

  constructor(private readonly options: ScanOptions = {}) {
    this.wantStream = options.stream ?? -1;
    this.tuple = options.tuple ? normalTuple(options.tuple) : null;
    this.maxSegments = options.maxSegments ?? 100_000;
    this.frameStreams = options.frameStreams ? new Int32Array(1024) : null;
    this.reader = new CaptureReader((p) => this.onPacket(p));
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
  }

  /** Reading stopped at a damaged record: the rest of the input need not be read (a stream can be closed). */
  get stopped(): boolean {
    return this.reader.stopped;
  }

  finish(): ScanResult {
    this.reader.end();
    const t = this.table;
    const streams: StreamInfo[] = [];
    for (let s = 0; s < t.count; s++) streams.push(this.info(s));
    const fs = this.frameStreams;
    return {
      format: this.reader.format ?? 'pcap',
      linkTypes: [...this.linkTypes],
      frames: this.reader.frames,
      tcpPackets: this.tcpPackets,
      streams,
      selected: this.selected >= 0 ? this.selected : null,
      packets: this.packets,
      frameStreams: fs ? fs.slice(0, this.reader.frames) : null,
      warnings: this.reader.warnings.list(),
      damage: this.reader.damage,
    };
  }

  private info(s: number): StreamInfo {
    const t = this.table;
    const e = t.endpoints(s);
    const words = concat(e.a, e.b);
    return {
      index: s,
      family: e.family,
      a: { address: formatAddress(e.family, words, 0), port: e.aPort },
      b: { address: formatAddress(e.family, words, 1), port: e.bPort },
      packets: t.packets[s]!,
      bytes: t.bytes[s]!,
      frameBytes: t.frameBytes[s]!,
      firstFrame: t.firstFrame[s]!,
      lastFrame: t.lastFrame[s]!,
      start: t.firstTime[s]!,
      end: t.lastTime[s]!,
      flags: flagNames(t.flagsSeen[s]!),
    };
  }

  /**
   * IPv4 reassembly as Wireshark does it (ip.defragment, on by default): the fragments of a datagram are collected
   * by (source, destination, identification); the TCP segment appears on the frame that completes it, whole.
   * Returns that datagram as a raw-IP packet, or null while pieces are missing.
   */
  private reassembleIpv4(p: PacketRef, f: TcpFrame): PacketRef | null {
    const key = `${f.addr[0]} ${f.addr[4]} ${f.ipId}`;
    let d = this.fragments.get(key);
    if (!d) {
      if (this.fragments.size >= MAX_OPEN_DATAGRAMS) this.fragments.delete(this.fragments.keys().next().value!);
      d = { header: null, pieces: [], end: -1, bytes: 0 };
      this.fragments.set(key, d);
    }
    const start = f.ipOffset; // an index into p.bytes, as keep() uses it
    const payloadStart = start + f.ipHeaderLength;
    const payloadEnd = Math.min(p.offset + p.capturedLength, start + f.ipTotal);
    const at = (f.ipFragment & 0x1fff) * 8;
    if (payloadEnd < payloadStart || d.bytes + (payloadEnd - payloadStart) > MAX_DATAGRAM) return null;
    if (at === 0) d.header = p.bytes.slice(start, payloadStart);
    d.pieces.push({ at, data: p.bytes.slice(payloadStart, payloadEnd) });
    d.bytes += payloadEnd - payloadStart;
    if ((f.ipFragment & 0x2000) === 0) d.end = at + (payloadEnd - payloadStart);
    if (d.end < 0 || d.header === null) return null;
    // Complete when the pieces cover [0, end) without a hole.
    d.pieces.sort((x, y) => x.at - y.at);
    let covered = 0;
    for (const piece of d.pieces) {
      if (piece.at > covered) return null;
      covered = Math.max(covered, piece.at + piece.data.length);
    }
    if (covered < d.end) return null;
    this.fragments.delete(key);
    const hl = d.header.length;
    const bytes = new Uint8Array(hl + d.end);
    bytes.set(d.header, 0);
    for (const piece of d.pieces) bytes.set(piece.data.subarray(0, Math.max(0, Math.min(piece.data.length, d.end - piece.at))), hl + piece.at);
    const view = new DataView(bytes.buffer);
    view.setUint16(2, Math.min(0xffff, hl + d.end));
    view.setUint16(6, 0);
    return { ...p, linkType: LINKTYPE.RAW, bytes, view, offset: 0, capturedLength: bytes.length };
  }

  private onPacket(p: PacketRef): void {
    if (this.base === null) this.base = timeBase(p);
    const fs = this.frameStreams;
    if (fs && p.frame > fs.length) {
      const next = new Int32Array(fs.length * 2);
      next.set(fs);
      this.frameStreams = next;
    }
    if (this.frameStreams) this.frameStreams[p.frame - 1] = -1;
    const f = this.frame;
    let r = decodeFrame(p.linkType, p.view, p.offset, p.capturedLength, f);
    let reassembled = false;
    if ((r === Decoded.Fragment || (r === Decoded.Tcp && f.firstFragment)) && f.family === 4) {
      const whole = this.reassembleIpv4(p, f);
      if (!whole) return; // a piece of a datagram not complete yet (tshark shows it as an IPv4 fragment, not TCP)
      this.linkTypes.add(p.linkType);
      reassembled = true;
      p = whole;
      r = decodeFrame(p.linkType, p.view, p.offset, p.capturedLength, f);
    }
    if (r !== Decoded.Tcp) {
      this.decodeWarning(r, p);
      return;
    }
    if (f.firstFragment) this.reader.warnings.add('capture-fragment', `frame ${p.frame} is the first fragment of a fragmented IP datagram; its TCP length counts only this fragment`);
    this.tcpPackets++;
    if (!reassembled) this.linkTypes.add(p.linkType);
    const time = packetDelta(p, this.base);
    const t = this.table;
    const s = t.lookup(f, p.frame, time, p.originalLength);
    if (this.frameStreams) this.frameStreams[p.frame - 1] = s;
    if (t.created && this.selected < 0) this.maybeSelect(s);
    if (s === this.selected) this.keep(p, f, s, time);
  }

  private maybeSelect(s: number): void {
    if (this.wantStream >= 0) {
      if (s === this.wantStream) this.selected = s;
      return;
    }
    const want = this.tuple;
    if (!want) return;
    const i = this.info(s);
    if (matches(want, i.a, i.b) || matches(want, i.b, i.a)) this.selected = s;
  }

  private keep(p: PacketRef, f: TcpFrame, s: number, time: number): void {
    if (this.packets.length >= this.maxSegments) {
      this.reader.warnings.add('capture-stream-cut', `stream ${s} has more than ${this.maxSegments} segments; only the first ${this.maxSegments} were kept`, 'choose a shorter capture, or raise maxSegments');
      return;
    }
    const t = this.table;
    const dir = (t.dir ^ t.aIsHigh[s]!) as 0 | 1;
    const fwd = s * 2 + t.dir;
    const rev = s * 2 + (1 - t.dir);
    const options = f.headerLength > 20 ? parseTcpOptions(p.view, f.tcpOffset, f.headerLength, f.end) : [];
    const revBase = t.base[rev]!;
    for (const o of options) if (o.blocks) o.blocks = o.blocks.map(([l, r]) => [(l - revBase) >>> 0, (r - revBase) >>> 0]);
    const hdrEnd = Math.min(f.end, f.tcpOffset + f.headerLength + 64);
    const start = f.ipOffset;
    this.packets.push({
      frame: p.frame,
      time,
      timeText: packetDeltaText(p, this.base!),
      epoch: packetSeconds(p),
      dir,
      flags: f.flags,
      seq: f.seq,
      ack: f.ack,
      relSeq: (f.seq - t.base[fwd]!) >>> 0,
      relAck: t.baseSet[rev] ? (f.ack - revBase) >>> 0 : f.ack,
      len: f.payloadLength,
      window: f.window,
      options,
      ttl: f.ttl,
      firstFragment: f.firstFragment,
      headerBytes: this.slab.copy(p.bytes, start, Math.max(start, hdrEnd)),
      reusedPorts: t.reused,
      urgent: f.urgent,
    });
  }

  private decodeWarning(r: Decoded, p: PacketRef): void {
    const w = this.reader.warnings;
    switch (r) {
      case Decoded.Truncated:
        w.add('capture-frame-truncated', `frame ${p.frame} was captured too short (${p.capturedLength} bytes) to hold its TCP header; skipped`, 'capture with a larger snap length (tcpdump -s 0)');
        break;
      case Decoded.Malformed:
        w.add('capture-frame-malformed', `frame ${p.frame} has an impossible IP or TCP header; skipped`);
        break;
      case Decoded.Fragment:
        w.add('capture-fragment-skipped', `frame ${p.frame} is a later fragment of an IP datagram; skipped (its TCP header is in the first fragment)`);
        break;
      case Decoded.UnknownLink:
        w.add(`capture-linktype-${p.linkType}`, `frame ${p.frame} uses link type ${p.linkType}, which wiregram does not read; skipped`, `supported: ${Object.entries(LINKTYPE_NAMES).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        break;
      default:
        break;
    }
  }
}

function concat(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(8);
  out.set(a.subarray(0, 4), 0);
  out.set(b.subarray(0, 4), 4);
  return out;
}

interface NormalTuple {
  srcAddress: string | null;
  srcPort: number | null;
  dstAddress: string | null;
  dstPort: number | null;
}

function normalTuple(t: CaptureTuple): NormalTuple {
  return {
    srcAddress: t.srcAddress != null ? normalizeAddress(t.srcAddress) : null,
    srcPort: t.srcPort ?? null,
    dstAddress: t.dstAddress != null ? normalizeAddress(t.dstAddress) : null,
    dstPort: t.dstPort ?? null,
  };
}

function matches(t: NormalTuple, src: Endpoint, dst: Endpoint): boolean {
  return (
    (t.srcAddress === null || t.srcAddress === src.address) &&
    (t.srcPort === null || t.srcPort === src.port) &&
    (t.dstAddress === null || t.dstAddress === dst.address) &&
    (t.dstPort === null || t.dstPort === dst.port)
  );
}

/** Parse an IPv4 or IPv6 address into the text `formatAddress` produces, so `::1` and `0:0::1` match. */
export function normalizeAddress(text: string): string {
  const s = text.trim().replace(/^\[|\]$/g, '');
  const bad = () =>
    new WiregramError({ code: 'capture-address', reason: `"${s.slice(0, 60)}" is not an IPv4 or IPv6 address`, expected: 'an address like 192.0.2.1 or 2001:db8::1' });
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  const words = new Uint32Array(8);
  if (v4) {
    const b = v4.slice(1).map(Number);
    if (b.some((x) => x > 255)) throw bad();
    words[0] = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    return formatAddress(4, words, 0);
  }
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) throw bad();
  let head = s;
  let tail4: number[] = [];
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    const b = m[2]!.split('.').map(Number);
    if (b.some((x) => x > 255)) throw bad();
    tail4 = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    head = m[1]!.endsWith('::') ? m[1]! : m[1]!.slice(0, -1);
  }
  const parts = head.split('::');
  if (parts.length > 2) throw bad();
  const parse = (x: string) => (x === '' ? [] : x.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const left = parse(parts[0]!);
  const right = [...(parts.length === 2 ? parse(parts[1]!) : []), ...tail4];
  const fill = 8 - left.length - right.length;
  if (left.some(Number.isNaN) || right.some(Number.isNaN) || fill < 0 || (parts.length === 1 && fill !== 0)) throw bad();
  const groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  for (let i = 0; i < 4; i++) words[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return formatAddress(6, words, 0);
}

/** Run a scan over in-memory bytes or an iterable of chunks. */
export function scanCapture(input: Uint8Array | ArrayBuffer | Iterable<Uint8Array>, options: ScanOptions = {}): ScanResult {
  const scanner = new CaptureScanner(options);
  for (const chunk of chunksOf(input)) scanner.push(chunk);
  return scanner.finish();
}

/** The chunks of a capture given as bytes or as an iterable of chunks; anything else is a WiregramError. */
export function* chunksOf(input: Uint8Array | ArrayBuffer | Iterable<Uint8Array>): Iterable<Uint8Array> {
  if (input instanceof Uint8Array) yield input;
  else if (input instanceof ArrayBuffer) yield new Uint8Array(input);
  else if (input && typeof (input as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
    for (const c of input as Iterable<Uint8Array>) {
      if (!(c instanceof Uint8Array)) throw new WiregramError({ code: 'capture-input', reason: 'a capture chunk is not a Uint8Array', expected: 'Uint8Array chunks' });
      yield c;
    }
  } else throw new WiregramError({ code: 'capture-input', reason: 'the capture must be bytes (Uint8Array) or an iterable of Uint8Array chunks', expected: 'a Uint8Array' });
}
