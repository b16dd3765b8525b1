/**
 * Captures and the protocol engine are two sources of Timelines that meet only at the compile entry (src/compile):
 * nothing under src/sequence may import src/capture, and nothing under src/capture may import src/sequence. The
 * engine's functions stay short enough to read against RFC 9293 §3.10.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic), resolved against src. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(src, resolve(dirname(file), s)));
}

describe('layering: captures and the engine meet only at the compile entry', () => {
  for (const [folder, other] of [
    ['sequence', 'capture'],
    ['capture', 'sequence'],
  ] as const) {
    it(`nothing in src/${folder} imports src/${other}`, () => {
      const found = files(join(src, folder)).flatMap((f) => importsOf(f).filter((i) => i === other || i.startsWith(`${other}/`)).map((i) => `${relative(src, f)} → ${i}`));
      expect(found).toEqual([]);
    });
  }

  it('the scan sees imports (it would catch a circle)', () => {
    const compile = files(join(src, 'compile')).flatMap(importsOf);
    expect(compile.some((i) => i.startsWith('capture/'))).toBe(true);
    expect(compile.some((i) => i.startsWith('sequence/'))).toBe(true);
  });

  it('no engine function is longer than 80 lines', () => {
    const long: string[] = [];
    let seen = 0;
    for (const f of [...files(join(src, 'sequence/engine')), join(src, 'sequence/simulate.ts')]) {
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        // Top-level functions and class methods start at column 0 or 2 and end at the same indent's `}`.
        const m = /^( {0,2})(?:export )?(?:function \w+|(?:private |readonly )?\w+\([^)]*\)[^=]*\{$)/.exec(line);
        if (!m || !line.trimEnd().endsWith('{')) return;
        const end = lines.findIndex((l, j) => j > i && l === `${m[1]}}`);
        seen++;
        if (end - i > 80) long.push(`${relative(src, f)}:${i + 1} (${end - i} lines)`);
      });
    }
    expect(long).toEqual([]);
    // The scan finds the engine's functions at all (else it would pass on anything).
    expect(seen).toBeGreaterThan(40);
  });
});
