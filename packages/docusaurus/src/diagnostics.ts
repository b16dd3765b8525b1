/**
 * Diagram problems on every `docusaurus build`, warm cache or not. Docusaurus keeps the bundler's persistent
 * cache (`node_modules/.cache`): a second build does not compile unchanged pages again, so the remark plugin —
 * which prints each problem as it draws the page — never runs for them and their problems would go unsaid (and
 * a strict build would pass). So each compiled Markdown file's problems are kept in
 * `node_modules/.cache/wiregram/`, with a hash of the file's content; after the build (`postBuild`) the problems
 * of every file that this build did not compile and that is unchanged since are printed again, and strict mode
 * fails the build on them. `docusaurus clear` removes them with the bundler's cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failsStrict, logBlockReport, strictFailureError, strictMode, type BlockReport, type ReportLog } from '@wiregram/svg';
import remarkWiregram, { type RemarkWiregramOptions } from 'remark-wiregram';

/** Where one config's records go, and when its build started (records older than that were not compiled now). */
export interface DiagnosticsStore {
  dir: string | null;
  since: number;
}

interface FileRecord {
  path: string;
  hash: string;
  written: number;
  reports: BlockReport[];
}

/** Remark options with the store the records go to (taken out before remark-wiregram sees the options). */
export type RecordedOptions = RemarkWiregramOptions & { diagnostics?: DiagnosticsStore };

// Bounds: a cache folder is read whole after each build; Markdown files larger than this are not hashed.
const MAX_RECORDS = 20_000;
const MAX_FILE = 8 * 1024 * 1024;

function contentHash(path: string): string | null {
  try {
    if (statSync(path).size > MAX_FILE) return null;
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

const recordName = (path: string) => createHash('sha256').update(path).digest('hex').slice(0, 32) + '.json';

function save(dir: string, path: string, reports: BlockReport[]): void {
  const hash = contentHash(path);
  if (!hash) return;
  const record: FileRecord = { path, hash, written: Date.now(), reports };
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, recordName(path)), JSON.stringify(record));
  } catch {
    // A cache that cannot be written: this build still said everything; only a later warm build cannot.
  }
}

function isRecord(value: unknown): value is FileRecord {
  const r = value as Partial<FileRecord> | null;
  return !!r && typeof r.path === 'string' && typeof r.hash === 'string' && typeof r.written === 'number' && Array.isArray(r.reports);
}

function isReport(value: unknown): value is BlockReport {
  const r = value as Partial<BlockReport> | null;
  return !!r && (r.severity === 'error' || r.severity === 'warning') && typeof r.code === 'string' && typeof r.reason === 'string';
}

/**
 * remark-wiregram, keeping each file's problems in the store's folder as it draws the file (the file is
 * recorded even without problems, so a fixed page stops being reported).
 */
export function remarkWiregramRecorded(this: unknown, options: RecordedOptions = {}) {
  const { diagnostics: store, ...rest } = options;
  let current: BlockReport[] = [];
  const log = rest.log;
  const transform = remarkWiregram.call(this as never, {
    ...rest,
    log: (line, report) => {
      current.push(report);
      if (typeof log === 'function') log(line, report);
      else logBlockReport(report, log);
    },
  });
  return (tree: Parameters<typeof transform>[0], file: Parameters<typeof transform>[1]): void => {
    current = [];
    try {
      transform(tree, file);
    } finally {
      if (store?.dir && file.path) save(store.dir, file.path, current);
    }
  };
}

/**
 * After a build: print the problems of every recorded file this build did not compile (the bundler's cache had
 * it) whose content is unchanged, in file and line order; in strict mode, fail with them.
 */
export function replayUnchanged(store: DiagnosticsStore, log: ReportLog | undefined, strict: boolean | undefined): void {
  if (!store.dir) return;
  let names: string[];
  try {
    names = readdirSync(store.dir).filter((n) => n.endsWith('.json')).slice(0, MAX_RECORDS);
  } catch {
    return;
  }
  const replayed: BlockReport[] = [];
  for (const name of names) {
    let record: unknown;
    try {
      record = JSON.parse(readFileSync(join(store.dir, name), 'utf8'));
    } catch {
      continue;
    }
    // Compiled by this build (said as it happened), changed since, or gone: not one to say again.
    if (!isRecord(record) || record.written >= store.since || !record.reports.length) continue;
    if (contentHash(record.path) !== record.hash) continue;
    for (const report of record.reports) if (isReport(report)) replayed.push(report);
  }
  const line = (r: BlockReport) => r.position?.start.line ?? 0;
  replayed.sort((a, b) => ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : line(a) - line(b)));
  for (const report of replayed) logBlockReport(report, log);
  const failing = replayed.filter(failsStrict);
  if (failing.length && strictMode(strict)) {
    throw strictFailureError(failing);
  }
}

/** The Docusaurus plugin (function form) that points the store at the site's cache and replays after the build. */
export function wiregramDiagnosticsPlugin(store: DiagnosticsStore, options: RemarkWiregramOptions) {
  const plugin = (context: { siteDir: string }) => {
    store.dir = join(context.siteDir, 'node_modules', '.cache', 'wiregram');
    store.since = Date.now();
    return {
      name: '@wiregram/docusaurus/diagnostics',
      postBuild: async () => replayUnchanged(store, options.log, options.strict),
    };
  };
  return Object.assign(plugin, { [DIAGNOSTICS]: true as const });
}

/** Marks the plugin, so a config wrapped twice lists it once. */
export const DIAGNOSTICS = Symbol.for('wiregram.docusaurus.diagnostics');
