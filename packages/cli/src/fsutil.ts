/**
 * Writing output safely. One run's outputs are committed together (`commitFiles`): every changed file is first
 * written to a temporary file next to its target, and only when all of them are on disk are they renamed over
 * their targets — an error on any output (no space, a directory in the way) leaves every target as it was.
 * The commit is synchronous, so a signal (handled between event-loop turns) never lands in the middle of it;
 * temporary files are registered with lifecycle.ts and removed on every exit path we control. Identical files
 * are left untouched (timestamps, watchers and static-site rebuilds stay quiet), and no output may land on an input.
 */
import { linkSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { readError, writeError } from './errors.js';
import { trackTemp, untrackTemp } from './lifecycle.js';

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

function toBytes(data: string | Uint8Array): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

// node:crypto on first use: every command loads this module, but only writes hash or name temporary files, and
// loading crypto's internals is a noticeable part of a `check` or `--version` start.
let cryptoModule: typeof import('node:crypto') | undefined;
const crypto = (): typeof import('node:crypto') => (cryptoModule ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));

export function sha256(data: string | Uint8Array): string {
  return crypto().createHash('sha256').update(toBytes(data)).digest('hex');
}

export type WriteResult = 'written' | 'unchanged';

/** Open an input for reading; a failure is a CliError naming it as the user wrote it (`display`). */
export function openInput(path: string, display: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw readError(e, display);
  }
}

/** 'dir', 'file', or null when nothing is there: lets commands refuse `-o some-file/` before doing any work. */
export function pathKind(path: string): 'dir' | 'file' | null {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** The nearest existing ancestor of `dir` (itself included) if it is a file: what makes `-o afile/sub` fail. */
export function fileInPath(dir: string): string | null {
  let p = resolve(dir);
  for (;;) {
    const kind = pathKind(p);
    if (kind === 'file') return p;
    if (kind === 'dir') return null;
    const up = dirname(p);
    if (up === p) return null;
    p = up;
  }
}

// `.post-1.svg.<pid>.<8 hex>.tmp` (and `.bak`, the copy kept for a roll-back): ours, and whose process it was.
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.(tmp|bak)$/;
const swept = new Set<string>();

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove our temporary files left in `dir` by a wiregram process that no longer runs (kill -9, a power cut):
 * only names of our exact pattern, only of dead processes, once per directory and process.
 */
export function sweepStaleTemps(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || alive(Number(m[2]))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      /* gone already, or not ours to remove */
    }
  }
}

function tempName(path: string, kind: 'tmp' | 'bak'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.${kind}`);
}

export interface FileWrite {
  /** Absolute target path. */
  path: string;
  data: string | Uint8Array;
}

export interface CommitResult {
  /** Per write, in order. */
  results: WriteResult[];
  removed: string[];
  /** Files that could not be removed (kept; the caller reports them). */
  notRemoved: Array<{ path: string; error: NodeJS.ErrnoException }>;
}

/** Create `dir` (and parents); the first directory created, so a roll-back can remove what it made. */
function ensureDir(dir: string, show: (abs: string) => string, dest: string): string | undefined {
  try {
    return mkdirSync(dir, { recursive: true });
  } catch (e) {
    const blocker = fileInPath(dir);
    throw writeError(e, dest, show(dir), blocker ? show(blocker) : null);
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* not there */
  }
}

/**
 * Write all `writes` or none of them, then remove `remove` (stale outputs; failures are returned, not thrown).
 * Throws a CliError naming the real destination when any write fails; targets are then as they were.
 * `show` turns an absolute path into what the user typed or sees (relative to the working directory).
 */
export function commitFiles(writes: readonly FileWrite[], show: (abs: string) => string, remove: readonly string[] = []): CommitResult {
  const results: WriteResult[] = [];
  const staged: Array<{ path: string; tmp: string; backup: string | null }> = [];
  const madeDirs: Array<{ first: string; leaf: string }> = [];
  const abandon = () => {
    for (const s of staged) {
      tryUnlink(s.tmp);
      untrackTemp(s.tmp);
      if (s.backup) {
        tryUnlink(s.backup);
        untrackTemp(s.backup);
      }
    }
    // Directories this commit created, deepest first, only while empty.
    for (const { first, leaf } of madeDirs.reverse()) {
      for (let d = leaf; d.length >= first.length; d = dirname(d)) {
        try {
          rmdirSync(d);
        } catch {
          break;
        }
        if (d === first) break;
      }
    }
  };
  // ---- stage: every changed file as a temporary file beside its target
  try {
    for (const w of writes) {
      const bytes = toBytes(w.data);
      const dest = show(w.path);
      const kind = pathKind(w.path);
      if (kind === 'dir') throw writeError({ code: 'EISDIR' }, dest, show(dirname(w.path)));
      if (kind === 'file') {
        try {
          if (readFileSync(w.path).equals(bytes)) {
            results.push('unchanged');
            continue;
          }
        } catch {
          /* unreadable: replace it */
        }
      }
      const dir = dirname(w.path);
      const first = ensureDir(dir, show, dest);
      if (first) madeDirs.push({ first, leaf: dir });
      sweepStaleTemps(dir);
      const tmp = tempName(w.path, 'tmp');
      trackTemp(tmp);
      try {
        writeFileSync(tmp, bytes, { flag: 'wx' });
      } catch (e) {
        tryUnlink(tmp);
        untrackTemp(tmp);
        throw writeError(e, dest, show(dir), fileInPath(dir));
      }
      staged.push({ path: w.path, tmp, backup: null });
      results.push('written');
    }
    // ---- keep the old versions (a hard link: no copy) so a failed rename can put them back
    for (const s of staged) {
      if (pathKind(s.path) !== 'file') continue;
      const backup = tempName(s.path, 'bak');
      try {
        linkSync(s.path, backup);
        trackTemp(backup);
        s.backup = backup;
      } catch {
        /* no hard links here: this file cannot be rolled back, the rest still can */
      }
    }
  } catch (e) {
    abandon();
    throw e;
  }
  // ---- commit: rename each over its target; on a failure put back the ones already renamed
  const done: typeof staged = [];
  for (const s of staged) {
    try {
      renameSync(s.tmp, s.path);
      untrackTemp(s.tmp);
      done.push(s);
    } catch (e) {
      for (const d of done) {
        if (d.backup) {
          try {
            renameSync(d.backup, d.path);
            untrackTemp(d.backup);
            d.backup = null;
          } catch {
            /* leave the new file */
          }
        } else tryUnlink(d.path);
      }
      abandon();
      throw writeError(e, show(s.path), show(dirname(s.path)));
    }
  }
  for (const s of staged) {
    if (s.backup) {
      tryUnlink(s.backup);
      untrackTemp(s.backup);
    }
  }
  // ---- stale outputs
  const removed: string[] = [];
  const notRemoved: CommitResult['notRemoved'] = [];
  for (const r of remove) {
    try {
      unlinkSync(r);
      removed.push(r);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') removed.push(r);
      else notRemoved.push({ path: r, error: e as NodeJS.ErrnoException });
    }
  }
  return { results, removed, notRemoved };
}

/** Write one file atomically (temp file in the same directory + rename); see `commitFiles`. */
export function writeFileAtomic(path: string, data: string | Uint8Array): WriteResult {
  return commitFiles([{ path: resolve(path), data }], (p) => p).results[0]!;
}
