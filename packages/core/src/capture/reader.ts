/**
 * Incremental pcap / pcapng reader. Pure TypeScript over Uint8Array + DataView, so it runs in a browser too.
 *
 * Bytes arrive in chunks of any size (`push`); a record that straddles two chunks is copied into a small
 * pending buffer, everything else is read in place. Lengths declared by the file are capped, so a hostile
 * file can never make us buffer more than MAX_BLOCK bytes, and blocks we do not need are skipped without
 * being buffered at all.
 */
import { WiregramError, diagnostic, type Diagnostic, type Position } from '../errors.js';

/** Largest packet we accept (the biggest snaplen libpcap ever writes). */
export const MAX_PACKET = 262_144;
/** Largest pcapng block we buffer in order to parse it (SHB, IDB, EPB, SPB); others are skipped unbuffered. */
export const MAX_BLOCK = 4 * 1024 * 1024;

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureInterface {
  linkType: number;
  snapLen: number;
  /** Timestamp units per second (1e6 unless if_tsresol says otherwise). */
  unitsPerSecond: number;
  /** if_tsoffset, seconds added to every timestamp. */
  offsetSeconds: number;
}

/**
 * One packet as the reader sees it. The object is reused for every packet and `bytes` is the caller's chunk
 * (or the reader's pending buffer): copy what you need before `onPacket` returns.
 */
export interface PacketRef {
  /** 1-based frame number, as Wireshark counts. */
  frame: number;
  linkType: number;
  interfaceId: number;
  bytes: Uint8Array;
  view: DataView;
  offset: number;
  capturedLength: number;
  originalLength: number;
  /**
   * Timestamp: for pcap `high` = seconds and `low` = fraction in `unitsPerSecond`; for pcapng the 64-bit
   * count of units is high·2^32 + low. See `packetSeconds` / `packetDelta`.
   */
  tsHigh: number;
  tsLow: number;
  tsSplit: boolean;
  unitsPerSecond: number;
  offsetSeconds: number;
  /** False for pcapng simple packet blocks, which carry no timestamp (the previous one is repeated). */
  hasTime: boolean;
}

/** Absolute time in seconds since the epoch (a double: exact to about a microsecond). */
export function packetSeconds(p: PacketRef): number {
  return seconds(p.tsHigh, p.tsLow, p.tsSplit, p.unitsPerSecond, p.offsetSeconds);
}

function seconds(high: number, low: number, split: boolean, unitsPerSecond: number, offsetSeconds: number): number {
  if (split) return high + low / unitsPerSecond + offsetSeconds;
  return (high * 4294967296 + low) / unitsPerSecond + offsetSeconds;
}

export interface TimeBase {
  high: number;
  low: number;
  split: boolean;
  unitsPerSecond: number;
  offsetSeconds: number;
}

export function timeBase(p: PacketRef): TimeBase {
  return { high: p.tsHigh, low: p.tsLow, split: p.tsSplit, unitsPerSecond: p.unitsPerSecond, offsetSeconds: p.offsetSeconds };
}

/** Seconds between `base` and this packet, computed on the small difference so nanoseconds survive. */
export function packetDelta(p: PacketRef, base: TimeBase): number {
  if (p.tsSplit === base.split && p.unitsPerSecond === base.unitsPerSecond && p.offsetSeconds === base.offsetSeconds) {
    if (p.tsSplit) return p.tsHigh - base.high + (p.tsLow - base.low) / p.unitsPerSecond;
    return ((p.tsHigh - base.high) * 4294967296 + (p.tsLow - base.low)) / p.unitsPerSecond;
  }
  return packetSeconds(p) - seconds(base.high, base.low, base.split, base.unitsPerSecond, base.offsetSeconds);
}

/**
 * The same delta as exact decimal seconds (`17280000.123456789`), computed on integers so no digit is lost past
 * 2^53 ns (a capture spanning more than 104 days); microsecond captures keep six digits. Null when the two
 * timestamps use different units or a resolution that is not a power of ten (then `packetDelta` is all there is).
 */
