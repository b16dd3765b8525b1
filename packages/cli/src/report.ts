/**
 * How problems reach the user: code frames for people, one line per problem for editors and CI problem
 * matchers (`file:line:col: error: message [code]`), JSON for scripts, and GitHub workflow annotations.
 */
import type { Position } from '@wiregram/core';
import { escapeControl } from '@wiregram/core/errors';
import { BUDGET_DEFAULTS, type BudgetOption, budgetFlag as budgetFlagName } from './commands.js';
import { loadedCore } from './engine.js';
import { fileLineStarts, type Unit } from './inputs.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  /** As shown: relative to the working directory, or `<stdin>`. */
  file: string;
  /** The whole file's text, for the code frame; null for binary inputs (captures). */
  source: string | null;
  severity: Severity;
  code: string;
  reason: string;
  /** In file coordinates. */
  position: Position | null;
  expected: string | null;
  hint: string | null;
  /** 1-based diagram index within the file. */
  diagram: number | null;
}

export type ErrorFormat = 'text' | 'compact' | 'json' | 'github';

type Env = Record<string, string | undefined>;

/** Colour on a TTY unless NO_COLOR; FORCE_COLOR wins over both (as in Node itself); --color/--no-color win over all. */
export function wantColor(stream: { isTTY?: boolean }, env: Env, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

/**
 * Author text, file names and capture-derived text made safe for a terminal: C0 (except tab), DEL and C1
 * controls print as `\x1b`, bidi controls as `\u202e` — core's `escapeControl`, the escaping its code frames use.
 * `@wiregram/core/errors` has no imports, so this costs start-up nothing the rest of core would.
 */
export const escapeTerminal = escapeControl;

/**
 * JSON for a terminal or a log: JSON.stringify already escapes C0, but not DEL, C1 (U+009B is a CSI) or the bidi
 * controls; `\u` escapes are the same string to any JSON reader.
 */
export function safeJson(value: unknown, space = 2): string {
  return JSON.stringify(value, null, space).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function painter(color: boolean) {
  const p = (code: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { bold: p('1'), red: p('31'), yellow: p('33'), cyan: p('36'), dim: p('2'), green: p('32') };
}

interface ErrorLike {
  code?: unknown;
  reason?: unknown;
  message?: unknown;
  position?: unknown;
  expected?: unknown;
  hint?: unknown;
  name?: unknown;
}

/** Is this one of ours (a WiregramError), even if it came from another copy of @wiregram/core? */
export function isWiregramLike(e: unknown): e is ErrorLike & { code: string; reason: string } {
  return typeof e === 'object' && e !== null && (e as ErrorLike).name === 'WiregramError' && typeof (e as ErrorLike).reason === 'string';
}

function isPosition(p: unknown): p is Position {
  return typeof p === 'object' && p !== null && typeof (p as Position).start?.line === 'number' && typeof (p as Position).start?.column === 'number';
}

/**
 * A font without a glyph knows the character but not where it was written: the first use of that character
 * in the diagram's source is the place to point at (block coordinates).
 */
function charPosition(source: string, e: ErrorLike): Position | null {
  if (e.code !== 'font-missing-glyph' || typeof e.reason !== 'string') return null;
  const m = /U\+([0-9A-F]{4,6})/.exec(e.reason);
  const ch = m ? String.fromCodePoint(parseInt(m[1]!, 16)) : '';
  const at = ch ? source.indexOf(ch) : -1;
  if (at < 0) return null;
  const before = source.slice(0, at).split(/\r\n|\r|\n/);
  const line = before.length;
  const column = before[line - 1]!.length + 1;
  return { start: { line, column, offset: at }, end: { line, column: column + ch.length, offset: at + ch.length } };
}

/** A problem found while compiling one unit, with its position mapped from the block into the file. */
export function problemFromError(unit: Unit, error: unknown, severity: Severity = 'error'): Problem {
  const e = (error ?? {}) as ErrorLike;
  const ours = isWiregramLike(error) || (typeof e.code === 'string' && typeof e.reason === 'string');
  let position: Position | null = isPosition(e.position) ? e.position : charPosition(unit.source, e);
  // Problems come from compiling, so core is loaded by now; its mapper shifts each line past its `> `/list prefix.
  const core = loadedCore();
  if (position && unit.block) position = core ? core.mapBlockPosition(position, { text: unit.input.text, contentLine: unit.block.contentLine, value: unit.block.source }) : null;
  if (!position && unit.block) {
    // No position (an internal failure): point at the fence, so the user still knows which block.
    const line = unit.block.openLine;
    const start = fileLineStarts(unit.input)[line - 1] ?? 0;
    position = { start: { line, column: 1, offset: start }, end: { line, column: 1 + unit.block.openerPrefix.length + 3, offset: start } };
  }
  const budget = ours ? budgetInFlags(error) : null;
  return {
    file: unit.input.display,
    source: unit.input.text,
    severity,
    code: ours ? String(e.code) : 'internal-error',
    reason: budget ? budget.reason : ours ? String(e.reason) : `internal error while drawing this diagram: ${error instanceof Error ? error.message : String(error)}`,
    position,
    expected: typeof e.expected === 'string' ? e.expected : null,
    hint: budget ? budget.hint : typeof e.hint === 'string' ? e.hint : ours ? null : 'this is a bug in wiregram; please report it with the diagram text',
    diagram: unit.n,
  };
}

/**
 * A budget error (core's BudgetError) in the CLI's words: the flag that sets the budget instead of the API option
 * (`--max-elements 120000`, not `{ maxElements: 120000 }`), in the reason and in the hint.
 */
function budgetInFlags(error: unknown): { reason: string; hint: string } | null {
  const b = error as { code?: unknown; reason?: unknown; option?: unknown; limit?: unknown; advice?: unknown };
  if (b.code !== 'over-budget' || typeof b.reason !== 'string' || typeof b.option !== 'string' || typeof b.limit !== 'number' || typeof b.advice !== 'string') return null;
  if (!Object.hasOwn(BUDGET_DEFAULTS, b.option)) return null;
  const flag = `--${budgetFlagName(b.option as BudgetOption)}`;
  return { reason: b.reason.replace(`(${b.option})`, `(${flag})`), hint: `${b.advice}, or raise the budget with ${flag} ${b.limit * 2}` };
}

export type CodeFrame = (
  error: { reason: string; position: Position | null; hint: string | null; expected: string | null },
  source: string,
  options?: { filename?: string; color?: boolean; context?: number },
) => string;

function where(p: Problem): string {
  const file = escapeTerminal(p.file);
  return p.position ? `${file}:${p.position.start.line}:${p.position.start.column}` : file;
}

export function formatCompact(p: Problem, color = false): string {
  const c = painter(color);
  const sev = p.severity === 'error' ? c.red('error') : c.yellow('warning');
  return `${c.bold(where(p))}: ${sev}: ${escapeTerminal(p.reason)} ${c.dim(`[${escapeTerminal(p.code)}]`)}`;
}

/**
 * The header line in the compact (gcc) form, then core's code frame without its own header line: the
 * offending lines with a caret, `expected:` and the hint.
 */
export function formatText(p: Problem, codeFrame: CodeFrame | null, color = false): string {
  const head = formatCompact(p, color);
  const c = painter(color);
  if (codeFrame && p.source !== null && p.position) {
    const frame = codeFrame({ reason: p.reason, position: p.position, hint: p.hint, expected: p.expected }, p.source, { filename: p.file, color });
    return [head, ...frame.split('\n').slice(1)].join('\n');
  }
  const out = [head];
  if (p.expected) out.push(`  expected: ${escapeTerminal(p.expected)}`);
  if (p.hint) out.push(`  ${c.cyan('hint')}: ${escapeTerminal(p.hint)}`);
  return out.join('\n');
}

/** A workflow command's data: `%`, CR and LF are its syntax; other controls would reach the log viewer raw. */
function ghEscapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghEscapeProp(s: string): string {
  return ghEscapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(p: Problem): string {
  const props = [`file=${ghEscapeProp(escapeTerminal(p.file))}`];
  if (p.position) {
    props.push(`line=${p.position.start.line}`, `col=${p.position.start.column}`);
    if (p.position.end.line === p.position.start.line) props.push(`endColumn=${p.position.end.column}`);
    else props.push(`endLine=${p.position.end.line}`);
  }
  props.push(`title=${ghEscapeProp(`wiregram ${escapeTerminal(p.code)}`)}`);
  // Author text first made visible (a CR or ESC of its own becomes `\x0d`, `\x1b`), then joined by the real
  // line breaks of the annotation, which the command syntax carries as %0A.
  const message = [p.reason, p.expected ? `expected: ${p.expected}` : '', p.hint ? `hint: ${p.hint}` : '']
    .filter(Boolean)
    .map(escapeTerminal)
    .join('\n');
  return `::${p.severity} ${props.join(',')}::${ghEscapeData(message)}`;
}

export function problemJson(p: Problem) {
  return {
    file: p.file,
    line: p.position?.start.line ?? null,
    column: p.position?.start.column ?? null,
    endLine: p.position?.end.line ?? null,
    endColumn: p.position?.end.column ?? null,
    severity: p.severity,
    code: p.code,
    message: p.reason,
    expected: p.expected,
    hint: p.hint,
    diagram: p.diagram,
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
