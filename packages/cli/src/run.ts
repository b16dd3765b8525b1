/** What one run of a command tells `--watch` (watch.ts), kept apart so commands need not load the watcher. */
export interface RunResult {
  code: number;
  /** Absolute paths of the inputs read, to watch. */
  files: string[];
  /** Directories the run wrote to or looked at for manifests: the next run looks there for stale outputs. */
  dirs: string[];
}

export interface RunContext {
  /** Remove stale outputs (render --clean; always in watch mode). */
  clean: boolean;
  /** Re-running under --watch: a deleted input is a notice, not an error. */
  watching: boolean;
  /** `dirs` of the previous run. */
  previousDirs: readonly string[];
}