export function packetDeltaText(p: Pick<PacketRef, 'tsHigh' | 'tsLow' | 'tsSplit' | 'unitsPerSecond' | 'offsetSeconds'>, base: TimeBase): string | null {
  const ups = p.unitsPerSecond;
  if (p.tsSplit !== base.split || ups !== base.unitsPerSecond || p.offsetSeconds !== base.offsetSeconds || 1e9 % ups !== 0) return null;
  const k = 1e9 / ups;
  // Plain numbers while every step is an exact integer (spans under ~104 days): BigInts per packet were a long
  // capture's garbage. A step past 2^53 is never mistaken for safe, so the BigInt path takes those.
  const whole = p.tsSplit ? (p.tsHigh - base.high) * 1e9 : (p.tsHigh - base.high) * 4294967296;
  const part = p.tsSplit ? (p.tsLow - base.low) * k : p.tsLow - base.low;
  const sum = whole + part;
  const n = p.tsSplit ? sum : sum * k;
  if (Number.isSafeInteger(whole) && Number.isSafeInteger(part) && Number.isSafeInteger(sum) && Number.isSafeInteger(n)) {
    const abs = Math.abs(n);
    const fraction = abs % 1e9;
    const digits = String(fraction).padStart(9, '0');
    return `${n < 0 ? '-' : ''}${(abs - fraction) / 1e9}.${ups <= 1_000_000 ? digits.slice(0, 6) : digits}`;
  }
  const scale = BigInt(k);
  const ns = p.tsSplit
    ? BigInt(p.tsHigh - base.high) * 1_000_000_000n + BigInt(p.tsLow - base.low) * scale
    : ((BigInt(p.tsHigh) - BigInt(base.high)) * 4294967296n + BigInt(p.tsLow - base.low)) * scale;
  const neg = ns < 0n;
  const abs = neg ? -ns : ns;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0');
  return `${neg ? '-' : ''}${abs / 1_000_000_000n}.${ups <= 1_000_000 ? frac.slice(0, 6) : frac}`;
}

/** Where and why reading stopped early: a record cut short (`capture-truncated`) or impossible (`capture-corrupt`). */
export interface CaptureDamage {
  code: 'capture-truncated' | 'capture-corrupt';
  /** Byte offset of the damaged record. */
  at: number;
  /** What is wrong there, in words (without the position). */
  detail: string;
}

/** Collects non-fatal findings, one entry per code with a count, so a hostile file cannot grow the list. */
export class WarningLog {
  private readonly byCode = new Map<string, { first: Diagnostic; count: number }>();
  add(code: string, reason: string, hint?: string): void {
    const seen = this.byCode.get(code);
    if (seen) seen.count++;
    else if (this.byCode.size < 64) this.byCode.set(code, { first: diagnostic({ code, reason, hint: hint ?? null }), count: 1 });
  }
  has(code: string): boolean {
    return this.byCode.has(code);
  }
  list(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const { first, count } of this.byCode.values()) {
      out.push(count === 1 ? first : diagnostic({ ...first, reason: `${first.reason} (and ${count - 1} more like it)` }));
    }
    return out;
  }
}

// Defined beside `diagnostic` so the browser bundle's capture seam shares it without the reader.
export { placeWarnings } from '../errors.js';

export type PacketHandler = (p: PacketRef) => void;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;
const BT_IDB = 1;
const BT_PB = 2; // obsolete Packet Block
const BT_SPB = 3;
const BT_EPB = 6;

/** The pcapng blocks the reader parses; every other block is skipped unbuffered. */
function parsedBlock(type: number): boolean {
  return type === PCAPNG_SHB || type === BT_IDB || type === BT_EPB || type === BT_SPB || type === BT_PB;
}

const enum Mode {
  Detect,
  Pcap,
  Pcapng,
  Stopped,
}

