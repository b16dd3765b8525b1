/**
 * TCP conversation index, numbered exactly like Wireshark's `tcp.stream`: streams in order of first
 * appearance of their address/port pair, a new stream when a SYN reuses a pair with a different
 * initial sequence number. The table lives in typed arrays (open addressing): no per-packet allocation.
 */
import { TH_ACK, TH_SYN, type TcpFrame } from './decode.js';

/** Words per key: two IPv6 addresses (8) + ports (1). */
const KW = 9;

export class StreamTable {
  /** Number of streams. */
  count = 0;
  private slots: Int32Array;
  private mask: number;
  /** Per stream: key words, canonical order (lower endpoint first). */
  keys: Uint32Array;
  family: Uint8Array;
  /** 1 when the first packet went from the canonical "high" endpoint to the "low" one. */
  aIsHigh: Uint8Array;
  /** Per stream and direction (canonical low→high = 0): Wireshark's base_seq and whether it is set. */
  base: Uint32Array;
  baseSet: Uint8Array;
  packets: Float64Array;
  bytes: Float64Array;
  /** Whole frames on the wire (frame.len), as `tshark -z conv,tcp` counts bytes. */
  frameBytes: Float64Array;
  firstFrame: Float64Array;
  lastFrame: Float64Array;
  firstTime: Float64Array;
  lastTime: Float64Array;
  flagsSeen: Uint16Array;

  /** Set by `lookup`: the direction of the packet (0: low→high). */
  dir = 0;
  /** Set by `lookup`: true when this packet started a new stream. */
  created = false;
  /** Set by `lookup`: true when the new stream reuses the ports of an earlier one. */
  reused = false;
  private readonly scratch = new Uint32Array(KW);

  constructor(capacity = 1024) {
    let cap = 1024;
    while (cap < capacity * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const n = Math.max(16, capacity);
    this.keys = new Uint32Array(n * KW);
    this.family = new Uint8Array(n);
    this.aIsHigh = new Uint8Array(n);
    this.base = new Uint32Array(n * 2);
    this.baseSet = new Uint8Array(n * 2);
    this.packets = new Float64Array(n);
    this.bytes = new Float64Array(n);
    this.frameBytes = new Float64Array(n);
    this.firstFrame = new Float64Array(n);
    this.lastFrame = new Float64Array(n);
    this.firstTime = new Float64Array(n);
    this.lastTime = new Float64Array(n);
    this.flagsSeen = new Uint16Array(n);
  }

  /**
   * The stream of this packet, creating it when needed; also applies Wireshark's base_seq bookkeeping so
   * relative numbers can be read from `base` afterwards.
   */
  lookup(f: TcpFrame, frame: number, time: number, frameLength = 0): number {
    const k = this.scratch;
    const a = f.addr;
    // Canonical order: compare (address, port) of source and destination.
    let cmp = 0;
    const v4 = f.family === 4;
    const words = v4 ? 1 : 4;
    for (let i = 0; i < words && cmp === 0; i++) cmp = a[i]! < a[4 + i]! ? -1 : a[i]! > a[4 + i]! ? 1 : 0;
    if (cmp === 0) cmp = f.srcPort < f.dstPort ? -1 : f.srcPort > f.dstPort ? 1 : 0;
    const dir = cmp <= 0 ? 0 : 1;
    const ports = dir === 0 ? ((f.srcPort << 16) | f.dstPort) >>> 0 : ((f.dstPort << 16) | f.srcPort) >>> 0;
    let h: number;
    if (v4) {
      // IPv4, the common case: three words, no scratch copies until a stream is created.
      const lo = dir === 0 ? a[0]! : a[4]!;
      const hi = dir === 0 ? a[4]! : a[0]!;
      h = Math.imul(lo ^ 0x9e3779b1, 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 15) ^ hi, 0xc2b2ae35);
      h = Math.imul(h ^ (h >>> 13) ^ ports, 0x27d4eb2f);
      h ^= h >>> 16;
      k[0] = lo;
      k[4] = hi;
      k[8] = ports;
    } else {
      k.fill(0);
      for (let i = 0; i < 4; i++) {
        k[i] = dir === 0 ? a[i]! : a[4 + i]!;
        k[4 + i] = dir === 0 ? a[4 + i]! : a[i]!;
      }
      k[8] = ports;
      h = 0x6a09e667;
      for (let i = 0; i < KW; i++) h = Math.imul(h ^ k[i]!, 0x85ebca6b) ^ (h >>> 13);
      h ^= h >>> 16;
    }
    let slot = h & this.mask;
    let s = -1;
    const keys = this.keys;
    for (;;) {
      const v = this.slots[slot]!;
      if (v < 0) break;
      const o = v * KW;
      if (this.family[v] === f.family && keys[o] === k[0] && keys[o + 4] === k[4] && keys[o + 8] === ports && (v4 || this.sameKey(v))) {
        s = v;
        break;
      }
      slot = (slot + 1) & this.mask;
    }
    this.dir = dir;
    this.created = false;
    this.reused = false;
    if (s >= 0) {
      // Port reuse: a SYN whose ISN differs from the one this direction started with opens a new stream.
      // A SYN-ACK with a new ISN stays in the stream but moves its base (what tshark 4 does).
      const syn = f.flags & (TH_SYN | TH_ACK);
      if (syn === TH_SYN && this.baseSet[s * 2 + dir] && this.base[s * 2 + dir] !== f.seq) {
        s = this.create(f, dir, frame, time);
        this.slots[slot] = s;
        this.reused = true;
      } else if (syn === (TH_SYN | TH_ACK) && this.baseSet[s * 2 + dir]) this.base[s * 2 + dir] = f.seq;
    } else {
      s = this.create(f, dir, frame, time);
      this.slots[slot] = s;
      if (this.count * 2 > this.mask) this.rehash();
    }
    // Wireshark: the first segment in a direction fixes its base (ISN for a SYN, seq-1 otherwise); the
    // first ACK fixes the other direction's base as ack-1.
    const fwd = s * 2 + dir;
    const rev = s * 2 + (1 - dir);
    if (!this.baseSet[fwd]) {
      this.base[fwd] = f.flags & TH_SYN ? f.seq : (f.seq - 1) >>> 0;
      this.baseSet[fwd] = 1;
    }
    if (!this.baseSet[rev] && f.flags & TH_ACK) {
      this.base[rev] = (f.ack - 1) >>> 0;
      this.baseSet[rev] = 1;
    }
    this.packets[s]!++;
    this.bytes[s]! += f.payloadLength;
    this.frameBytes[s]! += frameLength;
    this.lastFrame[s] = frame;
    this.lastTime[s] = time;
    this.flagsSeen[s]! |= f.flags;
    return s;
  }

