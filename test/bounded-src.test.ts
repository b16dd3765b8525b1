/**
 * Work whose depth grows with the input must not use the call stack: a spread of a long list into a call
 * (`items.push(...overlays)`, `Math.max(...xs)`) throws `RangeError: Maximum call stack size exceeded` past
 * ~100,000 elements, and so does recursion as deep as the input. This scans every package's src/ with the
 * TypeScript parser, so neither can come back unnoticed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Recursive functions whose depth is bounded by something other than the input's size, with the bound.
 * Anything recursive not listed here fails the test.
 */
const BOUNDED_RECURSION: Record<string, string> = {
  'packages/pdf/src/cff.ts#run': 'CFF subroutine calls: refused past 10 levels (the Type 2 charstring limit)',
  'packages/png/src/outline.ts#run': 'CFF subroutine calls: refused past 10 levels (the Type 2 charstring limit)',
  'packages/svg/src/describe.ts#nodeWith': "the renderer's own head and root description (title, desc, defs, style): a few fixed levels",
  'packages/svg/src/dom.ts#build': "the renderer's own element description: svg > g > element > tspan, never deeper",
  'packages/browser/src/place.ts#build': "the renderer's own element description: svg > g > element > tspan, never deeper",
  'packages/browser/src/index.ts#run': 'called again once from its own DOMContentLoaded listener, never deeper',
  'packages/browser/src/yaml-subset.ts#mapping': 'front-matter nesting: refused past 64 levels (MAX_DEPTH)',
  'packages/browser/src/yaml-subset.ts#toJS': 'walks the tree mapping built: at most 64 levels',
  'packages/cli/src/glob.ts#walk': 'directory recursion, stopped at 64 levels',
  'packages/marp/src/index.ts#markdownFiles': 'directory recursion, stopped at 8 levels and 5000 files',
  'packages/svg/src/xml.ts#serialize': "the renderer's own element description: svg > g > element > tspan, never deeper",
  'packages/remark-wiregram/src/index.ts#htmlToHast': "the error box's own element description (errorBoxParts): a few fixed levels",
};

function sourceFiles(): string[] {
  const out: string[] = [];
  const packages = join(root, 'packages');
  for (const pkg of readdirSync(packages)) {
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
      }
    };
    walk(join(packages, pkg, 'src'));
  }
  return out.sort();
}

interface Finding {
  file: string;
  line: number;
  what: string;
}

/** The name a function can call itself by: its declaration name, or the variable/property it is assigned to. */
function nameOf(node: ts.Node): string | null {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name && ts.isIdentifier(node.name)) return node.name.text;
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
  return null;
}

function scan(file: string, text = readFileSync(file, 'utf8')): { spreads: Finding[]; recursion: Finding[] } {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const rel = relative(root, file).split('\\').join('/');
  const spreads: Finding[] = [];
  const recursion: Finding[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const functions: Array<{ name: string; method: boolean }> = [];
  const visit = (node: ts.Node): void => {
    // A spread into a call's arguments puts every element on the stack (array and object literals do not).
    if (ts.isSpreadElement(node) && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))) {
      spreads.push({ file: rel, line: lineOf(node), what: node.parent.getText(sf).slice(0, 80) });
    }
    const name = ts.isFunctionLike(node) ? nameOf(node) : null;
    if (name) functions.push({ name, method: ts.isMethodDeclaration(node) });
    if (ts.isCallExpression(node) && functions.length) {
      const callee = node.expression;
      const own = functions[functions.length - 1]!;
      const direct = ts.isIdentifier(callee) && functions.some((f) => !f.method && f.name === callee.text);
      const method = ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword && own.method && callee.name.text === own.name;
      if (direct || method) {
        const called = ts.isIdentifier(callee) ? callee.text : own.name;
        recursion.push({ file: rel, line: lineOf(node), what: `${called}` });
      }
    }
    ts.forEachChild(node, visit);
    if (name) functions.pop();
  };
  visit(sf);
  return { spreads, recursion };
}

describe('no stack depth that grows with the input (packages/*/src)', () => {
  const files = sourceFiles();
  const results = files.map((f) => ({ file: relative(root, f).split('\\').join('/'), ...scan(f) }));

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('has no argument spreads (push(...x), Math.max(...x), f(...args))', () => {
    const found = results.flatMap((r) => r.spreads).map((f) => `${f.file}:${f.line}: ${f.what}`);
    expect(found).toEqual([]);
  });

  it('has no recursion except the listed, bounded ones', () => {
    const found = results
      .flatMap((r) => r.recursion)
      .map((f) => `${f.file}#${f.what}`)
      .filter((key) => !(key in BOUNDED_RECURSION));
    expect([...new Set(found)]).toEqual([]);
  });

  it('lists only exceptions that are still needed', () => {
    const all = new Set(results.flatMap((r) => r.recursion.map((f) => `${f.file}#${f.what}`)));
    for (const key of Object.keys(BOUNDED_RECURSION)) expect(all.has(key), `${key} no longer recurses: drop it`).toBe(true);
  });

  it('the scanner sees what it must refuse', () => {
    const probe = [
      'function f(n: number): number { return n ? f(n - 1) : Math.max(...[n]); }',
      'const g = (n: number): number => (n ? g(n - 1) : 0);',
      'class C { m(n: number): number { return n ? this.m(n - 1) : 0; } }',
      'const a: number[] = []; a.push(...a); const ok = [...a, ...a]; const o = { ...{ x: 1 } };',
    ].join('\n');
    const r = scan(join(root, 'probe.ts'), probe);
    expect(r.spreads.map((f) => f.line)).toEqual([1, 4]);
    expect(r.recursion.map((f) => f.what)).toEqual(['f', 'g', 'm']);
  });
});