/** What to do about a capture that ends mid-record. */
export const TRUNCATED_HINT = 'the file was cut short (tcpdump still writing, an interrupted copy, `head -c`): stop tcpdump with Ctrl-C or use -U, then copy the file again';

function notCapture(reason: string): WiregramError {
  return new WiregramError({
    code: 'capture-format',
    reason,
    expected: 'a pcap file (magic a1b2c3d4 or a1b23c4d, either byte order) or a pcapng file (section header block 0a0d0d0a)',
    hint: 'save the capture with `tcpdump -w file.pcap` or `tshark -w file.pcapng`; text exports (tcpdump without -w, `tshark -V`) cannot be read',
  });
}

/**
 * Push bytes in, get packets out through `onPacket`. Call `end()` once the input is exhausted.
 * Throws a WiregramError only when the very start of the input is not a capture; later damage stops
 * reading and is reported in `warnings` (packets read so far stay valid).
 */
export class CaptureReader {
  format: CaptureFormat | null = null;
  littleEndian = true;
  interfaces: CaptureInterface[] = [];
  readonly warnings = new WarningLog();
  /** Set when reading stopped at a damaged or cut-short record (the packets before it were delivered). */
  damage: CaptureDamage | null = null;
  /** Total bytes consumed. */
  position = 0;
  frames = 0;
  private mode: Mode = Mode.Detect;
  private pending = new Uint8Array(0);
  private pendingView = new DataView(this.pending.buffer);
  private pendingLen = 0;
  private skip = 0;
  /**
   * A skipped pcapng block is not buffered, but its trailing length is still checked, as it is when the block
   * arrives whole: the last four bytes are caught as they stream past.
   */
  private skipLen = 0;
  private skipAt = 0;
  private readonly trail = new Uint8Array(4);
  private readonly ref: PacketRef;
  private lastHigh = 0;
  private lastLow = 0;
  private sawTime = false;
  /** Byte offset of the record being parsed, for messages. */
  private at = 0;
  private readonly onPacket: PacketHandler;

  constructor(onPacket: PacketHandler) {
    this.onPacket = onPacket;
    const empty = new Uint8Array(0);
    this.ref = {
      frame: 0,
      linkType: 0,
      interfaceId: 0,
      bytes: empty,
      view: new DataView(empty.buffer),
      offset: 0,
      capturedLength: 0,
      originalLength: 0,
      tsHigh: 0,
      tsLow: 0,
      tsSplit: true,
      unitsPerSecond: 1e6,
      offsetSeconds: 0,
      hasTime: true,
    };
  }

