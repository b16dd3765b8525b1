/**
 * Positions and errors shared by every parser and engine in wiregram.
 * Lines and columns are 1-based (as editors show them); offsets are 0-based UTF-16 indices.
 */
export interface Point {
  line: number;
  column: number;
  offset: number;
}

export interface Position {
  start: Point;
  end: Point;
}

export interface DiagnosticInit {
  /** Stable machine-readable identifier, e.g. `data-before-handshake`. */
  code: string;
  /** What is wrong, without the position prefix. */
  reason: string;
  position?: Position | null;
  /** What the parser or engine expected instead, in words. */
  expected?: string | null;
  /** How to fix it. */
  hint?: string | null;
}

/** A non-fatal finding (an override accepted and marked, a capture frame skipped, …). */
export interface Diagnostic {
  code: string;
  reason: string;
  position: Position | null;
  expected: string | null;
  hint: string | null;
  /** `line L, col C: reason` (or just the reason without a position). */
  message: string;
}

function prefix(position: Position | null | undefined): string {
  return position ? `line ${position.start.line}, col ${position.start.column}: ` : '';
}

export function diagnostic(init: DiagnosticInit): Diagnostic {
  const position = init.position ?? null;
  return {
    code: init.code,
    reason: init.reason,
    position,
    expected: init.expected ?? null,
    hint: init.hint ?? null,
    message: prefix(position) + init.reason,
  };
}

/**
 * The one error type wiregram throws for bad input. Anything else escaping a public function is a bug.
 * `message` reads `line 4, col 1: client cannot send data in SYN_SENT — …`; `hint` says how to fix it.
 */
export class WiregramError extends Error {
  override readonly name = 'WiregramError';
  readonly code: string;
  readonly reason: string;
  readonly position: Position | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly expected: string | null;
  readonly hint: string | null;

  constructor(init: DiagnosticInit) {
    const d = diagnostic(init);
    super(d.message);
    this.code = d.code;
    this.reason = d.reason;
    this.position = d.position;
    this.line = d.position?.start.line ?? null;
    this.column = d.position?.start.column ?? null;
    this.expected = d.expected;
    this.hint = d.hint;
  }

  toDiagnostic(): Diagnostic {
    return diagnostic(this);
  }
}

export interface BudgetInit {
  /** What is over, naming the option in parentheses once: `… 60,000 drawn elements (maxElements); …`. */
  reason: string;
  position?: Position | null;
  expected?: string | null;
  /** The option that sets the budget, e.g. `maxElements`. */
  option: string;
  /** The budget now; the hint suggests twice as much. */
  limit: number;
  /** How to stay within it (`split the deck`); the hint goes on with how to raise it. */
  advice: string;
  /** What the option is to the reader: `the option` (default) or `the plugin option`. */
  optionKind?: string;
}

/**
 * An output budget exceeded (code `over-budget`). The hint names the option and a larger value for the API; the
 * budget's parts (`option`, `limit`, `advice`) let a host that spells options its own way (the CLI's
 * `--max-elements`) say the same in its own words.
 */
export class BudgetError extends WiregramError {
  readonly option: string;
  readonly limit: number;
  readonly advice: string;
  constructor(init: BudgetInit) {
    super({
      code: 'over-budget',
      reason: init.reason,
      position: init.position ?? null,
      expected: init.expected ?? null,
      hint: `${init.advice}, or raise the budget with ${init.optionKind ?? 'the option'} ${init.option} (e.g. { ${init.option}: ${init.limit * 2} })`,
    });
    this.option = init.option;
    this.limit = init.limit;
    this.advice = init.advice;
  }
}

export function isWiregramError(value: unknown): value is WiregramError {
  return value instanceof WiregramError;
}

/**
 * Runs `fn`; anything it throws other than a WiregramError (a bug of ours, a broken object passed in) becomes
 * one — `code`, reason `<reason>: <message>`, `hint` — so a public function throws one error type.
 */
export function withWiregramErrors<T>(fn: () => T, wrap: { code: string; reason: string; hint: string }): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WiregramError) throw e;
    throw new WiregramError({ code: wrap.code, reason: `${wrap.reason}: ${e instanceof Error ? e.message : String(e)}`, hint: wrap.hint });
  }
}

/** Where a fenced block's text sits in its Markdown file: what `mapBlockPosition` needs from a host. */
export interface BlockInFile {
  /** The whole Markdown file (`\n`, `\r\n` or `\r` line breaks); `''` when the host does not have it. */
  text: string;
  /** 1-based file line of the block's first content line (the line after the opening fence). */
  contentLine: number;
  /**
   * The block's text as the Markdown parser gave it (container prefixes removed). The file alone cannot tell a
   * list item's indentation from the content's own leading spaces; each file line ends with its block line, so
   * the difference in length is that line's prefix.
   */
  value: string;
  /** 1-based column of the opening fence, used when the file line is unknown; default: read from the file. */
  fenceColumn?: number;
}

/**
 * Map a position inside a fenced block (line 1 = the first content line) onto the Markdown file. Every line gets
 * its own column shift, because in a block quote or list item each content line carries its own `> ` or
 * indentation, which Markdown strips from the block's text. Offsets are recomputed from the file's line starts.
 */
