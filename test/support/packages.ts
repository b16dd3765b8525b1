/**
 * What a published package is, read from its packed tarball the way npm users get it: the file list, the
 * manifest after `workspace:*` was rewritten, and the bare module specifiers its shipped JavaScript imports.
 * Used by test/packages.test.ts (publishability checks of every package under packages/).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const REPOSITORY = 'https://github.com/wiregram/wiregram';

export interface PackedPackage {
  name: string;
  tarball: string;
  /** Extracted `package/` folder. */
  dir: string;
  /** Paths relative to `dir`, sorted. */
  files: string[];
  manifest: Manifest;
}

export interface Manifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string } | string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  engines?: Record<string, string>;
  files?: string[];
  bin?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
  private?: boolean;
}

function walk(dir: string, base: string, into: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, base, into);
    else into.push(relative(base, p));
  }
}

/** Extract a tarball into a fresh temporary folder and read what it holds. */
export function unpack(name: string, tarball: string): PackedPackage {
  const out = mkdtempSync(join(tmpdir(), 'wg-pack-'));
  mkdirSync(out, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', out]);
  const dir = join(out, 'package');
  const files: string[] = [];
  walk(dir, dir, files);
  files.sort();
  return { name, tarball, dir, files, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest };
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative paths, URLs and `node:` built-ins. */
export function packageOf(specifier: string): string | null {
  if (/^(\.|\/|node:|data:|https?:)/.test(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

// Node built-ins written without `node:` (older code, `require('fs')`).
const BUILTINS = new Set(['fs', 'path', 'url', 'os', 'crypto', 'module', 'child_process', 'events', 'stream', 'util', 'zlib', 'buffer', 'process', 'assert', 'http', 'https', 'net', 'tty', 'worker_threads', 'readline', 'fs/promises']);

/**
 * Bare module specifiers a JavaScript file loads at run time: static `import`/`export … from`, side-effect
 * imports, `import('x')`, `require('x')` and `require.resolve('x')` (the font lookup of @wiregram/pdf).
 * Comments are removed first, so an example in a doc comment does not count; type-only imports are gone
 * from tsc's output already.
 */
export function runtimeImports(code: string): Set<string> {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\s[^;'"]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    // Bundles (esbuild) spell it `__require(…)`, or `require2(…)` for a renamed createRequire().
    /(?:\b|__)require\d*(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) {
    const pkg = packageOf(m[1]!);
    if (pkg && !BUILTINS.has(pkg)) found.add(pkg);
  }
  return found;
}

/** Bare specifiers of `import … from` / `import('x')` type references in declaration files. */
export function typeImports(code: string): Set<string> {
  const found = new Set<string>();
  for (const re of [/\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /declare module ['"]([^'"]+)['"]/g]) {
    for (const m of code.matchAll(re)) {
      const pkg = packageOf(m[1]!);
      if (pkg && !BUILTINS.has(pkg)) found.add(pkg);
    }
  }
  return found;
}

/** Markdown link and image targets (`[x](target)`, `[x]: target`, `<a href>`, `<img src>`), outside code. */
export function markdownLinks(markdown: string): string[] {
  // A backtick fence's info string has no backticks (CommonMark), so ```` ```x ```` is inline code, not a fence.
  const text = markdown
    .replace(/^(`{3,})[^`\n]*\n[\s\S]*?^\1\s*$|^(~{3,})[^\n]*\n[\s\S]*?^\2\s*$/gm, '')
    .replace(/(`+)[^`][\s\S]*?\1/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)\s*=\s*["']([^"']+)["']/gi)) out.push(m[1]!);
  return out;
}