  /** The hash `lookup` computes, from a stored key. */
  private hashOf(s: number): number {
    const o = s * KW;
    const keys = this.keys;
    let h: number;
    if (this.family[s] === 4) {
      h = Math.imul(keys[o]! ^ 0x9e3779b1, 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 15) ^ keys[o + 4]!, 0xc2b2ae35);
      h = Math.imul(h ^ (h >>> 13) ^ keys[o + 8]!, 0x27d4eb2f);
    } else {
      h = 0x6a09e667;
      for (let i = 0; i < KW; i++) h = Math.imul(h ^ keys[o + i]!, 0x85ebca6b) ^ (h >>> 13);
    }
    return h ^ (h >>> 16);
  }

  private sameKey(v: number): boolean {
    const k = this.scratch;
    const o = v * KW;
    for (let i = 0; i < KW; i++) if (this.keys[o + i] !== k[i]) return false;
    return true;
  }

  private create(f: TcpFrame, dir: number, frame: number, time: number): number {
    if (this.count === this.family.length) this.grow();
    const s = this.count++;
    if (f.family === 4) for (const i of [1, 2, 3, 5, 6, 7]) this.scratch[i] = 0; // v4 keys use words 0, 4, 8 only
    this.keys.set(this.scratch, s * KW);
    this.family[s] = f.family;
    this.aIsHigh[s] = dir;
    this.firstFrame[s] = frame;
    this.firstTime[s] = time;
    this.created = true;
    return s;
  }

  private grow(): void {
    const n = this.family.length * 2;
    const g8 = (x: Uint8Array, m = 1) => {
      const y = new Uint8Array(n * m);
      y.set(x);
      return y;
    };
    const g64 = (x: Float64Array) => {
      const y = new Float64Array(n);
      y.set(x);
      return y;
    };
    const k = new Uint32Array(n * KW);
    k.set(this.keys);
    this.keys = k;
    const b = new Uint32Array(n * 2);
    b.set(this.base);
    this.base = b;
    const fl = new Uint16Array(n);
    fl.set(this.flagsSeen);
    this.flagsSeen = fl;
    this.family = g8(this.family);
    this.aIsHigh = g8(this.aIsHigh);
    this.baseSet = g8(this.baseSet, 2);
    this.packets = g64(this.packets);
    this.bytes = g64(this.bytes);
    this.frameBytes = g64(this.frameBytes);
    this.firstFrame = g64(this.firstFrame);
    this.lastFrame = g64(this.lastFrame);
    this.firstTime = g64(this.firstTime);
    this.lastTime = g64(this.lastTime);
  }

  /** Double the slot array; only the newest stream of a reused key stays reachable, as in Wireshark. */
  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    const old = this.slots;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let i = 0; i < old.length; i++) {
      const s = old[i]!;
      if (s < 0) continue;
      const h = this.hashOf(s);
      let slot = h & this.mask;
      while (this.slots[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = s;
    }
  }

  /** Key words of stream s for endpoint A (first sender) and B. */
  endpoints(s: number): { family: 4 | 6; a: Uint32Array; aPort: number; b: Uint32Array; bPort: number } {
    const o = s * KW;
    const lo = this.keys.slice(o, o + 4);
    const hi = this.keys.slice(o + 4, o + 8);
    const ports = this.keys[o + 8]!;
    const loPort = ports >>> 16;
    const hiPort = ports & 0xffff;
    const family = this.family[s] as 4 | 6;
    return this.aIsHigh[s]
      ? { family, a: hi, aPort: hiPort, b: lo, bPort: loPort }
      : { family, a: lo, aPort: loPort, b: hi, bPort: hiPort };
  }
}
