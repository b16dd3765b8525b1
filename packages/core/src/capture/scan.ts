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
  /** The IP+TCP bytes as captured (header and up to 64 payload bytes, `ScanOptions.headerPayload`), for header diagrams. */
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
  /** Payload bytes kept after each kept segment's TCP header in `headerBytes` (default 64; 0 keeps the headers only). */
  headerPayload?: number;
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

/** A typed array of `n` elements holding the first of `a`'s (the columns grow by doubling, then are cut to fit). */
function resized<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(a: T, n: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a.length > n ? a.subarray(0, n) : a);
  return next;
}

/**
 * The chosen stream's packets in columns: a few dozen bytes each in typed arrays, and the IP+TCP header bytes in
 * one growing buffer, instead of an object, an options list and a byte view per packet (a long stream's objects
 * were most of an import's memory). `StreamPacket`s are views over a row (`PacketView`).
 */
export class PacketColumns {
  length = 0;
  frame = new Uint32Array(64);
  time = new Float64Array(64);
  epoch = new Float64Array(64);
  seq = new Uint32Array(64);
  ack = new Uint32Array(64);
  relSeq = new Uint32Array(64);
  relAck = new Uint32Array(64);
  len = new Uint32Array(64);
  /** The peer's ISN, for SACK edges made relative. */
  revBase = new Uint32Array(64);
  flags = new Uint16Array(64);
  window = new Uint16Array(64);
  urgent = new Uint16Array(64);
  /** Bit 0: dir; 1: first fragment; 2: reused ports. */
  bits = new Uint8Array(64);
  ttl = new Uint8Array(64);
  /** Where the row's header bytes start in `bytes`, how many there are, and where the TCP header starts among them. */
  hdrAt = new Uint32Array(64);
  hdrLen = new Uint32Array(64);
  tcpAt = new Uint32Array(64);
  tcpLen = new Uint8Array(64);
  /** The raw timestamp, and its units (an index into `clocks`): `timeText` is made from them when asked for. */
  tsHigh = new Uint32Array(64);
  tsLow = new Uint32Array(64);
  clock = new Uint8Array(64);
  clocks: TimeBase[] = [];
  /** The capture's first timestamp, which `time` counts from. */
  base: TimeBase | null = null;
  bytes = new Uint8Array(8192);
  view = new DataView(this.bytes.buffer);
  used = 0;

  /** Every column at `rows` rows. */
  private resize(rows: number): void {
    this.frame = resized(this.frame, rows);
    this.time = resized(this.time, rows);
    this.epoch = resized(this.epoch, rows);
    this.seq = resized(this.seq, rows);
    this.ack = resized(this.ack, rows);
    this.relSeq = resized(this.relSeq, rows);
    this.relAck = resized(this.relAck, rows);
    this.len = resized(this.len, rows);
    this.revBase = resized(this.revBase, rows);
    this.flags = resized(this.flags, rows);
    this.window = resized(this.window, rows);
    this.urgent = resized(this.urgent, rows);
    this.bits = resized(this.bits, rows);
    this.ttl = resized(this.ttl, rows);
    this.hdrAt = resized(this.hdrAt, rows);
    this.hdrLen = resized(this.hdrLen, rows);
    this.tcpAt = resized(this.tcpAt, rows);
    this.tcpLen = resized(this.tcpLen, rows);
    this.tsHigh = resized(this.tsHigh, rows);
    this.tsLow = resized(this.tsLow, rows);
    this.clock = resized(this.clock, rows);
  }

  /** The header buffer at `size` bytes. */
  private resizeBytes(size: number): void {
    // Views handed out before keep the old buffer: bytes are only ever appended, so they stay right.
    this.bytes = resized(this.bytes, size);
    this.view = new DataView(this.bytes.buffer);
  }

