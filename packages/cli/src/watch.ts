/**
 * `--watch`: run once, then again whenever an input changes or a new file matches an input glob. Directories
 * are watched rather than files, because editors save by writing a new file and renaming it over the old one
 * (which would orphan a per-file watcher). Changes are debounced; a run in progress is followed by one more.
 */
import { type FSWatcher, watch as fsWatch } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ParsedArgs, UsageError } from './args.js';
import { globBase, isGlob } from './glob.js';
import { type InputKind, patternMatcher } from './inputs.js';
import type { Io } from './main.js';
import { escapeTerminal, painter, plural, wantColor } from './report.js';

export interface RunResult {
  code: number;
  /** Absolute paths of the inputs read, to watch. */
  files: string[];
}

const DEBOUNCE_MS = 80;

export async function watchLoop(io: Io, args: ParsedArgs, run: () => Promise<RunResult>): Promise<number> {
  const c = painter(wantColor(io.stderr, io.env, args.values['color'] as boolean | undefined));
  const matches = patternMatcher(args.positionals, io.cwd, args.values['lang'] as InputKind | undefined);
  let files = new Set<string>();
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;

  const stamp = () => new Date().toTimeString().slice(0, 8);
  const once = async (first: boolean) => {
    running = true;
    try {
      const r = await run();
      files = new Set(r.files);
    } catch (e) {
      // A usage error on the first run (bad flag, missing file) ends the command; later ones (a file
      // deleted while watching) are reported and watching goes on.
      if (first || !(e instanceof UsageError)) throw e;
      io.stderr.write(`${c.red('error:')} ${escapeTerminal(e.message)}\n`);
    } finally {
      running = false;
    }
    refresh();
    io.stderr.write(c.dim(`[${stamp()}] watching ${plural(files.size, 'file')} for changes (Ctrl-C to stop)`) + '\n');
    if (again) {
      again = false;
      schedule();
    }
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (running) {
        again = true;
        return;
      }
      void once(false).catch((e: unknown) => io.stderr.write(`${c.red('error:')} ${escapeTerminal((e as Error).message)}\n`));
    }, DEBOUNCE_MS);
  };

  const refresh = () => {
    const wanted = new Map<string, boolean>();
    for (const f of files) wanted.set(dirname(f), false);
    for (const p of args.positionals) {
      if (p === '-' || !isGlob(p)) continue;
      const base = resolve(io.cwd, globBase(p));
      wanted.set(base, p.includes('**') || wanted.get(base) === true);
    }
    for (const [dir, w] of watchers) {
      if (!wanted.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const [dir, recursive] of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const w = fsWatch(dir, { recursive }, (_event, filename) => {
          if (filename === null) return schedule();
          const full = join(dir, filename.toString());
          if (files.has(full) || matches(full)) schedule();
        });
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        /* a directory that vanished; the next run reports its files */
      }
    }
  };

  await once(true);
  return new Promise<number>((resolveExit) => {
    const stop = () => {
      for (const w of watchers.values()) w.close();
      if (timer) clearTimeout(timer);
      resolveExit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
