import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlob, globBase, globToRegExp } from '../src/glob.js';
import { closest, parseArgs, UsageError } from '../src/args.js';
import { COMMANDS } from '../src/commands.js';

describe('glob', () => {
  it('matches *, ?, **, [..] and {a,b}', () => {
    expect(globToRegExp('docs/*.md').test('docs/a.md')).toBe(true);
    expect(globToRegExp('docs/*.md').test('docs/x/a.md')).toBe(false);
    expect(globToRegExp('docs/**/*.md').test('docs/a.md')).toBe(true);
    expect(globToRegExp('docs/**/*.md').test('docs/x/y/a.md')).toBe(true);
    expect(globToRegExp('*.{md,tcpseq}').test('a.tcpseq')).toBe(true);
    expect(globToRegExp('*.{md,tcpseq}').test('a.pkt')).toBe(false);
    expect(globToRegExp('v?.[ab].md').test('v1.b.md')).toBe(true);
    expect(globToRegExp('a+b(1).md').test('a+b(1).md')).toBe(true);
    expect(globBase('docs/posts/**/*.md')).toBe('docs/posts');
    expect(globBase('*.md')).toBe('.');
  });

  it('expands against the file system, sorted, skipping dot-dirs and node_modules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-glob-'));
    for (const f of ['b.md', 'a.md', 'sub/c.md', 'sub/d.txt', '.hidden/e.md', 'node_modules/f.md']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
    expect(expandGlob('**/*.md', dir)).toEqual(['a.md', 'b.md', 'sub/c.md']);
    expect(expandGlob('*.md', dir)).toEqual(['a.md', 'b.md']);
    expect(expandGlob('sub/*', dir)).toEqual(['sub/c.md', 'sub/d.txt']);
    expect(expandGlob(`${dir}/sub/*.md`, '/')).toEqual([`${dir}/sub/c.md`]);
  });
});

describe('argument parsing', () => {
  const render = COMMANDS['render']!;
  it('reads long, short, inline and bundled options', () => {
    const a = parseArgs(render, ['post.md', '-o', 'out', '--format=pdf', '-wq', '--theme', 'dark', '-', '--', '--weird.md']);
    expect(a.values).toMatchObject({ 'out-dir': 'out', format: 'pdf', watch: true, quiet: true, theme: 'dark' });
    expect(a.positionals).toEqual(['post.md', '-', '--weird.md']);
    expect(parseArgs(render, ['x', '-oout']).values['out-dir']).toBe('out');
    expect(parseArgs(render, ['x', '--no-color']).values['color']).toBe(false);
  });

  it('rejects unknown options and bad values with a suggestion', () => {
    const err = (argv: string[]) => {
      try {
        parseArgs(render, argv);
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('no error');
    };
    expect(err(['x', '--out-dri', 'o']).hint).toBe('did you mean --out-dir?');
    expect(err(['x', '--theme', 'drak']).hint).toBe("did you mean 'dark'?");
    expect(err(['x', '-o']).message).toMatch(/needs a value/);
    expect(err([]).message).toMatch(/needs <inputs…>/);
    expect(closest('chek', ['render', 'check', 'deck'])).toBe('check');
    expect(closest('zzzzzz', ['render', 'check'])).toBeNull();
  });
});