  /** Bytes held to join a record split across chunks (never more than MAX_BLOCK). */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  get stopped(): boolean {
    return this.mode === Mode.Stopped;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    let off = this.skipIn(chunk, 0);
    if (off < 0) return;
    if (this.pendingLen > 0) {
      off = this.fillPending(chunk, off);
      if (off < 0 || this.stopped) return;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (off < chunk.length && !this.stopped) {
      const avail = chunk.length - off;
      this.at = this.position;
      const need = this.unitLength(view, off, avail);
      if (need === -2) return; // stopped
      if (need < 0 || need > avail) {
        // Incomplete: a skippable block is dropped as it streams past, anything else is buffered.
        if (need > 0 && this.skippable(view, off)) {
          this.startSkip(need, chunk.subarray(off), avail);
          this.position += avail;
          return;
        }
        this.appendPending(chunk, off, avail);
        return;
      }
      this.consume(chunk, view, off, need);
      this.position += need;
      off += need;
    }
  }

  /** Signal the end of input. Reports a record cut short. */
  end(): void {
    if (this.mode === Mode.Detect) {
      throw notCapture(this.position === 0 ? 'the capture is empty' : `the capture is only ${this.position} bytes long — too short for a file header`);
    }
    if (this.mode !== Mode.Stopped && (this.pendingLen > 0 || this.skip > 0)) {
      const missing = this.skip > 0 ? this.skip : this.missingBytes();
      const detail = `the record there is ${missing > 0 ? `${missing} byte${missing === 1 ? '' : 's'} short` : 'incomplete'}`;
      this.damage = { code: 'capture-truncated', at: this.at, detail };
      this.warnings.add(
        'capture-truncated',
        `the capture ends in the middle of a record at byte ${this.at} (${missing > 0 ? missing : 'some'} bytes missing); the packets before it were read`,
        TRUNCATED_HINT,
      );
    }
    this.pendingLen = 0;
    this.skip = 0;
    this.mode = Mode.Stopped;
  }

  private stop(code: string, reason: string, hint?: string): void {
    if (this.format === null) throw notCapture(reason);
    this.warnings.add(code, reason, hint ?? 'the file is damaged from here on; the packets before this point were read');
    if (code === 'capture-corrupt' && !this.damage) this.damage = { code, at: this.at, detail: reason };
    this.mode = Mode.Stopped;
    this.pendingLen = 0;
  }

  /**
   * Stop reading on purpose (the caller has every packet it wants): later records are neither parsed nor
   * reported, and `end()` adds no warning about a record left half-read.
   */
  close(): void {
    this.mode = Mode.Stopped;
    this.pendingLen = 0;
    this.skip = 0;
  }

  /** Bytes still missing from the record held in the pending buffer (0 when unknown). */
  private missingBytes(): number {
    if (this.pendingLen === 0) return 0;
    const view = this.pendingView;
    const avail = this.pendingLen;
    if (this.mode === Mode.Pcap) return avail < 16 ? 16 - avail : Math.max(0, 16 + view.getUint32(8, this.littleEndian) - avail);
    if (this.mode === Mode.Pcapng) return avail < 8 ? 8 - avail : Math.max(0, view.getUint32(4, this.littleEndian) - avail);
    return 0;
  }

  /** Skip bytes of an unneeded block; returns the new offset, or -1 when the chunk is used up. */
  private skipIn(chunk: Uint8Array, off: number): number {
    if (this.skip === 0) return off;
    const n = Math.min(this.skip, chunk.length - off);
    // Catch the bytes among the block's last four.
    for (let j = Math.max(0, this.skip - 4); j < n; j++) this.trail[4 - (this.skip - j)] = chunk[off + j]!;
    this.skip -= n;
    this.position += n;
    off += n;
    if (this.skip === 0) this.checkTrail();
    return off >= chunk.length ? -1 : off;
  }

  /** Start skipping a block of `len` bytes of which the first `seen` (in `have`) have already gone by. */
  private startSkip(len: number, have: Uint8Array, seen: number): void {
    this.skipLen = len;
    this.skipAt = this.at;
    for (let i = Math.max(0, len - 4); i < seen; i++) this.trail[i - (len - 4)] = have[i]!;
    this.skip = len - seen;
    if (this.skip === 0) this.checkTrail();
  }

  private checkTrail(): void {
    const t = this.trail;
    const v = this.littleEndian ? (t[0]! | (t[1]! << 8) | (t[2]! << 16) | (t[3]! << 24)) >>> 0 : ((t[0]! << 24) | (t[1]! << 16) | (t[2]! << 8) | t[3]!) >>> 0;
    if (v !== this.skipLen) {
      this.at = this.skipAt;
      this.stop('capture-corrupt', `pcapng block at byte ${this.skipAt}: the trailing length does not match the leading length ${this.skipLen}`);
    }
  }

  /** Copy a tail into the pending buffer (capped: unitLength never allows more than MAX_BLOCK). */
  private appendPending(src: Uint8Array, off: number, n: number): void {
    const want = this.pendingLen + n;
    if (want > this.pending.length) {
      let cap = Math.max(64, this.pending.length * 2);
      while (cap < want) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.pending.subarray(0, this.pendingLen));
      this.pending = next;
      this.pendingView = new DataView(next.buffer);
    }
    this.pending.set(src.subarray(off, off + n), this.pendingLen);
    this.pendingLen += n;
    this.position += n;
  }

