/**
 * Process life cycle: every temporary file the CLI creates is registered here, and removed on every exit path
 * the process controls — a normal exit, an exception, SIGINT, SIGTERM, SIGHUP. The bin installs the signal
 * handlers before a command runs, so they are in place before the first write. After a signal the process
 * exits 128 + the signal number (130 for SIGINT, 143 for SIGTERM), as shells and make expect.
 * (SIGKILL cannot be caught: the next write into the same directory sweeps such debris, see fsutil.ts.)
 */
import { unlinkSync } from 'node:fs';

const temps = new Set<string>();
const closers = new Set<() => void>();

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export function trackTemp(path: string): void {
  temps.add(path);
}

export function untrackTemp(path: string): void {
  temps.delete(path);
}

/** Something to close before the process exits (a file watcher); returns its removal. */
export function onShutdown(close: () => void): () => void {
  closers.add(close);
  return () => closers.delete(close);
}

/** Remove every registered temporary file and run the closers; synchronous, so it is safe in 'exit'. */
export function cleanupNow(): void {
  for (const close of closers) {
    try {
      close();
    } catch {
      /* exiting anyway */
    }
  }
  closers.clear();
  for (const t of temps) {
    try {
      unlinkSync(t);
    } catch {
      /* already renamed or never created */
    }
  }
  temps.clear();
}

let installed = false;

/** For the bin only: in-process callers of `main()` keep their own signal handling. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.on(signal, () => {
      cleanupNow();
      process.exit(code);
    });
  }
}

/**
 * Let a pending signal be handled: long synchronous work (rendering hundreds of diagrams) calls this between
 * units, at most every `everyMs`, so Ctrl-C stops it within one diagram's time.
 */
export function yielder(everyMs = 40): () => Promise<void> | null {
  // process.hrtime, not performance.now(): Node's `performance` global loads perf_hooks (~12 modules) on first use.
  const clock = () => Number(process.hrtime.bigint()) / 1e6;
  let last = clock();
  return () => {
    const now = clock();
    if (now - last < everyMs) return null;
    last = now;
    return new Promise((resolve) => setImmediate(resolve));
  };
}