export function mapBlockPosition(position: Position, block: BlockInFile): Position {
  const { text, contentLine } = block;
  const blockLines = block.value.split(/\r\n|\r|\n/);
  const starts = lineStartsOf(text);
  const fileLine = (line: number): string | undefined => {
    const start = starts[line - 1];
    if (start === undefined) return undefined;
    const next = starts[line];
    return text.slice(start, next === undefined ? undefined : next).replace(/\r\n$|\r$|\n$/, '');
  };
  // When the file line is unknown or was rewritten (a tab expanded to spaces), the opening fence's prefix is the
  // best guess: content lines sit in the same containers.
  const opener = fileLine(contentLine - 1);
  const fenceAt = opener?.search(/`{3,}|~{3,}/) ?? -1;
  const fallback = block.fenceColumn !== undefined ? block.fenceColumn - 1 : Math.max(0, fenceAt);
  const point = (p: Point): Point => {
    // A position past the block's last line (end of input) keeps that last line's prefix.
    const index = Math.min(Math.max(0, p.line - 1), blockLines.length - 1);
    const line = contentLine + Math.max(0, p.line - 1);
    const own = blockLines[index]!;
    const file = fileLine(contentLine + index);
    let column = p.column + fallback;
    if (file !== undefined) {
      if (file.endsWith(own)) column = p.column + file.length - own.length;
      else {
        // A CommonMark parser turns a tab in the container indentation into spaces: match the text after the
        // block line's leading whitespace, and count columns inside that whitespace back from it.
        const rest = own.trimStart();
        const lead = own.length - rest.length;
        if (file.endsWith(rest)) {
          const restAt = file.length - rest.length;
          column = p.column - 1 >= lead ? restAt + p.column - lead : Math.max(fallback + 1, restAt + 1 - (lead - p.column + 1));
        }
      }
    }
    const start = starts[line - 1];
    return { line, column, offset: start !== undefined ? start + column - 1 : p.offset };
  };
  return { start: point(position.start), end: point(position.end) };
}

// A file gets several positions mapped (each broken block, each warning): find its line starts once.
let lastText: string | null = null;
let lastStarts: number[] = [0];
function lineStartsOf(text: string): number[] {
  if (text !== lastText) {
    lastStarts = [0];
    const re = /\r\n|\r|\n/g;
    for (let m = re.exec(text); m; m = re.exec(text)) lastStarts.push(m.index + m[0].length);
    lastText = text;
  }
  return lastStarts;
}

export interface CodeFrameOptions {
  /** Shown before the position: `examples/handshake.md:4:1`. */
  filename?: string;
  /** ANSI colours; the CLI turns them on only on a TTY. */
  color?: boolean;
  /** Lines of context above and below. */
  context?: number;
}

/**
 * Characters a terminal would act on rather than print: C0 controls except tab, DEL, C1 controls (U+0080–U+009F,
 * CSI and OSC among them) and the bidirectional overrides/isolates of "Trojan Source" text.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Make author text safe to echo on a terminal: every control character becomes a visible escape — `\x1b` for
 * C0, DEL and C1, `\u202e` for bidi controls — so `ESC ] 0 ; … BEL` prints as text instead of retitling the
 * window. Tabs are kept. Text without such characters is returned unchanged.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Render an error as a code frame: location, message, the offending lines with a caret, and the hint.
 * Source lines, reason, expected and hint are echoed through `escapeControl`; the caret follows the escaped text.
 */
export function formatCodeFrame(error: Pick<WiregramError, 'reason' | 'position' | 'hint' | 'expected'>, source: string, options: CodeFrameOptions = {}): string {
  const color = options.color ?? false;
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const pos = error.position;
  const where = [options.filename, pos ? `${pos.start.line}:${pos.start.column}` : null].filter(Boolean).join(':');
  const out: string[] = [`${where ? paint('1', escapeControl(where)) + ' ' : ''}${paint('31', 'error')} ${escapeControl(error.reason)}`];
  if (pos) {
    const lines = source.split(/\r\n|\r|\n/);
    const context = options.context ?? 1;
    const first = Math.max(1, pos.start.line - context);
    const last = Math.min(lines.length, pos.start.line + context);
    const width = String(last).length;
    for (let n = first; n <= last; n++) {
      const text = lines[n - 1] ?? '';
      const marker = n === pos.start.line ? paint('31', '>') : ' ';
      out.push(`${marker} ${String(n).padStart(width)} | ${escapeControl(text)}`);
      if (n === pos.start.line) {
        // Columns count the raw text; the caret goes under the escaped text (an escape is 4–6 characters wide).
        const startCol = Math.max(0, pos.start.column - 1);
        const endCol = pos.end.line === pos.start.line ? Math.max(startCol + 1, pos.end.column - 1) : Math.max(startCol + 1, text.length);
        const before = escapeControl(text.slice(0, startCol));
        const span = Math.max(1, escapeControl(text.slice(startCol, endCol)).length);
        // Tabs stay tabs in the caret line, so the caret lines up however wide the terminal draws them.
        const pad = before.replace(/[^\t]/g, ' ') + ' '.repeat(Math.max(0, startCol - text.length));
        out.push(`  ${' '.repeat(width)} | ${pad}${paint('31', '^'.repeat(span))}`);
      }
    }
  }
  if (error.expected) out.push(`  expected: ${escapeControl(error.expected)}`);
  if (error.hint) out.push(`  ${paint('36', 'hint')}: ${escapeControl(error.hint)}`);
  return out.join('\n');
}

/** The reader's findings have no place in the source; give them that of the statement that read the capture. */
export function placeWarnings(warnings: Diagnostic[], position: Position | null | undefined): Diagnostic[] {
  if (!position) return warnings;
  return warnings.map((w) => (w.position ? w : diagnostic({ code: w.code, reason: w.reason, position, expected: w.expected, hint: w.hint })));
}
