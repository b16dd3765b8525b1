/**
 * Font subsets kept between runs. Making a subset costs a process ~0.3–1 s the first time (HarfBuzz's WebAssembly
 * warms up and the 8 MB font is copied into it), far more than drawing the picture. So each built-in font keeps
 * one subset on disk holding every character drawn so far; a picture whose characters are all in it uses that file
 * as it is, and one with new characters replaces it by the subset of the union (up to MAX_CHARS characters, then
 * it starts again from the picture's own). The glyphs are the font's own either way: the picture is the same.
 *
 * Where: `$XDG_CACHE_HOME/wiregram/png-fonts` (else `~/.cache/…`), a folder this user owns and only this user can
 * write; anything else (no home, another owner, group- or world-writable) and no cache is used.
 * `WIREGRAM_PNG_CACHE=off` turns it off. Writes are atomic (a new file, then the index renamed over the old).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

const MAX_CHARS = 8000;
/** Subset files no index names any more are removed once this old (a run may still be drawing with them). */
const STALE_MS = 10 * 60_000;

let dir: string | null | undefined;

function cacheDir(): string | null {
  if (dir !== undefined) return dir;
  dir = null;
  if (process.env['WIREGRAM_PNG_CACHE'] === 'off') return dir;
  try {
    const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
    const d = join(base, 'wiregram', 'png-fonts');
    mkdirSync(d, { recursive: true, mode: 0o700 });
    const st = statSync(d);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return dir;
    dir = d;
  } catch {
    // no usable home: draw without a cache
  }
  return dir;
}

interface Index {
  /** The subset's file name in the cache folder. */
  file: string;
  /** The characters it holds. */
  chars: string;
}

/**
 * A file holding a subset of the font at `path` with every character of `text`, from the cache or made (by
 * `make`) and stored; null when there is no cache (the caller then writes a subset of its own).
 */
export function cachedSubset(path: string, text: string, make: (path: string, chars: string) => Uint8Array): string | null {
  const d = cacheDir();
  if (!d) return null;
  const st = statSync(path);
  // One index per font file (its name, size and time: a new version of the font starts a new index).
  const key = createHash('sha256').update(`${basename(path)}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
  const indexFile = join(d, `${key}.json`);
  const wanted = new Set(text);
  let index: Index | null = null;
  try {
    const parsed = JSON.parse(readFileSync(indexFile, 'utf8')) as Index;
    if (typeof parsed.file === 'string' && /^[0-9a-f]{16}-[0-9a-f]{16}\.otf$/.test(parsed.file) && typeof parsed.chars === 'string') index = parsed;
  } catch {
    index = null;
  }
  if (index) {
    const have = new Set(index.chars);
    let all = true;
    for (const ch of wanted) if (!have.has(ch)) all = false;
    if (all) {
      try {
        if (statSync(join(d, index.file)).isFile()) return join(d, index.file);
      } catch {
        // the file is gone: make it again below
      }
    }
  }
  const union = new Set(index && index.chars.length + wanted.size <= MAX_CHARS ? [...index.chars, ...wanted] : wanted);
  const chars = [...union].sort().join('');
  const file = `${key}-${createHash('sha256').update(chars).digest('hex').slice(0, 16)}.otf`;
  try {
    const tmp = join(d, `${file}.${process.pid}.tmp`);
    writeFileSync(tmp, make(path, chars), { mode: 0o600 });
    renameSync(tmp, join(d, file));
    const tmpIndex = `${indexFile}.${process.pid}.tmp`;
    writeFileSync(tmpIndex, JSON.stringify({ file, chars } satisfies Index), { mode: 0o600 });
    renameSync(tmpIndex, indexFile);
    removeStale(d, key, file);
    return join(d, file);
  } catch {
    return null;
  }
}

function removeStale(d: string, key: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(d)) {
    if (!name.startsWith(key + '-') || name === keep) continue;
    try {
      if (now - statSync(join(d, name)).mtimeMs > STALE_MS) rmSync(join(d, name), { force: true });
    } catch {
      // another run removed it
    }
  }
}
