/**
 * `--watch`: run once, then again whenever an input changes, is added (a new file matching a glob, or in a new
 * subfolder of a watched folder), deleted or renamed. Directories are watched with chokidar rather than files:
 * editors save by writing a new file and renaming it over the old one, and new subfolders must be seen as they
 * appear. Changes are debounced (80 ms) with a maximum wait (500 ms), so a writer that never pauses still gets a
 * render at least every half second; a run in progress is followed by one more. Each run cleans up after
 * itself: outputs whose input or block is gone are removed (see manifest.ts).
 * This module (and chokidar) is loaded only with --watch.
 */
import { basename, dirname, resolve, sep } from 'node:path';
import { type ParsedArgs, UsageError } from './args.js';
import { CliError } from './errors.js';
import { pathKind } from './fsutil.js';
import { globBase, isGlob } from './glob.js';
import { type InputKind, patternMatcher } from './inputs.js';
import { onShutdown, SIGNAL_EXIT_CODES } from './lifecycle.js';
import type { Io } from './io.js';
import { escapeTerminal, painter, plural, wantColor } from './report.js';
import type { RunContext, RunResult } from './run.js';

export const DEBOUNCE_MS = 80;
export const MAX_WAIT_MS = 500;

interface Root {
  path: string;
  recursive: boolean;
}

/** What to watch for these inputs: each glob's base (recursively for `**`), each folder recursively, each file's folder. */
export function watchRoots(positionals: readonly string[], cwd: string): Root[] {
  const roots = new Map<string, boolean>();
  const add = (path: string, recursive: boolean) => roots.set(path, recursive || roots.get(path) === true);
  for (const p of positionals) {
    if (p === '-') continue;
    if (isGlob(p)) {
      const rest = p.slice(globBase(p).length);
      add(resolve(cwd, globBase(p)), rest.includes('**') || rest.replace(/^\//, '').includes('/'));
      continue;
    }
    const abs = resolve(cwd, p);
    // A folder: watched recursively, so new subfolders are seen. A file: its folder, for editors' rename-saves.
    const kind = pathKind(abs);
    if (kind === 'dir' || (kind === null && (/[\\/]$/.test(p) || !/\.[^\\/.]+$/.test(basename(abs))))) add(abs, true);
    else add(dirname(abs), false);
  }
  return [...roots].map(([path, recursive]) => ({ path, recursive }));
}

/** A debounce that waits for `quiet` ms of silence, but never more than `maxWait` ms after the first call. */
export function debouncer(fire: () => void, quiet = DEBOUNCE_MS, maxWait = MAX_WAIT_MS) {
  let timer: NodeJS.Timeout | null = null;
  let first: number | null = null;
  return {
    poke() {
      const now = Date.now();
      first ??= now;
      if (timer) clearTimeout(timer);
      timer = setTimeout(
        () => {
          timer = null;
          first = null;
          fire();
        },
        Math.max(0, Math.min(now + quiet, first + maxWait) - now),
      );
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      first = null;
    },
  };
}

export async function watchLoop(io: Io, args: ParsedArgs, run: (ctx: RunContext) => Promise<RunResult>): Promise<number> {
  const c = painter(wantColor(io.stderr, io.env, args.values['color'] as boolean | undefined));
  const matches = patternMatcher(args.positionals, io.cwd, args.values['lang'] as InputKind | undefined);
  const roots = watchRoots(args.positionals, io.cwd);
  let files = new Set<string>();
  let dirs: string[] = [];
  let running = false;
  let pending = false;
  let stopped = false;
  const stamp = () => new Date().toTimeString().slice(0, 8);
  const report = (e: unknown) => {
    const hint = e instanceof UsageError || e instanceof CliError ? e.hint : null;
    io.stderr.write(`${c.red('error:')} ${escapeTerminal((e as Error).message)}\n${hint ? `  ${c.cyan('hint')}: ${escapeTerminal(hint)}\n` : ''}`);
  };

  const once = async (first: boolean) => {
    running = true;
    try {
      const r = await run({ clean: true, watching: !first, previousDirs: dirs });
      files = new Set(r.files);
      dirs = [...new Set([...dirs, ...r.dirs])];
    } catch (e) {
      // A problem on the first run (bad flag, missing file) ends the command; later ones (a file deleted or
      // unreadable while watching, a full disk) are reported and watching goes on.
      if (first) throw e;
      report(e);
    } finally {
      running = false;
    }
    if (stopped) return;
    io.stderr.write(c.dim(`[${stamp()}] watching ${plural(files.size, 'file')} for changes (Ctrl-C to stop)`) + '\n');
    if (pending) {
      pending = false;
      fire();
    }
  };
  const fire = () => {
    if (stopped) return;
    if (running) pending = true;
    else void once(false).catch(report);
  };
  const debounce = debouncer(fire);

  // In-process callers (no bin signal handlers): stop cleanly with the conventional exit code.
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((r) => (finish = r));
  const stopOn = (signal: keyof typeof SIGNAL_EXIT_CODES) => () => {
    stopped = true;
    debounce.cancel();
    unlisten();
    void close();
    finish(SIGNAL_EXIT_CODES[signal]);
  };
  const onInt = stopOn('SIGINT');
  const onTerm = stopOn('SIGTERM');
  const unlisten = () => {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  const { watch } = await import('chokidar');
  const inside = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  // Dot-files and node_modules are never inputs of a glob or folder; our own temp files and manifests are dot-files.
  const ignored = (path: string) => {
    const name = basename(path);
    return (name.startsWith('.') && !roots.some((r) => r.path === path)) || name === 'node_modules';
  };
  const groups = [
    { paths: roots.filter((r) => r.recursive).map((r) => r.path), options: {} },
    { paths: roots.filter((r) => !r.recursive).map((r) => r.path), options: { depth: 0 } },
  ].filter((g) => g.paths.length);
  const watchers = groups.map((g) => watch(g.paths, { ignoreInitial: true, ignored, ...g.options }));
  const close = () => Promise.all(watchers.map((w) => w.close()));
  const unregister = onShutdown(() => void close());
  let warned = false;
  for (const w of watchers) {
    w.on('all', (event, path) => {
      const abs = resolve(path);
      const relevant =
        event === 'addDir' || event === 'unlinkDir'
          ? // A folder appearing or vanishing inside a watched tree: its files come and go with it.
            [...files].some((f) => inside(f, abs)) || roots.some((r) => r.recursive && inside(abs, r.path))
          : files.has(abs) || matches(abs);
      if (relevant) debounce.poke();
    });
    w.on('error', (e) => {
      if (warned) return;
      warned = true;
      const code = (e as NodeJS.ErrnoException).code;
      io.stderr.write(
        `${c.yellow('warning:')} cannot watch everything: ${escapeTerminal((e as Error).message)}` +
          (code === 'ENOSPC' ? '\n  hint: the system limit on watched folders is reached; raise fs.inotify.max_user_watches, or watch a smaller folder' : '') +
          '\n',
      );
    });
  }
  await Promise.all(watchers.map((w) => new Promise<void>((r) => w.once('ready', () => r()))));

  try {
    await once(true);
  } catch (e) {
    unlisten();
    unregister();
    await close();
    throw e;
  }
  const code = await done;
  unregister();
  return code;
}
