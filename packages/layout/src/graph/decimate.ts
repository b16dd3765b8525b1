/**
 * Draw at most what the page can show (issue 17): per pixel column, a line keeps its first, lowest, highest and
 * last point (so its envelope and its ends are exact), a set of bars becomes one bar from the lowest bottom to the
 * highest top, points keep the lowest and highest. Marked events are never merged, only exact pixel duplicates.
 * Input is in pixels; output is bounded by the plot's width whatever the stream's length.
 */

/** A polyline's points per pixel column: first, min, max, last (in their order). */
export function decimateLine(xs: ArrayLike<number>, ys: ArrayLike<number>): Array<[number, number]> {
  return decimateVirtual(xs.length, (k) => xs[k]!, (k) => ys[k]!);
}

/**
 * `decimateLine` over n points given by position (x(k), y(k)): a step line's corners are read where they are
 * instead of being copied into two arrays twice the stream's length first.
 */
function decimateVirtual(n: number, x: (k: number) => number, y: (k: number) => number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < n) {
    const col = Math.floor(x(i));
    let j = i;
    let lo = i;
    let hi = i;
    let yLo = y(i);
    let yHi = yLo;
    while (j + 1 < n && Math.floor(x(j + 1)) === col) {
      j++;
      const v = y(j);
      if (v < yLo) {
        lo = j;
        yLo = v;
      }
      if (v > yHi) {
        hi = j;
        yHi = v;
      }
    }
    // i, lo, hi, j in order, each once.
    const a = lo < hi ? lo : hi;
    const b = lo < hi ? hi : lo;
    out.push([x(i), y(i)]);
    if (a !== i) out.push([x(a), y(a)]);
    if (b !== a && b !== i) out.push([x(b), y(b)]);
    if (j !== b && j !== i) out.push([x(j), y(j)]);
    i = j + 1;
  }
  return out;
}

/**
 * A step line (each value holds until the next): its corner points — (x0, y0), (x1, y0), (x1, y1), (x2, y1), …, and
 * the last value held to the plot's right edge — decimated as a line.
 */
export function decimateStep(xs: ArrayLike<number>, ys: ArrayLike<number>, right: number): Array<[number, number]> {
  const n = xs.length;
  if (n === 0) return [];
  // Corner k (k < 2n − 1) is (xs[(k + 1) >> 1], ys[k >> 1]); corner 2n − 1 is the end of the plot.
  const last = 2 * n - 1;
  const end = Math.max(right, xs[n - 1]!);
  return decimateVirtual(
    last + 1,
    (k) => (k === last ? end : xs[(k + 1) >> 1]!),
    (k) => (k === last ? ys[n - 1]! : ys[k >> 1]!),
  );
}

/** Vertical bars [y1, y2] at x: one per column (bottom = the least, top = the greatest); exact when few. */
export function decimateBars(xs: ArrayLike<number>, y1: ArrayLike<number>, y2: ArrayLike<number>): Array<[number, number, number]> {
  const cols = new Map<number, [number, number, number]>();
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i < xs.length; i++) {
    const col = Math.floor(xs[i]!);
    const lo = Math.min(y1[i]!, y2[i]!);
    const hi = Math.max(y1[i]!, y2[i]!);
    const c = cols.get(col);
    if (!c) {
      const bar: [number, number, number] = [xs[i]!, lo, hi];
      cols.set(col, bar);
      out.push(bar);
    } else {
      if (lo < c[1]) c[1] = lo;
      if (hi > c[2]) c[2] = hi;
    }
  }
  return out;
}

/** Points: the lowest and the highest per column. */
export function decimatePoints(xs: ArrayLike<number>, ys: ArrayLike<number>): Array<[number, number]> {
  const cols = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < xs.length; i++) {
    const col = Math.floor(xs[i]!);
    const c = cols.get(col);
    if (!c) cols.set(col, [xs[i]!, ys[i]!, xs[i]!, ys[i]!]);
    else {
      if (ys[i]! < c[1]) {
        c[0] = xs[i]!;
        c[1] = ys[i]!;
      }
      if (ys[i]! > c[3]) {
        c[2] = xs[i]!;
        c[3] = ys[i]!;
      }
    }
  }
  const out: Array<[number, number]> = [];
  for (const [x1, y1, x2, y2] of cols.values()) {
    out.push([x1, y1]);
    if (Math.abs(y2 - y1) >= 0.5) out.push([x2, y2]);
  }
  return out;
}

/** Marks: every one, except those that land on the same pixel as one already kept. */
export function dedupeMarks(xs: ArrayLike<number>, ys: ArrayLike<number>): Array<[number, number]> {
  const seen = new Set<string>();
  const out: Array<[number, number]> = [];
  for (let i = 0; i < xs.length; i++) {
    const k = `${Math.round(xs[i]!)},${Math.round(ys[i]!)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push([xs[i]!, ys[i]!]);
  }
  return out;
}
