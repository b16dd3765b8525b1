/**
 * Writing output safely: every file is written to a temporary file in its own directory and renamed over the
 * target (a reader never sees half a file), identical files are left untouched (timestamps, watchers and
 * static-site rebuilds stay quiet), and no output may land on an input.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A path's identity for "is this the same file": realpath when it exists, else its directory's realpath + name. */
export function canonicalPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch {
    try {
      return join(realpathSync.native(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export type WriteResult = 'written' | 'unchanged';

/** Write `data` to `path` atomically (temp file in the same directory + rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): WriteResult {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    if (sameBytes(readFileSync(path), bytes)) return 'unchanged';
  } catch {
    /* does not exist yet */
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
  return 'written';
}

/** 'dir', 'file', or null when nothing is there: lets commands refuse `-o some-file/` before doing any work. */
export function pathKind(path: string): 'dir' | 'file' | null {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}
