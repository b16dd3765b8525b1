/**
 * Build-log diagnostics of the Markdown plugins. Hosts drop vfile messages and nobody passes `onError`, so a
 * broken diagram built green and silent: both plugins now print every problem as one line an editor can jump
 * to — `docs/tcp.md:12:3: unknown participant "srv" [unknown-participant]` — and, in strict mode (option or
 * `WIREGRAM_STRICT=1`), fail the document with every problem listed.
 */
export interface BlockReport {
  severity: 'error' | 'warning';
  /** The Markdown file (as the host named it), or null. */
  file: string | null;
  /** In the file (1-based), or null. */
  position: { start: { line: number; column: number } } | null;
  code: string;
  reason: string;
  hint?: string | null;
}

/** Where reports go: `true` (default) prints them to stderr, `false` keeps quiet, a function gets each line. */
export type ReportLog = boolean | ((line: string, report: BlockReport) => void);

type Proc = { cwd?: () => string; env?: Record<string, string | undefined> };
const proc = (): Proc | undefined => (globalThis as { process?: Proc }).process;

/** A path as the log shows it: relative to the working directory when inside it (shorter, and clickable). */
export function logPath(file: string | null): string {
  if (!file) return '<markdown>';
  const cwd = proc()?.cwd?.().replace(/[\\/]+$/, '');
  if (cwd && (file.startsWith(cwd + '/') || file.startsWith(cwd + '\\'))) return file.slice(cwd.length + 1);
  return file;
}

// Author text goes to a terminal: control characters (escape sequences, line breaks) are shown, not obeyed.
const controls = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

/** `file:line:col: reason [code]` (warnings say so after the place); the hint on a second, indented line. */
export function formatBlockReport(r: BlockReport): string {
  const at = r.position ? `:${r.position.start.line}:${r.position.start.column}` : '';
  const kind = r.severity === 'warning' ? 'warning: ' : '';
  const line = `${controls(logPath(r.file))}${at}: ${kind}${controls(r.reason)} [${r.code}]`;
  return r.hint ? `${line}\n    hint: ${controls(r.hint)}` : line;
}

// Hosts compile a page more than once (Docusaurus: a server and a client bundle); say each thing once.
const printed = new Set<string>();

/** Print (or hand over) one report according to `log`. */
export function logBlockReport(report: BlockReport, log: ReportLog | undefined): void {
  if (log === false) return;
  const line = formatBlockReport(report);
  if (typeof log === 'function') {
    log(line, report);
    return;
  }
  if (printed.has(line)) return;
  if (printed.size > 10_000) printed.clear();
  printed.add(line);
  const out = (globalThis as { console?: { error?: (s: string) => void; warn?: (s: string) => void } }).console;
  (report.severity === 'error' ? out?.error : out?.warn)?.(`wiregram: ${line}`);
}

/** Strict mode: the option when given, else `WIREGRAM_STRICT` (`1`, `true`, `yes`) from the environment. */
export function strictMode(option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  const value = proc()?.env?.WIREGRAM_STRICT?.trim().toLowerCase();
  return value === '1' || value === 'true' || value === 'yes';
}

/** Problems that fail a strict build: broken blocks, and fence options that were ignored (`stlye=flow`). */
export function failsStrict(report: BlockReport): boolean {
  return report.severity === 'error' || report.code === 'unknown-meta-option' || report.code === 'invalid-meta-value';
}

/**
 * The message a strict build fails with: how many problems, then each on its own line. It is also recorded
 * (`strictFailures`): some hosts catch a page's error, log it and build on (Astro's content loaders, so
 * Starlight), and their integration fails the build at its end instead.
 */
export function strictFailureMessage(reports: readonly BlockReport[]): string {
  const n = reports.length;
  const files = [...new Set(reports.map((r) => logPath(r.file)))];
  const message = (
    `wiregram strict mode: ${n} problem${n === 1 ? '' : 's'} in ${files.join(', ')} ` +
    `(set by the \`strict\` option or WIREGRAM_STRICT=1)\n` +
    reports.map((r) => '  ' + formatBlockReport(r).replace(/\n/g, '\n  ')).join('\n')
  );
  strictFailures().push(message);
  return message;
}

/**
 * The error a host integration fails a strict build with at the build's end (`strictFailureMessage`), named
 * `WiregramStrictError`, without stack frames: hosts print an error's stack, and the problems are the author's,
 * not a place in wiregram's code.
 */
export function strictFailureError(reports: readonly BlockReport[]): Error {
  const error = new Error(strictFailureMessage(reports));
  error.name = 'WiregramStrictError';
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

// Process-wide (a symbol on globalThis): a bundler may load two copies of this module, and an integration
// must see what either copy recorded.
const FAILURES = Symbol.for('wiregram.strictFailures');

/**
 * Every strict-mode failure of this process so far, for host integrations whose host catches a page's error
 * and builds on (Astro's content loaders): they fail the build at its end instead. Clear it with `length = 0`.
 */
export function strictFailures(): string[] {
  const holder = globalThis as { [FAILURES]?: string[] };
  return (holder[FAILURES] ??= []);
}