  /**
   * Every column as long as its rows, once no more rows come: views over the grown buffers, not copies (copying 18
   * columns and the header bytes cost a long stream ~30 ms of CPU to free at most half of a few MB).
   */
  trim(): void {
    const n = this.length;
    this.frame = this.frame.subarray(0, n);
    this.time = this.time.subarray(0, n);
    this.epoch = this.epoch.subarray(0, n);
    this.seq = this.seq.subarray(0, n);
    this.ack = this.ack.subarray(0, n);
    this.relSeq = this.relSeq.subarray(0, n);
    this.relAck = this.relAck.subarray(0, n);
    this.len = this.len.subarray(0, n);
    this.revBase = this.revBase.subarray(0, n);
    this.flags = this.flags.subarray(0, n);
    this.window = this.window.subarray(0, n);
    this.urgent = this.urgent.subarray(0, n);
    this.bits = this.bits.subarray(0, n);
    this.ttl = this.ttl.subarray(0, n);
    this.hdrAt = this.hdrAt.subarray(0, n);
    this.hdrLen = this.hdrLen.subarray(0, n);
    this.tcpAt = this.tcpAt.subarray(0, n);
    this.tcpLen = this.tcpLen.subarray(0, n);
    this.tsHigh = this.tsHigh.subarray(0, n);
    this.tsLow = this.tsLow.subarray(0, n);
    this.clock = this.clock.subarray(0, n);
    // The DataView over the whole buffer stays: offsets into `bytes` start at 0 either way.
    this.bytes = this.bytes.subarray(0, this.used);
  }

  /** Make room for one more row and `n` more header bytes; returns the row. */
  add(n: number): number {
    const i = this.length++;
    if (i === this.frame.length) this.resize(Math.max(64, i * 2));
    if (this.used + n > this.bytes.length) this.resizeBytes(Math.max(this.bytes.length * 2, this.used + n));
    return i;
  }
}

/** The list `PacketView.options` parses into before copying it out. */
const OPTIONS: TcpOption[] = [];