  /** Complete the pending record from `chunk`; returns the new offset into chunk, or -1 if chunk is used up. */
  private fillPending(chunk: Uint8Array, off: number): number {
    for (;;) {
      this.at = this.position - this.pendingLen;
      const need = this.unitLength(this.pendingView, 0, this.pendingLen);
      if (need === -2) return -1;
      if (need > 0 && this.skippable(this.pendingView, 0)) {
        // Drop what we buffered and skip the rest without buffering it.
        this.startSkip(need, this.pending, this.pendingLen);
        this.pendingLen = 0;
        if (this.stopped) return -1;
        return this.skipIn(chunk, off);
      }
      const target = need > 0 ? need : -need;
      if (this.pendingLen < target) {
        const take = Math.min(target - this.pendingLen, chunk.length - off);
        this.appendPending(chunk, off, take);
        off += take;
        if (this.pendingLen < target) return -1;
        if (need < 0) continue; // header complete: learn the full length
      }
      this.pendingLen = 0;
      this.consume(this.pending, this.pendingView, 0, need);
      return off >= chunk.length ? -1 : off;
    }
  }

  /** Whether the block at `off` is skipped unparsed; if so it is counted now (custom blocks are frames). */
  private skippable(view: DataView, off: number): boolean {
    if (this.mode !== Mode.Pcapng) return false;
    const type = view.getUint32(off, this.littleEndian);
    const skip = !parsedBlock(type);
    if (skip) this.countRecord(type);
    return skip;
  }

  /** Wireshark numbers custom blocks and systemd journal entries as frames too; keep our numbers in step. */
  private countRecord(type: number): void {
    if (type === 0x00000bad || type === 0x40000bad || type === 0x00000009) this.frames++;
  }

