/** Small helpers shared by the header parser and decoder. */
import { WiregramError, type Position } from '../errors.js';

/** Edit distance with adjacent transpositions (`tpc` → `tcp` is one edit); names here are short. */
export function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** The closest candidate within a small distance, for "did you mean" hints. */
export function suggest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  const limit = w.length <= 2 ? 1 : Math.min(3, Math.max(2, Math.floor(w.length / 2)));
  if (w.length > 40) return null;
  for (const c of candidates) {
    // Lengths further apart than the limit cannot be within it; skipping them keeps junk input cheap.
    if (Math.abs(c.length - w.length) > limit) continue;
    const d = distance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== null && bestD <= limit ? best : null;
}

/** Keep user text in messages short and on one line. */
export function clip(text: string, max = 40): string {
  const one = text.replace(/[\r\n\t]+/g, ' ');
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** `1 byte`, `2 bytes`. */
export function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

export function hex(n: number, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}
