/**
 * Axes of the stream graphs: "nice" ticks (1, 2, 5 × 10ⁿ) and their labels — time in s/ms/µs (or one-way trips),
 * bytes with SI suffixes (k, M, G), rates in bytes/s.
 */
import type { GraphUnit } from '@wiregram/core';

export interface Axis {
  min: number;
  max: number;
  ticks: number[];
  labels: string[];
  /** The axis title's unit part, e.g. `ms`, `bytes`, `bytes/s`. */
  unit: string;
}

/** 1, 2 or 5 × 10ⁿ, about `target` steps over the range. */
export function niceStep(range: number, target: number): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** Digits after the point that a step needs (0.25 → 2, 20 → 0). */
function decimalsFor(step: number): number {
  if (!(step > 0)) return 0;
  let d = 0;
  while (d < 9 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-6 * 10 ** d * step) d++;
  return d;
}

/** `1234567` → `1,234,567`; decimals kept as asked. */
export function groupDigits(v: number, decimals: number): string {
  const s = Math.abs(v).toFixed(decimals);
  const [int, frac] = s.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (v < 0 && Number(s) !== 0 ? '-' : '') + grouped + (frac ? '.' + frac : '');
}

const SI: ReadonlyArray<[number, string]> = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * Tick labels for byte counts: an SI suffix chosen by the largest value, unless the step then needs more than two
 * decimals (absolute sequence numbers: a big base, a small range); then by the step, digits grouped.
 */
function byteLabels(ticks: number[], step: number): string[] {
  const top = ticks.reduce((m, t) => Math.max(m, Math.abs(t)), 0);
  const pick = (scale: number) => decimalsFor(step / scale);
  let scale = 1;
  let suffix = '';
  for (const [s, name] of SI) {
    if (top >= s) {
      scale = s;
      suffix = name;
      break;
    }
  }
  if (pick(scale) > 2) {
    scale = 1;
    suffix = '';
    for (const [s, name] of SI) {
      if (step >= s) {
        scale = s;
        suffix = name;
        break;
      }
    }
  }
  const d = pick(scale);
  return ticks.map((t) => (t === 0 ? '0' : groupDigits(t / scale, d) + (suffix ? ' ' + suffix : '')));
}

/** Time (or a duration) in s, ms or µs, chosen by the axis's largest value. */
function timeScale(top: number): [number, string] {
  if (top >= 2) return [1, 's'];
  if (top >= 2e-3) return [1e-3, 'ms'];
  return [1e-6, 'µs'];
}

export function makeAxis(lo: number, hi: number, unit: GraphUnit, target: number, fromZero: boolean): Axis {
  let min = fromZero ? Math.min(0, lo) : lo;
  let max = hi;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = 0;
    max = 1;
  }
  if (max <= min) max = min + (unit === 'seconds' ? 1e-3 : 1);
  const step = niceStep(max - min, target);
  min = Math.floor(min / step + 1e-9) * step;
  max = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; k <= Math.round((max - min) / step) && k < 100; k++) ticks.push(min + k * step);
  if (unit === 'seconds') {
    const [scale, name] = timeScale(Math.max(Math.abs(min), Math.abs(max)));
    const d = decimalsFor(step / scale);
    return { min, max, ticks, labels: ticks.map((t) => groupDigits(t / scale, d)), unit: name };
  }
  if (unit === 'trips') {
    const d = decimalsFor(step);
    return { min, max, ticks, labels: ticks.map((t) => groupDigits(t, d)), unit: 'one-way trips' };
  }
  return { min, max, ticks, labels: byteLabels(ticks, step), unit };
}
