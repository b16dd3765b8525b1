/**
 * Sequence arithmetic, in one place. The engine keeps every number as an integer relative to the sender's ISN
 * ("rel": ISS = 0, the SYN's byte is 0, the first data byte 1, …), so comparisons are plain `<` and never wrap.
 * A sequence space turns a rel into what the author sees: `x+1` for a symbolic ISN or a renamed point, the
 * absolute value mod 2^32 (RFC 9293 §3.4) otherwise.
 */
import { WiregramError, type Position } from '../../errors.js';
import type { SeqNumber } from '../../timeline.js';
import type { SeqValue } from '../ast.js';

export const MOD = 4294967296;
export const mod32 = (n: number): number => ((n % MOD) + MOD) % MOD;
/** The shortest signed distance mod 2^32: what RFC 9293's "<" means for numbers written by hand. */
export const signed32 = (n: number): number => {
  const m = mod32(n);
  return m >= 2147483648 ? m - MOD : m;
};

export interface Point {
  symbol: string;
  rel: number;
}

/** How an endpoint's sequence numbers are shown: a numeric ISN, or named points (`x` at 0, `u` at 57, …). */
export class Space {
  points: Point[] = [];
  isn: number | null = 0;
  /** Foreign points (stale segments' symbols) live far below 0 so they never mix with live numbers. */
  foreign = 0;
  /**
   * Where each incarnation's ISS is (rels, in the order they started): Wireshark's relative numbers count from the
   * incarnation a number belongs to — the latest-started one at or below it.
   */
  bases: number[] = [0];

  private relative(rel: number): number {
    let base: number | null = null;
    let lowest = 0;
    for (const b of this.bases) {
      if (b <= rel && (base === null || b > base)) base = b;
      lowest = Math.min(lowest, b);
    }
    // Below every base: counted from the first (a mid-stream start's −1 included).
    const r = rel - (base ?? lowest);
    // Below the first number seen (a capture that starts mid-stream, an old retransmission): tshark's relative
    // numbers are unsigned 32-bit, so −1000 reads 4294966296. Foreign points (−2^40·k) stay out of reach.
    return r < 0 && r > -MOD ? r + MOD : r;
  }

  number(rel: number): SeqNumber {
    let best: Point | null = null;
    for (let i = this.points.length - 1; i >= 0; i--) {
      const p = this.points[i]!;
      if (p.rel <= rel && (best === null || p.rel > best.rel)) best = p;
    }
    if (best) return { symbol: best.symbol, offset: rel - best.rel, relative: this.relative(rel) };
    if (this.isn !== null) return { symbol: null, offset: mod32(this.isn + rel), relative: this.relative(rel) };
    const low = this.points.reduce<Point | null>((a, p) => (a === null || p.rel < a.rel ? p : a), null);
    return low ? { symbol: low.symbol, offset: rel - low.rel, relative: this.relative(rel) } : { symbol: null, offset: rel, relative: this.relative(rel) };
  }

  find(symbol: string): Point | null {
    for (let i = this.points.length - 1; i >= 0; i--) if (this.points[i]!.symbol === symbol) return this.points[i]!;
    return null;
  }

  /** `isn A=x` / `isn A=1000`: start the space over at the ISN (also a new incarnation's). */
  setIsn(v: SeqValue): void {
    this.points = [];
    this.foreign = 0;
    this.bases = [0];
    if (v.symbol !== null) {
      if (v.offset !== 0) throw new WiregramError({ code: 'syntax', reason: `an ISN is a plain symbol or number, not "${v.text}"`, position: v.position, expected: 'isn client=x or isn client=1000', hint: null });
      this.isn = null;
      this.points.push({ symbol: v.symbol, rel: 0 });
    } else this.isn = v.offset;
  }

  /** `seq A=u` / `seq A=5000`: name (or number) the point `rel`. */
  rename(v: SeqValue, rel: number, epId: string): void {
    if (v.symbol !== null) {
      this.points.push({ symbol: v.symbol, rel: rel - v.offset });
      return;
    }
    if (this.points.length > 0 && this.isn === null) {
      throw new WiregramError({
        code: 'mixed-numbering',
        reason: `${epId}'s sequence numbers are symbolic; "${v.text}" is a number`,
        position: v.position,
        expected: `a symbol such as ${epId}=u`,
        hint: 'use symbols throughout, or numbers throughout (isn client=1000)',
      });
    }
    this.isn = mod32(v.offset - rel);
    this.points = [];
  }

  /**
   * Turn an explicit seq/ack value into a rel. `near` is the number the engine computes there: a new symbol names
   * it, a number is read as the closest rel with that value mod 2^32.
   */
  relOf(epId: string, v: SeqValue, near: number, stale: boolean): number {
    if (v.symbol !== null) {
      const p = this.find(v.symbol);
      if (p) return p.rel + v.offset;
      if (!stale) {
        // A new symbol on a live segment names the number the engine computes there (`FIN seq=u`), like `seq client=u`.
        this.points.push({ symbol: v.symbol, rel: near - v.offset });
        return near;
      }
      // A stale segment's symbol (`x0` of an old incarnation): its own point, far from the live numbers.
      this.foreign++;
      const rel = -(2 ** 40) * this.foreign;
      this.points.push({ symbol: v.symbol, rel });
      return rel + v.offset;
    }
    if (this.isn === null) {
      throw new WiregramError({
        code: 'mixed-numbering',
        reason: `${epId}'s sequence numbers are symbolic; "${v.text}" is a number`,
        position: v.position as Position,
        expected: `a symbol such as ${this.points[0]?.symbol ?? 'x'}+1`,
        hint: 'use symbols throughout, or numbers throughout (isn client=1000)',
      });
    }
    const expected = mod32(this.isn + near);
    return near + signed32(v.offset - expected);
  }
}

/** Insert [start, end) into sorted, disjoint ranges, merging with neighbours it touches (keeps the list short). */
export function insertRange(ranges: Array<[number, number]>, start: number, end: number): void {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]![1] < start) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  let s = start;
  let e = end;
  while (i < ranges.length && ranges[i]![0] <= e) {
    s = Math.min(s, ranges[i]![0]);
    e = Math.max(e, ranges[i]![1]);
    i++;
  }
  ranges.splice(lo, i - lo, [s, e]);
}