  /**
   * Length of the record at `off`: >0 total bytes, -n when n bytes are needed to tell, -2 when reading stopped.
   */
  private unitLength(view: DataView, off: number, avail: number): number {
    switch (this.mode) {
      case Mode.Detect: {
        if (avail < 4) return -4;
        const m = view.getUint32(off, false);
        if (m === PCAPNG_SHB) return avail < 12 ? -12 : this.pcapngLength(view, off, avail);
        if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || m === 0xd4c3b2a1 || m === 0x4d3cb2a1) return 24;
        if (m === 0xa1b2cd34 || m === 0x34cdb2a1) {
          this.stop('capture-format', 'this is a "modified" (Alexey Kuznetsov) pcap file, which is not supported', 'convert it: `editcap -F pcap in.pcap out.pcap`');
          return -2;
        }
        this.stop('capture-format', `not a pcap or pcapng file (it starts with bytes ${hex4(view, off, avail)})`);
        return -2;
      }
      case Mode.Pcap: {
        if (avail < 16) return -16;
        const incl = view.getUint32(off + 8, this.littleEndian);
        if (incl > MAX_PACKET) {
          this.stop('capture-corrupt', `packet record at byte ${this.at} declares ${incl} captured bytes (more than the ${MAX_PACKET} any capture tool writes)`);
          return -2;
        }
        return 16 + incl;
      }
      case Mode.Pcapng:
        return this.pcapngLength(view, off, avail);
      default:
        return -2;
    }
  }

  private pcapngLength(view: DataView, off: number, avail: number): number {
    if (avail < 8) return -8;
    let le = this.littleEndian;
    if (view.getUint32(off, false) === PCAPNG_SHB) {
      if (avail < 12) return -12;
      const bom = view.getUint32(off + 8, true);
      if (bom === PCAPNG_BOM) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        this.stop('capture-corrupt', `pcapng section header at byte ${this.at} has an invalid byte-order magic`);
        return -2;
      }
      this.littleEndian = le;
    }
    const len = view.getUint32(off + 4, le);
    const type = view.getUint32(off, le);
    if (len < 12 || len % 4 !== 0) {
      this.stop('capture-corrupt', `pcapng block at byte ${this.at} declares an impossible length ${len}`);
      return -2;
    }
    if (len > MAX_BLOCK && parsedBlock(type)) {
      this.stop('capture-corrupt', `pcapng block at byte ${this.at} declares ${len} bytes (limit ${MAX_BLOCK})`);
      return -2;
    }
    return len;
  }

  private consume(bytes: Uint8Array, view: DataView, off: number, len: number): void {
    switch (this.mode) {
      case Mode.Detect:
        if (view.getUint32(off, false) === PCAPNG_SHB) {
          this.mode = Mode.Pcapng;
          this.format = 'pcapng';
          this.block(bytes, view, off, len);
        } else this.pcapHeader(view, off);
        break;
      case Mode.Pcap:
        this.pcapRecord(bytes, view, off, len);
        break;
      case Mode.Pcapng:
        this.block(bytes, view, off, len);
        break;
      default:
        break;
    }
  }

  private pcapHeader(view: DataView, off: number): void {
    const m = view.getUint32(off, false);
    this.littleEndian = m === 0xd4c3b2a1 || m === 0x4d3cb2a1;
    const ns = m === PCAP_MAGIC_NS || m === 0x4d3cb2a1;
    const le = this.littleEndian;
    const major = view.getUint16(off + 4, le);
    if (major !== 2) this.warnings.add('capture-version', `pcap version ${major}.${view.getUint16(off + 6, le)} (expected 2.4); reading it anyway`);
    const snapLen = view.getUint32(off + 16, le);
    const linkType = view.getUint32(off + 20, le) & 0xffff;
    this.interfaces = [{ linkType, snapLen, unitsPerSecond: ns ? 1e9 : 1e6, offsetSeconds: 0 }];
    this.format = 'pcap';
    this.mode = Mode.Pcap;
  }

  private pcapRecord(bytes: Uint8Array, view: DataView, off: number, len: number): void {
    const le = this.littleEndian;
    const iface = this.interfaces[0]!;
    const ref = this.ref;
    ref.tsHigh = view.getUint32(off, le);
    ref.tsLow = view.getUint32(off + 4, le);
    ref.tsSplit = true;
    ref.unitsPerSecond = iface.unitsPerSecond;
    ref.offsetSeconds = 0;
    ref.hasTime = true;
    ref.capturedLength = len - 16;
    ref.originalLength = view.getUint32(off + 12, le);
    ref.interfaceId = 0;
    ref.linkType = iface.linkType;
    this.emit(bytes, view, off + 16);
  }

  private emit(bytes: Uint8Array, view: DataView, dataOff: number): void {
    const ref = this.ref;
    ref.frame = ++this.frames;
    ref.bytes = bytes;
    ref.view = view;
    ref.offset = dataOff;
    this.onPacket(ref);
  }

  private block(bytes: Uint8Array, view: DataView, off: number, len: number): void {
    const le = this.littleEndian;
    const type = view.getUint32(off, le);
    if (view.getUint32(off + len - 4, le) !== len) {
      this.stop('capture-corrupt', `pcapng block at byte ${this.at}: the trailing length does not match the leading length ${len}`);
      return;
    }
    const body = off + 8;
    const bodyLen = len - 12;
    const ref = this.ref;
    switch (type) {
      case PCAPNG_SHB:
        // A new section: interface numbering starts over.
        this.interfaces = [];
        return;
      case BT_IDB: {
        if (bodyLen < 8) return this.stop('capture-corrupt', `interface description block at byte ${this.at} is too short`);
        const iface: CaptureInterface = {
          linkType: view.getUint16(body, le),
          snapLen: view.getUint32(body + 4, le),
          unitsPerSecond: 1e6,
          offsetSeconds: 0,
        };
        forEachOption(view, body + 8, body + bodyLen, le, (code, o, l) => {
          if (code === 9 && l >= 1) {
            const v = view.getUint8(o);
            const exp = v & 0x7f;
            iface.unitsPerSecond = v & 0x80 ? 2 ** Math.min(exp, 63) : 10 ** Math.min(exp, 18);
          } else if (code === 14 && l >= 8) {
            const hi = view.getInt32(le ? o + 4 : o, le);
            const lo = view.getUint32(le ? o : o + 4, le);
            iface.offsetSeconds = hi * 4294967296 + lo;
          }
        });
        if (this.interfaces.length < 65536) this.interfaces.push(iface);
        return;
      }
      case BT_EPB:
      case BT_PB: {
        if (bodyLen < 20) return this.stop('capture-corrupt', `packet block at byte ${this.at} is too short`);
        const id = type === BT_EPB ? view.getUint32(body, le) : view.getUint16(body, le);
        const iface = this.interfaces[id];
        if (!iface) {
          this.warnings.add('capture-interface', `packet at byte ${this.at} names interface ${id}, which was never described; skipped`);
          this.frames++;
          return;
        }
        const cap = view.getUint32(body + 12, le);
        if (cap > bodyLen - 20) return this.stop('capture-corrupt', `packet block at byte ${this.at} declares ${cap} captured bytes but holds ${bodyLen - 20}`);
        ref.tsHigh = view.getUint32(body + 4, le);
        ref.tsLow = view.getUint32(body + 8, le);
        ref.tsSplit = false;
        ref.unitsPerSecond = iface.unitsPerSecond;
        ref.offsetSeconds = iface.offsetSeconds;
        ref.hasTime = true;
        this.lastHigh = ref.tsHigh;
        this.lastLow = ref.tsLow;
        this.sawTime = true;
        ref.capturedLength = cap;
        ref.originalLength = view.getUint32(body + 16, le);
        ref.interfaceId = id;
        ref.linkType = iface.linkType;
        this.emit(bytes, view, body + 20);
        return;
      }
      case BT_SPB: {
        const iface = this.interfaces[0];
        if (!iface || bodyLen < 4) {
          this.warnings.add('capture-interface', `simple packet block at byte ${this.at} without an interface; skipped`);
          this.frames++;
          return;
        }
        const orig = view.getUint32(body, le);
        let cap = Math.min(orig, bodyLen - 4);
        if (iface.snapLen > 0) cap = Math.min(cap, iface.snapLen);
        this.warnings.add('capture-no-timestamp', 'simple packet blocks carry no timestamp; each repeats the time of the packet before it');
        ref.tsHigh = this.sawTime ? this.lastHigh : 0;
        ref.tsLow = this.sawTime ? this.lastLow : 0;
        ref.tsSplit = false;
        ref.unitsPerSecond = iface.unitsPerSecond;
        ref.offsetSeconds = iface.offsetSeconds;
        ref.hasTime = false;
        ref.capturedLength = cap;
        ref.originalLength = orig;
        ref.interfaceId = 0;
        ref.linkType = iface.linkType;
        this.emit(bytes, view, body + 4);
        return;
      }
      default:
        this.countRecord(type);
        return; // NRB, ISB, DSB, custom…: not needed for TCP streams
    }
  }
}

function forEachOption(view: DataView, off: number, end: number, le: boolean, fn: (code: number, valueOff: number, len: number) => void): void {
  let guard = 0;
  while (off + 4 <= end && guard++ < 4096) {
    const code = view.getUint16(off, le);
    const len = view.getUint16(off + 2, le);
    if (code === 0) return;
    if (off + 4 + len > end) return;
    fn(code, off + 4, len);
    off += 4 + ((len + 3) & ~3);
  }
}

function hex4(view: DataView, off: number, avail: number): string {
  const out: string[] = [];
  for (let i = 0; i < Math.min(4, avail); i++) out.push(view.getUint8(off + i).toString(16).padStart(2, '0'));
  return out.join(' ');
}
