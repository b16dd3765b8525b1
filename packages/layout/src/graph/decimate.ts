/**
 * Draw at most what the page can show (issue 17): per pixel column, a line keeps its first, lowest, highest and
 * last point (so its envelope and its ends are exact), a set of bars becomes one bar from the lowest bottom to the
 * highest top, points keep the lowest and highest. Marked events are never merged, only exact pixel duplicates.
 * Input is in pixels; output is bounded by the plot's width whatever the stream's length.
 */

/** A polyline's points per pixel column: first, min, max, last (in their order). */
export function decimateLine(xs: ArrayLike<number>, ys: ArrayLike<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = xs.length;
  let i = 0;
  while (i < n) {
    const col = Math.floor(xs[i]!);
    let j = i;
    let lo = i;
    let hi = i;
    while (j + 1 < n && Math.floor(xs[j + 1]!) === col) {
      j++;
      if (ys[j]! < ys[lo]!) lo = j;
      if (ys[j]! > ys[hi]!) hi = j;
    }
    const keep = [...new Set([i, lo, hi, j])].sort((a, b) => a - b);
    for (const k of keep) out.push([xs[k]!, ys[k]!]);
    i = j + 1;
  }
  return out;
}

/** A step line (each value holds until the next): its corner points, then decimated as a line. */
export function decimateStep(xs: ArrayLike<number>, ys: ArrayLike<number>, right: number): Array<[number, number]> {
  const sx: number[] = [];
  const sy: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (i > 0) {
      sx.push(xs[i]!);
      sy.push(ys[i - 1]!);
    }
    sx.push(xs[i]!);
    sy.push(ys[i]!);
  }
  // The last value holds to the end of the plot.
  if (xs.length) {
    sx.push(Math.max(right, xs[xs.length - 1]!));
    sy.push(ys[ys.length - 1]!);
  }
  return decimateLine(sx, sy);
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