/** One row of `PacketColumns` as a `StreamPacket`: the fields are read from the columns when asked for. */
class PacketView implements StreamPacket {
  readonly #c: PacketColumns;
  readonly #i: number;
  constructor(c: PacketColumns, i: number) {
    this.#c = c;
    this.#i = i;
  }
  get frame(): number {
    return this.#c.frame[this.#i]!;
  }
  get time(): number {
    return this.#c.time[this.#i]!;
  }
  /** Made on each read (a stream graph never asks: 55,000 strings a long stream need not make). */
  get timeText(): string | null {
    const c = this.#c;
    const k = c.clocks[c.clock[this.#i]!];
    if (!k) return null;
    return packetDeltaText({ tsHigh: c.tsHigh[this.#i]!, tsLow: c.tsLow[this.#i]!, tsSplit: k.split, unitsPerSecond: k.unitsPerSecond, offsetSeconds: k.offsetSeconds }, c.base!);
  }
  get epoch(): number {
    return this.#c.epoch[this.#i]!;
  }
  get dir(): 0 | 1 {
    return (this.#c.bits[this.#i]! & 1) as 0 | 1;
  }
  get flags(): number {
    return this.#c.flags[this.#i]!;
  }
  get seq(): number {
    return this.#c.seq[this.#i]!;
  }
  get ack(): number {
    return this.#c.ack[this.#i]!;
  }
  get relSeq(): number {
    return this.#c.relSeq[this.#i]!;
  }
  get relAck(): number {
    return this.#c.relAck[this.#i]!;
  }
  get len(): number {
    return this.#c.len[this.#i]!;
  }
  get window(): number {
    return this.#c.window[this.#i]!;
  }
  /** Parsed anew on each read: a fresh list the caller may keep (SACK edges relative to the peer's ISN). */
  get options(): TcpOption[] {
    const c = this.#c;
    const i = this.#i;
    const hl = c.tcpLen[i]!;
    if (hl <= 20) return [];
    OPTIONS.length = 0;
    const options = parseTcpOptions(c.view, c.hdrAt[i]! + c.tcpAt[i]!, hl, c.hdrAt[i]! + c.hdrLen[i]!, OPTIONS);
    const revBase = c.revBase[i]!;
    for (const o of options) if (o.blocks) o.blocks = o.blocks.map(([l, r]) => [(l - revBase) >>> 0, (r - revBase) >>> 0]);
    // A copy exactly as long as the list (one grown by push has room for 17, and a Timeline keeps one per segment).
    return options.slice();
  }
  /** Whether the header holds an option of this kind (read from the bytes: no list is made). */
  hasOption(kind: number): boolean {
    const c = this.#c;
    const i = this.#i;
    const hl = c.tcpLen[i]!;
    if (hl <= 20) return false;
    const bytes = c.bytes;
    const t = c.hdrAt[i]! + c.tcpAt[i]!;
    const stop = Math.min(t + hl, c.hdrAt[i]! + c.hdrLen[i]!);
    for (let p = t + 20; p < stop; ) {
      const k = bytes[p]!;
      if (k === kind) return true;
      if (k === 0) return false;
      if (k === 1) {
        p++;
        continue;
      }
      const len = p + 1 < stop ? bytes[p + 1]! : 0;
      if (len < 2) return false;
      p += len;
    }
    return false;
  }
  get ttl(): number {
    return this.#c.ttl[this.#i]!;
  }
  get firstFragment(): boolean {
    return (this.#c.bits[this.#i]! & 2) !== 0;
  }
  get headerBytes(): Uint8Array {
    const c = this.#c;
    const at = c.hdrAt[this.#i]!;
    return c.bytes.subarray(at, at + c.hdrLen[this.#i]!);
  }
  get reusedPorts(): boolean {
    return (this.#c.bits[this.#i]! & 4) !== 0;
  }
  get urgent(): number {
    return this.#c.urgent[this.#i]!;
  }
  /** A plain object with every field (getters are not own properties, so spreads and JSON would miss them). */
  toJSON(): StreamPacket {
    return {
      frame: this.frame,
      time: this.time,
      timeText: this.timeText,
      epoch: this.epoch,
      dir: this.dir,
      flags: this.flags,
      seq: this.seq,
      ack: this.ack,
      relSeq: this.relSeq,
      relAck: this.relAck,
      len: this.len,
      window: this.window,
      options: this.options,
      ttl: this.ttl,
      firstFragment: this.firstFragment,
      headerBytes: this.headerBytes,
      reusedPorts: this.reusedPorts,
      urgent: this.urgent,
    };
  }
}

/**
 * The options of `p` of one kind (its code `kind`, its name `name`): a packet of a scan is asked first whether it has
 * any, so the many that have none are never parsed.
 */
export function optionsOfKind(p: StreamPacket, kind: number, name: TcpOption['kind']): TcpOption[] {
  if (p instanceof PacketView && !p.hasOption(kind)) return [];
  return p.options.filter((o) => o.kind === name);
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
  private readonly headerPayload: number;
  private readonly kept = new PacketColumns();
  /** IP datagrams being reassembled, by source, destination and identification. */
  private readonly fragments = new Map<string, { header: Uint8Array | null; pieces: Array<{ at: number; data: Uint8Array }>; end: number; bytes: number }>();
  private frameStreams: Int32Array | null;
  private readonly linkTypes = new Set<number>();

  constructor(private readonly options: ScanOptions = {}) {
    this.wantStream = options.stream ?? -1;
    this.tuple = options.tuple ? normalTuple(options.tuple) : null;
    this.maxSegments = options.maxSegments ?? 100_000;
    this.headerPayload = Math.max(0, Math.min(64, options.headerPayload ?? 64));
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
      packets: this.packetViews(),
      frameStreams: fs ? fs.slice(0, this.reader.frames) : null,
      warnings: this.reader.warnings.list(),
      damage: this.reader.damage,
    };
  }

  private packetViews(): StreamPacket[] {
    const c = this.kept;
    c.trim();
    const out = new Array<StreamPacket>(c.length);
    for (let i = 0; i < c.length; i++) out[i] = new PacketView(c, i);
    return out;
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
   * IPv4 and IPv6 reassembly as Wireshark does it (ip.defragment and ipv6.defragment, on by default): the fragments
   * of a datagram are collected by (source, destination, identification); the TCP segment appears on the frame that
   * completes it, whole. Returns that datagram as a raw-IP packet, or null while pieces are missing. An IPv6
   * datagram keeps the headers before its Fragment header (RFC 8200 §4.5's unfragmentable part), without it.
   */
  private reassemble(p: PacketRef, f: TcpFrame): PacketRef | null {
    const a = f.addr;
    const key = f.family === 4 ? `${a[0]} ${a[4]} ${f.ipId}` : `${a[0]} ${a[1]} ${a[2]} ${a[3]} ${a[4]} ${a[5]} ${a[6]} ${a[7]} ${f.ipId}`;
    let d = this.fragments.get(key);
    if (!d) {
      if (this.fragments.size >= MAX_OPEN_DATAGRAMS) this.fragments.delete(this.fragments.keys().next().value!);
      d = { header: null, pieces: [], end: -1, bytes: 0 };
      this.fragments.set(key, d);
    }
    const start = f.ipOffset; // an index into p.bytes, as keep() uses it
    const v6 = f.family === 6;
    const payloadStart = start + f.ipHeaderLength + (v6 ? 8 : 0);
    const payloadEnd = Math.min(p.offset + p.capturedLength, start + f.ipTotal);
    const at = (f.ipFragment & 0x1fff) * 8;
    if (payloadEnd < payloadStart || d.bytes + (payloadEnd - payloadStart) > MAX_DATAGRAM) return null;
    if (at === 0) {
      d.header = p.bytes.slice(start, start + f.ipHeaderLength);
      // The header before the Fragment header now names what the fragments carry.
      if (v6) d.header[f.ipNextAt] = f.ipNext;
    }
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
    if (v6) view.setUint16(4, Math.min(0xffff, hl - 40 + d.end));
    else {
      view.setUint16(2, Math.min(0xffff, hl + d.end));
      view.setUint16(6, 0);
    }
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
    if (r === Decoded.Fragment || (r === Decoded.Tcp && f.firstFragment)) {
      const whole = this.reassemble(p, f);
      if (!whole) return; // a piece of a datagram not complete yet (tshark shows it as an IP fragment, not TCP)
      this.linkTypes.add(p.linkType);
      reassembled = true;
      p = whole;
      r = decodeFrame(p.linkType, p.view, p.offset, p.capturedLength, f);
    }
    if (r !== Decoded.Tcp) {
      this.decodeWarning(r, p);
      return;
    }
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
    const c = this.kept;
    if (c.length >= this.maxSegments) {
      this.reader.warnings.add('capture-stream-cut', `stream ${s} has more than ${this.maxSegments} segments; only the first ${this.maxSegments} were kept`, 'choose a shorter capture, or raise maxSegments');
      return;
    }
    const t = this.table;
    const fwd = s * 2 + t.dir;
    const rev = s * 2 + (1 - t.dir);
    const revBase = t.base[rev]!;
    // The headers and the first payload bytes (the options are parsed from them when read).
    const start = f.ipOffset;
    const hdrEnd = Math.max(start, Math.min(f.end, f.tcpOffset + f.headerLength + this.headerPayload));
    const i = c.add(hdrEnd - start);
    c.bytes.set(p.bytes.subarray(start, hdrEnd), c.used);
    c.hdrAt[i] = c.used;
    c.hdrLen[i] = hdrEnd - start;
    c.used += hdrEnd - start;
    c.tcpAt[i] = f.tcpOffset - start;
    c.tcpLen[i] = f.headerLength;
    c.frame[i] = p.frame;
    c.time[i] = time;
    c.base ??= this.base;
    c.tsHigh[i] = p.tsHigh;
    c.tsLow[i] = p.tsLow;
    c.clock[i] = clockOf(c.clocks, p);
    c.epoch[i] = packetSeconds(p);
    c.bits[i] = (t.dir ^ t.aIsHigh[s]!) | (f.firstFragment ? 2 : 0) | (t.reused ? 4 : 0);
    c.flags[i] = f.flags;
    c.seq[i] = f.seq;
    c.ack[i] = f.ack;
    c.relSeq[i] = (f.seq - t.base[fwd]!) >>> 0;
    c.relAck[i] = t.baseSet[rev] ? (f.ack - revBase) >>> 0 : f.ack;
    c.revBase[i] = revBase;
    c.len[i] = f.payloadLength;
    c.window[i] = f.window;
    c.ttl[i] = f.ttl;
    c.urgent[i] = f.urgent;
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

/** The index of `p`'s timestamp units among `clocks` (added when new; a capture has one per interface at most). */
function clockOf(clocks: TimeBase[], p: PacketRef): number {
  for (let k = 0; k < clocks.length; k++) {
    const c = clocks[k]!;
    if (c.split === p.tsSplit && c.unitsPerSecond === p.unitsPerSecond && c.offsetSeconds === p.offsetSeconds) return k;
  }
  // 255 stands for "too many kinds": such packets have no exact text (their `time` is still right).
  if (clocks.length === 255) return 255;
  clocks.push({ high: 0, low: 0, split: p.tsSplit, unitsPerSecond: p.unitsPerSecond, offsetSeconds: p.offsetSeconds });
  return clocks.length - 1;
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
