/**
 * The page's style controls are views of the text's `option` lines (docs/language.md § option): reading finds
 * the last value of a key, writing edits that key in place, adds `option key=value` when it is missing, and
 * removes it (and a line left empty) when the control goes back to the default.
 */

export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

interface OptionHit {
  /** Offset of the line's start in the text. */
  lineFrom: number;
  line: string;
  /** The `key=value` pair, offsets within the line. */
  start: number;
  end: number;
  value: string;
}

const OPTION_LINE = /^(\s*)options?\b/i;

function* lines(text: string): Generator<{ from: number; text: string }> {
  let from = 0;
  for (const t of text.split('\n')) {
    yield { from, text: t };
    from += t.length + 1;
  }
}

/** The statement part of a line (what precedes a comment). */
function statementOf(line: string): string {
  const m = /(^|\s)(#|%%)/.exec(line);
  return m ? line.slice(0, m.index + m[1]!.length) : line;
}

function findOption(text: string, key: string): OptionHit | null {
  let hit: OptionHit | null = null;
  const pair = new RegExp(`(^|\\s)(${key.replace(/[-]/g, '\\-')})(?:=|\\s+)([^\\s=]+)`, 'gi');
  for (const { from, text: line } of lines(text)) {
    const stmt = statementOf(line);
    const head = OPTION_LINE.exec(stmt);
    if (!head) continue;
    const rest = stmt.slice(head[0].length);
    pair.lastIndex = 0;
    for (let m = pair.exec(rest); m; m = pair.exec(rest)) {
      const start = head[0].length + m.index + m[1]!.length;
      hit = { lineFrom: from, line, start, end: head[0].length + m.index + m[0].length, value: m[3]! };
    }
  }
  return hit;
}

/** The value an `option` line gives `key`, or null. */
export function readOption(text: string, key: string): string | null {
  return findOption(text, key)?.value ?? null;
}

/** The edit that makes the text say `option key=value` (value null: the key removed, back to the default). */
export function writeOption(text: string, key: string, value: string | null): TextEdit | null {
  const hit = findOption(text, key);
  if (hit) {
    if (value !== null) return { from: hit.lineFrom + hit.start, to: hit.lineFrom + hit.end, insert: `${key}=${value}` };
    const left = hit.line.slice(0, hit.start).replace(/\s+$/, '');
    const right = hit.line.slice(hit.end);
    if (OPTION_LINE.exec(left)?.[0] === left && statementOf(right).trim() === '') {
      // Nothing else on the line: drop the whole line and its newline.
      const end = hit.lineFrom + hit.line.length;
      return end < text.length ? { from: hit.lineFrom, to: end + 1, insert: '' } : { from: Math.max(0, hit.lineFrom - 1), to: end, insert: '' };
    }
    return { from: hit.lineFrom + left.length, to: hit.lineFrom + hit.end, insert: '' };
  }
  if (value === null) return null;
  // Beside the other options, on the last option line.
  let last: { from: number; text: string } | null = null;
  for (const l of lines(text)) if (OPTION_LINE.test(statementOf(l.text))) last = l;
  if (last) {
    const at = last.from + statementOf(last.text).replace(/\s+$/, '').length;
    return { from: at, to: at, insert: ` ${key}=${value}` };
  }
  // A new line after a leading `title` (where authors put options), else at the top.
  let at = 0;
  for (const { from, text: line } of lines(text)) {
    if (/^\s*title\b/i.test(line) || /^\s*(%%|#)/.test(line)) at = from + line.length + 1;
    else break;
  }
  if (at > text.length) return { from: text.length, to: text.length, insert: `\noption ${key}=${value}` };
  return { from: at, to: at, insert: `option ${key}=${value}\n` };
}
