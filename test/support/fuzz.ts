/**
 * How many inputs a property test tries. The default test run keeps them modest; `pnpm fuzz` (scripts/fuzz.mjs)
 * sets WIREGRAM_FUZZ=1 and every property test runs its fuzz count instead — 100,000 inputs per language in all.
 */
export const FUZZ = process.env.WIREGRAM_FUZZ === '1';

/** `normal` inputs in the default run, `fuzz` under `pnpm fuzz`. */
export function runs(normal: number, fuzz: number): number {
  return FUZZ ? fuzz : normal;
}

/** A vitest timeout for `n` inputs at about `msEach` ms each (never below 30 s). */
export function timeoutFor(n: number, msEach: number): number {
  return Math.max(30_000, n * msEach * 3);
}
