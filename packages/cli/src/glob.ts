/**
 * Minimal glob expansion (`*`, `?`, `**`, `[abc]`, `{a,b}`) for shells that do not expand quoted patterns and
 * for `--watch`, which has to notice files that start matching later. Dot-files and node_modules are skipped
 * unless the pattern names them.
 */
import { readdirSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

function escapeRegex(s: string): string {
  return s.replace(/[.+^$|()\\\]{}*?[]/g, '\\$&');
}

/** Split `{a,b{c,d}}`'s top-level alternatives. */
function splitBraces(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function segmentToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '{') {
      let depth = 0;
      let end = -1;
      for (let j = i; j < glob.length; j++) {
        if (glob[j] === '{') depth++;
        if (glob[j] === '}' && --depth === 0) {
          end = j;
          break;
        }
      }
      if (end === -1) out += '\\{';
      else {
        out += `(?:${splitBraces(glob.slice(i + 1, end)).map(globToRegexSource).join('|')})`;
        i = end;
      }
    } else out += escapeRegex(ch);
  }
  return out;
}

function globToRegexSource(glob: string): string {
  // `**/**` is `**`; collapsing keeps the regex free of stacked quantifiers (no catastrophic backtracking).
  const parts = glob.split('/').filter((p, i, all) => !(p === '**' && all[i - 1] === '**'));
  let out = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '**') out += last ? '.*' : '(?:[^/]+/)*';
    else out += segmentToRegex(part) + (last ? '' : '/');
  });
  return out;
}

/** A RegExp matching whole `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globToRegexSource(glob)}$`);
}

/** The directory part of a pattern before its first wildcard (`docs/posts` of `docs/posts/**\/*.md`). */
export function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const p of parts) {
    if (isGlob(p)) break;
    fixed.push(p);
  }
  if (fixed.length === parts.length) fixed.pop();
  return fixed.join('/') || (pattern.startsWith('/') ? '/' : '.');
}

/** Files matching `pattern` (relative to `cwd` or absolute), sorted, as paths in the pattern's own form. */
export function expandGlob(pattern: string, cwd: string): string[] {
  const normalized = pattern.split(sep).join('/');
  const base = globBase(normalized);
  const rest = normalized.slice(base === '.' && !normalized.startsWith('./') ? 0 : base.length).replace(/^\//, '');
  const re = globToRegExp(rest);
  const recursive = rest.includes('**') || rest.includes('/');
  const wantsDot = /(^|\/)\./.test(rest);
  const results: string[] = [];
  const walk = (dir: string, rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(resolve(cwd, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!wantsDot && e.name.startsWith('.')) continue;
      if (e.name === 'node_modules' && !rest.includes('node_modules')) continue;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (recursive && depth < 64) walk(join(dir, e.name), relPath, depth + 1);
      } else if (re.test(relPath)) {
        results.push(base === '.' && !normalized.startsWith('./') ? relPath : `${base.replace(/\/$/, '')}/${relPath}`);
      }
    }
  };
  walk(base, '', 0);
  return results.sort();
}
