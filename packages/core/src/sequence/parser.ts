/**
 * Parser for the `tcp-sequence` language. Line-oriented and hand-written: one pass over each line with an index,
 * no regular expressions, so the time is linear in the input and no input can make it backtrack.
 */
import { addressProblem } from './address.js';
import { WiregramError, withWiregramErrors, type Point, type Position } from '../errors.js';
import { TCP_STATES, type TcpFlag, type TcpState } from '../timeline.js';
import type {
  ArrowKind,
  Assignment,
  LoopStatement,
  OptionEntry,
  ParStatement,
  SegmentAttribute,
  SegmentAttributeKey,
  SegmentStatement,
  SeqValue,
  SequenceDocument,
  StateAssignment,
  Statement,
  WaitStatement,
  Word,
} from './ast.js';

/** How a bug of ours (not bad input) is reported by the public parse and simulate functions. */
export const INTERNAL_ERROR = { code: 'internal', reason: 'internal error', hint: 'please report this diagram' } as const;

/** Limits that keep a hostile or mistaken input from costing more than a diagram is worth. */
export const SEQUENCE_LIMITS = {
  maxSourceLength: 4_000_000,
  maxLines: 60_000,
  maxLineLength: 4_000,
  maxSegments: 10_000,
  maxParticipants: 100,
  maxNesting: 16,
  maxLen: 1_073_741_824,
  maxTime: 1_000_000,
  /** Largest `t=` timestamp, in seconds (about 31 years of capture). */
  maxTimestamp: 1_000_000_000,
  /** Statements executed, loop repetitions included. */
  maxSteps: 200_000,
} as const;

const FLAG_NAMES: Record<string, TcpFlag> = {
  syn: 'SYN',
  ack: 'ACK',
  fin: 'FIN',
  rst: 'RST',
  psh: 'PSH',
  urg: 'URG',
  ece: 'ECE',
  cwr: 'CWR',
  ae: 'AE',
};

const BARE_ATTRIBUTES: Record<string, SegmentAttributeKey> = {
  lost: 'lost',
  stale: 'stale',
  old: 'stale',
  retransmit: 'retransmit',
  retx: 'retransmit',
  retransmission: 'retransmit',
  keepalive: 'keepalive',
  keep_alive: 'keepalive',
  sack_perm: 'sack_perm',
  sackok: 'sack_perm',
  sack_permitted: 'sack_perm',
  force: 'force',
};

const VALUE_ATTRIBUTES: Record<string, SegmentAttributeKey> = {
  seq: 'seq',
  ack: 'ack',
  win: 'win',
  window: 'win',
  mss: 'mss',
  ws: 'ws',
  wscale: 'ws',
  ts: 'ts',
  tsval: 'ts',
  len: 'len',
  length: 'len',
  delay: 'delay',
  note: 'note',
  hide: 'hide',
  t: 'time',
  time: 'time',
};

// Maps rather than object lookups: no prototype chain to walk for the many misses.
const FLAG_MAP = new Map(Object.entries(FLAG_NAMES));
const BARE_MAP = new Map(Object.entries(BARE_ATTRIBUTES));
const VALUE_MAP = new Map(Object.entries(VALUE_ATTRIBUTES));

const KEYWORDS = [
  'title',
  'participant',
  'actor',
  'isn',
  'seq',
  'option',
  'state',
  'listen',
  'crash',
  'note',
  'divider',
  'timeout',
  'wait',
  'header',
  'capture',
  'par',
  'loop',
  'and',
  'end',
  'autonumber',
];

const SEGMENT_WORDS =
  'a flag (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, AE), key=value (seq, ack, win, mss, ws, ts, len, delay, t, note, hide), ' +
  'lost, stale, retransmit, keepalive, sack_perm, force, or a "quoted payload"';

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0x3000 || c === 0xa0 || c === 0xfeff;
}

/** Characters that may appear in identifiers and symbols. Anything above ASCII counts (CJK names). */
function isIdentChar(c: number): boolean {
  if (c >= 48 && c <= 57) return true; // 0-9
  if (c >= 65 && c <= 90) return true; // A-Z
  if (c >= 97 && c <= 122) return true; // a-z
  if (c === 95 || c === 46 || c === 36) return true; // _ . $
  if (c > 127) return !isSpace(c) && c !== 0xff1a && c !== 0xff0c && c !== 0x3001; // ：，、
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function suggest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= (w.length <= 3 ? 1 : 2) ? best : null;
}

/** One source line with a cursor; positions are computed from the line's offset in the block. */
class Line {
  i: number;
  readonly end: number;
  constructor(
    readonly s: string,
    readonly line: number,
    readonly base: number,
    end: number,
  ) {
    this.i = 0;
    this.end = end;
  }

  point(index: number): Point {
    return { line: this.line, column: index + 1, offset: this.base + index };
  }
  pos(start: number, end: number): Position {
    return { start: this.point(start), end: this.point(Math.max(start, end)) };
  }
  code(at = this.i): number {
    return at < this.end ? this.s.charCodeAt(at) : -1;
  }
  skipSpaces(): void {
    while (this.i < this.end && isSpace(this.s.charCodeAt(this.i))) this.i++;
  }
  atEnd(): boolean {
    this.skipSpaces();
    return this.i >= this.end;
  }
  /** Identifier: identifier characters, with inner `-` allowed when it does not start an arrow. */
  ident(): Word | null {
    const start = this.i;
    while (this.i < this.end) {
      const c = this.code();
      if (isIdentChar(c)) {
        this.i++;
        continue;
      }
      if (c === 45 && this.i > start) {
        const n = this.code(this.i + 1);
        const isArrowX = n === 120 && !isIdentChar(this.code(this.i + 2));
        if (isIdentChar(n) && !isArrowX) {
          this.i++;
          continue;
        }
      }
      break;
    }
    if (this.i === start) return null;
    return { type: 'word', value: this.s.slice(start, this.i), position: this.pos(start, this.i) };
  }
  /** A double-quoted string with `\"` and `\\` escapes. */
  quoted(): Word | null {
    if (this.code() !== 34 && this.code() !== 0x201c) return null;
    const close = this.code() === 34 ? 34 : 0x201d;
    const start = this.i;
    this.i++;
    let out = '';
    while (this.i < this.end) {
      const c = this.code();
      if (c === 92 && this.i + 1 < this.end) {
        const n = this.s[this.i + 1]!;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        this.i += 2;
        continue;
      }
      if (c === close) {
        this.i++;
        return { type: 'word', value: out, position: this.pos(start, this.i) };
      }
      out += this.s[this.i];
      this.i++;
    }
    throw new WiregramError({
      code: 'unterminated-string',
      reason: 'this quoted text never ends',
      position: this.pos(start, this.end),
      expected: 'a closing "',
      hint: 'add " at the end of the text (write \\" for a quote inside it)',
    });
  }
  /** The rest of the line, trimmed; a single quoted string is unquoted (its escapes already applied). */
  rest(): { text: string; position: Position; quoted: boolean } {
    this.skipSpaces();
    const start = this.i;
    if (this.code() === 34) {
      const q = this.quoted()!;
      if (this.atEnd()) return { text: q.value, position: q.position, quoted: true };
      this.i = start;
    }
    let end = this.end;
    while (end > start && isSpace(this.s.charCodeAt(end - 1))) end--;
    this.i = this.end;
    return { text: this.s.slice(start, end), position: this.pos(start, end), quoted: false };
  }
  eat(ch: string): boolean {
    this.skipSpaces();
    if (this.s.startsWith(ch, this.i) && this.i + ch.length <= this.end) {
      this.i += ch.length;
      return true;
    }
    return false;
  }
  /** `:` or the full-width `：` Chinese keyboards produce. */
  colon(): boolean {
    this.skipSpaces();
    const c = this.code();
    if (c === 58 || c === 0xff1a) {
      this.i++;
      return true;
    }
    return false;
  }
  fail(code: string, reason: string, start: number, end: number, expected: string | null, hint: string | null): never {
    throw new WiregramError({ code, reason, position: this.pos(start, end), expected, hint });
  }
}

/** Parse `x`, `x+1`, `u-2`, `1000`, `0xffff`, each optionally followed by `!`. */
function parseSeqValue(l: Line): SeqValue {
  l.skipSpaces();
  const start = l.i;
  let symbol: string | null = null;
  let offset = 0;
  const c = l.code();
  if (isDigit(c)) {
    offset = parseUint(l, 0xffffffff, 'a sequence number (0 … 4294967295) or a symbol such as x+1');
  } else {
    while (l.i < l.end) {
      const k = l.code();
      if (isIdentChar(k) && k !== 46) l.i++;
      else break;
    }
    if (l.i === start) {
      l.fail('malformed-number', 'expected a sequence value here', start, start + 1, 'a number such as 1000 or a symbol such as x+1', 'write seq=x+1 or seq=1000');
    }
    symbol = l.s.slice(start, l.i);
    if (isDigit(symbol.charCodeAt(0))) l.fail('malformed-number', `"${symbol}" is not a number`, start, l.i, 'digits only', null);
    const sign = l.code();
    if (sign === 43 || sign === 45) {
      l.i++;
      if (!isDigit(l.code())) {
        l.fail('malformed-number', `expected a number after "${symbol}${String.fromCharCode(sign)}"`, start, l.i + 1, `${symbol}${String.fromCharCode(sign)}1`, null);
      }
      const n = parseUint(l, 0xffffffff, 'an offset (0 … 4294967295)');
      offset = sign === 43 ? n : -n;
    }
  }
  let forced = false;
  if (l.code() === 33) {
    forced = true;
    l.i++;
  }
  const next = l.code();
  if (next !== -1 && !isSpace(next) && next !== 44 && next !== 0xff0c) {
    l.fail('malformed-number', `unexpected "${String.fromCharCode(next)}" in a sequence value`, start, l.i + 1, 'a number such as 1000 or a symbol such as x+1', null);
  }
  return { type: 'seq-value', symbol, offset, text: l.s.slice(start, l.i), forced, position: l.pos(start, l.i) };
}

/** Non-negative integer, decimal or 0x-hex, no larger than `max`. */
function parseUint(l: Line, max: number, expected: string): number {
  const start = l.i;
  let value = 0;
  if (l.code() === 48 && (l.code(l.i + 1) === 120 || l.code(l.i + 1) === 88)) {
    l.i += 2;
    const digitsStart = l.i;
    while (l.i < l.end) {
      const k = l.code();
      const d = isDigit(k) ? k - 48 : k >= 97 && k <= 102 ? k - 87 : k >= 65 && k <= 70 ? k - 55 : -1;
      if (d < 0) break;
      value = value * 16 + d;
      if (value > max) break;
      l.i++;
    }
    if (l.i === digitsStart) l.fail('malformed-number', 'expected hex digits after 0x', start, l.i, expected, null);
  } else {
    while (l.i < l.end && isDigit(l.code())) {
      value = value * 10 + (l.code() - 48);
      l.i++;
      if (value > max) break;
    }
    if (l.i === start) l.fail('malformed-number', 'expected a number here', start, start + 1, expected, null);
  }
  if (value > max) {
    while (l.i < l.end && isIdentChar(l.code())) l.i++;
    l.fail('number-too-large', `${l.s.slice(start, l.i)} is too large`, start, l.i, expected, null);
  }
  if (isIdentChar(l.code()) && l.code() !== 46) failNotNumber(l, start, 'a number', expected, 'use digits only (0-9), or 0x… for hex');
  return value;
}

/** Consume digits with an optional `.fraction`; the text read, or a `malformed-number` error (`missing`) when empty. */
function scanDecimal(l: Line, missing: string, expected: string): string {
  const start = l.i;
  while (l.i < l.end && isDigit(l.code())) l.i++;
  if (l.code() === 46) {
    l.i++;
    while (l.i < l.end && isDigit(l.code())) l.i++;
  }
  const text = l.s.slice(start, l.i);
  if (text === '' || text === '.') l.fail('malformed-number', missing, start, start + 1, expected, null);
  return text;
}

/** The rest of the word from `start` is not part of a number: report the whole word. */
function failNotNumber(l: Line, start: number, what: string, expected: string, hint: string | null): never {
  while (l.i < l.end && isIdentChar(l.code())) l.i++;
  l.fail('malformed-number', `"${l.s.slice(start, l.i)}" is not ${what}`, start, l.i, expected, hint);
}

/** `text` as a number, or `number-too-large` past `max`. */
function decimalAtMost(l: Line, text: string, start: number, max: number, expected: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n > max) l.fail('number-too-large', `${text} is too large`, start, l.i, `${expected}, at most ${max}`, null);
  return n;
}

/** Wall-clock units for `wait 7200s`: seconds per unit, and the name the bracket label uses. */
const REAL_TIME_UNITS: Record<string, { seconds: number; name: string }> = {
  s: { seconds: 1, name: 's' },
  sec: { seconds: 1, name: 's' },
  ms: { seconds: 0.001, name: 'ms' },
  min: { seconds: 60, name: 'min' },
  h: { seconds: 3600, name: 'h' },
};

/** Non-negative decimal number with an optional fraction (times, delays). */
function parseDecimal(l: Line, max: number, expected: string): number {
  const start = l.i;
  const text = scanDecimal(l, 'expected a number here', expected);
  if (isIdentChar(l.code()) && l.code() !== 46 && !(l.code() === 77 || l.code() === 82 || l.code() === 109 || l.code() === 114)) {
    failNotNumber(l, start, 'a number', expected, null);
  }
  return decimalAtMost(l, text, start, max, expected);
}

/** `t=0.000831` or `t=0.000831s`: seconds with an optional fraction (nanoseconds at most, as pcapng stores them). */
function parseTimestamp(l: Line): number {
  const start = l.i;
  const expected = 'seconds, e.g. t=0.000831';
  const text = scanDecimal(l, 'expected a time in seconds here', expected);
  if (l.code() === 115 && !isIdentChar(l.code(l.i + 1))) l.i++; // a trailing `s` unit
  else if (isIdentChar(l.code())) failNotNumber(l, start, 'a time in seconds', expected, 'write the time in seconds: t=1.5 or t=1.5s');
  return decimalAtMost(l, text, start, SEQUENCE_LIMITS.maxTimestamp, expected);
}

function parseState(word: Word): TcpState {
  const norm = word.value.toUpperCase().replace(/-/g, '_');
  const alias: Record<string, TcpState> = { SYN_RECEIVED: 'SYN_RCVD', SYN_RECV: 'SYN_RCVD', CLOSE: 'CLOSED', FIN_WAIT1: 'FIN_WAIT_1', FIN_WAIT2: 'FIN_WAIT_2' };
  const state = (TCP_STATES as readonly string[]).includes(norm) ? (norm as TcpState) : alias[norm];
  if (!state) {
    const s = suggest(norm, TCP_STATES);
    throw new WiregramError({
      code: 'unknown-state',
      reason: `"${word.value}" is not a TCP state`,
      position: word.position,
      expected: TCP_STATES.join(', '),
      hint: s ? `did you mean ${s}?` : null,
    });
  }
  return state;
}

/** An unquoted value: the text up to the next space or comma (consumed). */
function bareValue(l: Line): string {
  const vs = l.i;
  while (l.i < l.end && !isSpace(l.code()) && l.code() !== 44) l.i++;
  return l.s.slice(vs, l.i);
}

/**
 * Items to the end of the line, commas between them optional (`state a=X, b=Y`). None at all is a `syntax`
 * error: `reason`, from `start` to the end of the line.
 */
function commaList<T>(l: Line, item: () => T, reason: string, start: number, expected: string): T[] {
  const out: T[] = [];
  while (!l.atEnd()) {
    if (l.eat(',')) continue;
    out.push(item());
  }
  if (out.length === 0) l.fail('syntax', reason, start, l.end, expected, null);
  return out;
}

function parseAssignments(l: Line, what: string): Assignment[] {
  const item = (): Assignment => {
    const start = l.i;
    const participant = l.ident();
    if (!participant || !l.eat('=')) {
      l.fail('syntax', `expected participant=value in ${what}`, start, Math.max(l.i, start + 1), `participant=value, e.g. ${what} client=x server=y`, null);
    }
    const value = parseSeqValue(l);
    return { type: 'assignment', participant, value, position: l.pos(start, l.i) };
  };
  return commaList(l, item, `${what} needs at least one participant=value`, 0, `${what} client=x server=y`);
}

function parseSegmentSpec(l: Line, seg: SegmentStatement): void {
  while (true) {
    l.skipSpaces();
    if (l.i >= l.end) break;
    const c = l.code();
    if (c === 44 || c === 0xff0c || c === 0x3001) {
      l.i++;
      continue;
    }
    if (c === 34 || c === 0x201c) {
      const q = l.quoted()!;
      if (seg.payload) l.fail('duplicate-payload', 'a segment carries one payload', q.position.start.column - 1, q.position.end.column - 1, null, 'join the two texts into one');
      seg.payload = q;
      continue;
    }
    const start = l.i;
    while (l.i < l.end) {
      const k = l.code();
      if (isIdentChar(k) || (k === 45 && l.i > start)) l.i++;
      else break;
    }
    if (l.i === start) {
      l.fail('syntax', `unexpected "${l.s[l.i]}" in the segment`, start, start + 1, SEGMENT_WORDS, null);
    }
    const raw = l.s.slice(start, l.i);
    const lower = raw.toLowerCase();
    const key = lower.includes('-') ? lower.replace(/-/g, '_') : lower;
    const flag = FLAG_MAP.get(key);
    // `ACK=1` (flags style, upper case) sets the flag; `ack=x+1` / `Ack=1` gives the acknowledgement number.
    if (flag && !(key === 'ack' && l.code() === 61 && raw !== 'ACK')) {
      if (l.code() === 61) {
        // flags style: `SYN=1`, `ACK=0`
        l.i++;
        const v = parseUint(l, 1, 'SYN=1 or SYN=0');
        if (v === 1) seg.flags.push({ type: 'flag', flag, position: l.pos(start, l.i) });
      } else {
        seg.flags.push({ type: 'flag', flag, position: l.pos(start, l.i) });
      }
      if (l.code() === 43) l.i++; // SYN+ACK
      continue;
    }
    const bare = BARE_MAP.get(key);
    if (bare && l.code() !== 61) {
      seg.attributes.push({ type: 'attribute', key: bare, value: null, position: l.pos(start, l.i) });
      continue;
    }
    const attr = VALUE_MAP.get(key);
    if (attr && l.code() === 61) {
      l.i++;
      let value: SegmentAttribute['value'];
      if (attr === 'seq' || attr === 'ack') value = parseSeqValue(l);
      else if (attr === 'note' || attr === 'hide') {
        const q = l.quoted();
        if (q) value = q.value;
        else {
          const vs = l.i;
          value = bareValue(l);
          if (attr === 'hide') {
            for (const part of value.split('+')) {
              if (!['seq', 'ack', 'win', 'len'].includes(part.toLowerCase())) {
                l.fail('syntax', `hide=${value}: cannot hide "${part}"`, vs, l.i, 'hide=seq, hide=ack, hide=win, hide=len or a combination like hide=seq+ack', null);
              }
            }
          }
        }
      } else if (attr === 'delay') value = parseDecimal(l, SEQUENCE_LIMITS.maxTime, 'a delay in one-way trips, e.g. delay=2');
      else if (attr === 'time') value = parseTimestamp(l);
      else {
        const max = attr === 'len' ? SEQUENCE_LIMITS.maxLen : attr === 'ws' ? 14 : attr === 'ts' ? 0xffffffff : attr === 'win' ? 0x3fffffff : 65535;
        value = parseUint(l, max, `${attr}=<number 0 … ${max}>`);
      }
      seg.attributes.push({ type: 'attribute', key: attr, value, position: l.pos(start, l.i) });
      continue;
    }
    if (attr && l.code() !== 61) {
      l.fail('syntax', `${raw} needs a value`, start, l.i, `${key}=…`, `write ${key}=${attr === 'len' ? '100' : attr === 'note' ? '"text"' : attr === 'seq' || attr === 'ack' ? 'x+1' : attr === 'time' ? '0.000831' : '1460'}`);
    }
    const s = suggest(key, [...Object.keys(FLAG_NAMES).map((f) => f.toUpperCase()), ...Object.keys(VALUE_ATTRIBUTES).filter((k) => k.length > 1), 'lost', 'stale', 'retransmit', 'keepalive']);
    l.fail(
      'unknown-word',
      `unknown flag or attribute "${raw}"`,
      start,
      l.i,
      SEGMENT_WORDS,
      s ? `did you mean ${s}?` : 'free text goes in note="…"; a payload goes in "quotes"',
    );
  }
}

const ARROWS: ArrowKind[] = ['<->', '-->>', '->>', '--x', '-->', '--)', '->', '-x', '-)'];

function readArrow(l: Line): ArrowKind | null {
  l.skipSpaces();
  // By index: a cold parser runs in the interpreter, where for…of makes an iterator result per arrow tried.
  for (let k = 0; k < ARROWS.length; k++) {
    const a = ARROWS[k]!;
    if (l.s.startsWith(a, l.i) && l.i + a.length <= l.end) {
      l.i += a.length;
      return a;
    }
  }
  return null;
}

/** Find where a comment starts (`%%` anywhere, `#` at the start or after a space), outside quotes. */
function commentStart(s: string, from: number, to: number): number {
  let inQuote = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) inQuote = !inQuote;
    else if (c === 92 && inQuote) i++;
    else if (!inQuote) {
      if (c === 37 && s.charCodeAt(i + 1) === 37 && i + 1 < to) return i;
      if (c === 35 && (i === from || isSpace(s.charCodeAt(i - 1)))) return i;
    }
  }
  return to;
}

/**
 * Parse a `tcp-sequence` block into its syntax tree. Throws a WiregramError (with line and column) for anything
 * it does not understand; it never checks the protocol — that is `simulate`'s job.
 */
export function parseSequence(source: string): SequenceDocument {
  // A parser bug must still reach the user as a typed error, never as a stack trace.
  return withWiregramErrors(() => parseDocument(source), INTERNAL_ERROR);
}

/**
 * One Line kept for as long as the module lives, made on the first parse. V8 frees the hidden class of Line
 * objects at a full GC that finds none alive (between two documents of a host's build) and drops the optimized
 * code of every function that reads them with it: each such GC would send the parser back to the interpreter.
 * (Made at the first parse, not at module load: an instance made while the module is evaluated did not keep it.)
 */
let keptLine: Line | null = null;

function parseDocument(source: string): SequenceDocument {
  keptLine ??= new Line('', 0, 0, 0);
  if (typeof source !== 'string') {
    throw new WiregramError({ code: 'invalid-input', reason: 'the tcp-sequence source must be text', expected: 'a string' });
  }
  if (source.length > SEQUENCE_LIMITS.maxSourceLength) {
    throw new WiregramError({
      code: 'too-large',
      reason: `the block is ${source.length} characters long; wiregram draws blocks of at most ${SEQUENCE_LIMITS.maxSourceLength}`,
      expected: `at most ${SEQUENCE_LIMITS.maxSourceLength} characters`,
      hint: 'split the diagram into several blocks',
    });
  }
  const root: Statement[] = [];
  const stack: Array<{ par: ParStatement | LoopStatement; list: Statement[] }> = [];
  let current = root;
  let lineNo = 0;
  let offset = 0;
  let segments = 0;
  const len = source.length;
  while (offset <= len) {
    lineNo++;
    if (lineNo > SEQUENCE_LIMITS.maxLines) {
      throw new WiregramError({
        code: 'too-many-lines',
        reason: `the block has more than ${SEQUENCE_LIMITS.maxLines} lines`,
        position: { start: { line: lineNo, column: 1, offset }, end: { line: lineNo, column: 1, offset } },
        expected: `at most ${SEQUENCE_LIMITS.maxLines} lines`,
        hint: 'split the diagram into several blocks',
      });
    }
    let eol = offset;
    while (eol < len) {
      const c = source.charCodeAt(eol);
      if (c === 10 || c === 13) break;
      eol++;
    }
    const next = eol < len && source.charCodeAt(eol) === 13 && source.charCodeAt(eol + 1) === 10 ? eol + 2 : eol + 1;
    const lineText = source.slice(offset, eol);
    const base = offset;
    offset = next;
    if (lineText.length > SEQUENCE_LIMITS.maxLineLength) {
      throw new WiregramError({
        code: 'line-too-long',
        reason: `line ${lineNo} is ${lineText.length} characters long; the limit is ${SEQUENCE_LIMITS.maxLineLength}`,
        position: { start: { line: lineNo, column: 1, offset: base }, end: { line: lineNo, column: 1, offset: base } },
        expected: `at most ${SEQUENCE_LIMITS.maxLineLength} characters a line`,
        hint: 'break the text into several notes',
      });
    }
    const l: Line = new Line(lineText, lineNo, base, commentStart(lineText, 0, lineText.length));
    const stmt = l.atEnd() ? null : parseLine(l, stack.length);
    if (stmt === null) {
      // blank, comment-only or a header line (`sequenceDiagram`)
    } else if (stmt === 'and' || stmt === 'end') {
      const top = stack[stack.length - 1];
      if (!top) l.fail('syntax', `"${stmt}" without a "par"`, 0, l.end, 'par … and … end', `start the block with "par"`);
      if (stmt === 'and') {
        if (top.par.type !== 'par') l.fail('syntax', '"and" only separates the branches of a par', 0, l.end, 'par … and … end', null);
        const branch: Statement[] = [];
        top.par.branches.push(branch);
        top.list = branch;
        current = branch;
      } else {
        stack.pop();
        top.par.position = { start: top.par.position.start, end: l.point(l.end) };
        current = stack.length ? stack[stack.length - 1]!.list : root;
      }
    } else {
      if (stmt.type === 'segment' && ++segments > SEQUENCE_LIMITS.maxSegments) {
        throw new WiregramError({
          code: 'too-many-segments',
          reason: `more than ${SEQUENCE_LIMITS.maxSegments} segments in one diagram`,
          position: stmt.position,
          expected: `at most ${SEQUENCE_LIMITS.maxSegments} segments`,
          hint: 'draw the interesting part, or split the diagram',
        });
      }
      current.push(stmt);
      if (stmt.type === 'par') {
        const branch: Statement[] = [];
        stmt.branches.push(branch);
        stack.push({ par: stmt, list: branch });
        current = branch;
      } else if (stmt.type === 'loop') {
        stack.push({ par: stmt, list: stmt.body });
        current = stmt.body;
      }
    }
    if (eol >= len) break;
  }
  const open = stack[0];
  if (open) {
    throw new WiregramError({
      code: 'unclosed-par',
      reason: `"${open.par.type}" is never closed`,
      position: open.par.position,
      expected: '"end" after the last branch',
      hint: 'add a line "end"',
    });
  }
  const endPoint = pointAt(source, len, lineNo);
  return { type: 'document', statements: root, position: { start: { line: 1, column: 1, offset: 0 }, end: endPoint } };
}

function pointAt(source: string, offset: number, line: number): Point {
  let lineStart = offset;
  while (lineStart > 0) {
    const c = source.charCodeAt(lineStart - 1);
    if (c === 10 || c === 13) break;
    lineStart--;
  }
  return { line, column: offset - lineStart + 1, offset };
}

function parseLine(l: Line, depth: number): Statement | 'and' | 'end' | null {
  l.skipSpaces();
  const start = l.i;
  // `== 数据传输 ==`
  if (l.s.startsWith('==', l.i)) {
    l.i += 2;
    let text = l.rest().text;
    while (text.endsWith('=')) text = text.slice(0, -1);
    text = text.trim();
    return { type: 'divider', text, participants: [], position: l.pos(start, l.end) };
  }
  let concurrent = false;
  if (l.code() === 38) {
    concurrent = true;
    l.i++;
    l.skipSpaces();
  }
  const first = l.ident();
  if (!first) {
    l.fail('unknown-statement', `cannot read "${l.s.slice(l.i, Math.min(l.end, l.i + 12))}"`, l.i, l.i + 1, 'a statement such as "client -> server: SYN"', 'see docs/language.md for every statement');
  }
  const afterFirst = l.i;
  const arrow = readArrow(l);
  if (arrow) return parseSegment(l, start, first, arrow, concurrent);
  l.i = afterFirst;
  if (concurrent) l.fail('syntax', '"&" starts a segment sent at the same time as the previous one', start, start + 1, '& client -> server: …', null);
  const kw = first.value.toLowerCase();
  const lp = (end = l.end) => l.pos(start, end);
  switch (kw) {
    case 'sequencediagram':
    case 'tcp_sequence':
      return null;
    case 'title': {
      l.colon();
      const r = l.rest();
      return { type: 'title', text: r.text, position: lp() };
    }
    case 'participant':
    case 'actor':
      return parseParticipant(l, start);
    case 'isn':
      return { type: 'isn', assignments: parseAssignments(l, 'isn'), position: lp() };
    case 'seq':
      return { type: 'seq', assignments: parseAssignments(l, 'seq'), position: lp() };
    case 'option':
    case 'options': {
      const entry = (): OptionEntry => {
        const ks = l.i;
        const key = l.ident();
        if (!key) l.fail('syntax', 'expected an option name', ks, ks + 1, 'option key=value, e.g. option labels=flags', null);
        let value: string;
        if (l.code() === 61) {
          l.i++;
          const q = l.quoted();
          value = q ? q.value : bareValue(l);
        } else {
          // `option labels flags`
          l.skipSpaces();
          value = bareValue(l);
          if (value === '') value = 'true';
        }
        return { type: 'option-entry', key: key.value, value, position: l.pos(ks, l.i) };
      };
      const entries = commaList(l, entry, 'option needs key=value', start, 'option labels=flags');
      return { type: 'option', entries, position: lp() };
    }
    case 'state': {
      const assignment = (): StateAssignment => {
        const as = l.i;
        const p = l.ident();
        if (!p || !l.eat('=')) l.fail('syntax', 'expected participant=STATE', as, Math.max(as + 1, l.i), 'state client=ESTABLISHED server=ESTABLISHED', null);
        l.skipSpaces();
        const w = l.ident();
        if (!w) l.fail('syntax', 'expected a TCP state', l.i, l.i + 1, TCP_STATES.join(', '), null);
        return { type: 'state-assignment', participant: p, state: parseState(w), position: l.pos(as, l.i) };
      };
      const assignments = commaList(l, assignment, 'state needs participant=STATE', start, 'state client=ESTABLISHED');
      return { type: 'state', assignments, position: lp() };
    }
    case 'listen': {
      const participant = (): Word => l.ident() ?? l.fail('syntax', 'expected a participant', l.i, l.i + 1, 'listen server', null);
      const participants = commaList(l, participant, 'listen needs a participant', start, 'listen server');
      return { type: 'listen', participants, position: lp() };
    }
    case 'crash':
    case 'reboot': {
      const participant = (): Word => l.ident() ?? l.fail('syntax', 'expected a participant', l.i, l.i + 1, 'crash client', null);
      const participants = commaList(l, participant, `${kw} needs the participant that loses its connections`, start, 'crash client');
      return { type: 'crash', participants, position: lp() };
    }
    case 'note':
      return parseNote(l, start);
    case 'divider': {
      l.colon();
      const r = l.rest();
      return { type: 'divider', text: r.text, participants: [], position: lp() };
    }
    case 'timeout': {
      l.skipSpaces();
      const p = l.ident();
      if (!p) l.fail('syntax', 'timeout needs the participant whose timer fires', l.i, l.i + 1, 'timeout server', null);
      l.colon();
      const r = l.rest();
      return { type: 'timeout', participant: p, label: r.text || null, position: lp() };
    }
    case 'wait':
    case 'delay':
    case 'after': {
      l.skipSpaces();
      const ns = l.i;
      const expected = 'a time such as 2, 2MSL, RTO, 7200s or 200ms';
      let amount = 1;
      let numText = '';
      if (isDigit(l.code()) || l.code() === 46) {
        // Not parseDecimal: a unit such as `s` or `h` may follow the digits directly (`7200s`).
        numText = scanDecimal(l, 'expected a number here', expected);
        amount = decimalAtMost(l, numText, ns, SEQUENCE_LIMITS.maxTime, expected);
      }
      const numEnd = l.i;
      l.skipSpaces(); // `wait 200 ms` as well as `wait 200ms`
      const us = l.i;
      const unitWord = l.ident();
      let unit: WaitStatement['unit'] = 'trip';
      let label: string | undefined;
      if (unitWord) {
        const u = unitWord.value.toLowerCase();
        const real = REAL_TIME_UNITS[u];
        if (u === 'msl') unit = 'msl';
        else if (u === 'rto') unit = 'rto';
        else if (real !== undefined) {
          if (ns === us) l.fail('syntax', `${first.value} ${unitWord.value} needs a number`, us, l.i, 'e.g. wait 7200s or wait 200ms', null);
          unit = 'seconds';
          label = `${numText} ${real.name}`;
          amount *= real.seconds;
          if (amount > SEQUENCE_LIMITS.maxTime) l.fail('number-too-large', `${numText}${unitWord.value} is too long`, ns, l.i, `at most ${SEQUENCE_LIMITS.maxTime} seconds`, null);
        } else if (u !== 'rtt' && u !== 'trip' && u !== 'trips') {
          // Glued to the digits (`2xyz`) it reads as a broken number; after a space, as a wrong unit word.
          if (numText !== '' && us === numEnd && !/^(msl|rto|rtt)/i.test(u)) {
            l.fail('malformed-number', `"${l.s.slice(ns, l.i)}" is not a time`, ns, l.i, expected, 'write trips (2), 2MSL, RTO, or seconds: 7200s, 200ms');
          }
          l.fail('syntax', `unknown time unit "${unitWord.value}"`, us, l.i, 'a number, 2MSL, MSL, RTO, or seconds (s, ms, min, h)', null);
        } else if (u === 'rtt') amount *= 2;
      } else if (ns === us) {
        l.fail('syntax', `${first.value} needs a time`, start, l.end, 'wait 2, wait 2MSL, wait RTO or wait 7200s', null);
      }
      if (!l.atEnd()) l.fail('syntax', `unexpected "${l.s.slice(l.i, l.end)}"`, l.i, l.end, 'wait 2, wait 2MSL, wait RTO or wait 7200s', null);
      return label === undefined ? { type: 'wait', amount, unit, position: lp() } : { type: 'wait', amount, unit, label, position: lp() };
    }
    case 'header': {
      l.skipSpaces();
      let segment: number | null = null;
      if (l.code() === 35) l.i++;
      if (isDigit(l.code())) segment = parseUint(l, SEQUENCE_LIMITS.maxSegments, 'a segment number (1 = the first segment)');
      else {
        const w = l.ident();
        if (w && w.value.toLowerCase() !== 'last') l.fail('syntax', `header expects a segment number, not "${w.value}"`, w.position.start.column - 1, l.i, 'header, header 3 or header last', null);
      }
      if (segment === 0) l.fail('syntax', 'segments are numbered from 1', start, l.end, 'header 1 for the first segment', null);
      if (!l.atEnd()) l.fail('syntax', `unexpected "${l.s.slice(l.i, l.end)}"`, l.i, l.end, 'header, header 3 or header last', null);
      return { type: 'header', segment, position: lp() };
    }
    case 'capture': {
      l.skipSpaces();
      let path = l.quoted();
      if (!path) {
        const ps = l.i;
        while (l.i < l.end && !isSpace(l.code())) l.i++;
        if (l.i === ps) l.fail('syntax', 'capture needs a file', start, l.end, 'capture ./trace.pcap stream 0', null);
        path = { type: 'word', value: l.s.slice(ps, l.i), position: l.pos(ps, l.i) };
      }
      let stream = 0;
      let selector: Word | undefined;
      l.skipSpaces();
      const ws = l.i;
      const w = l.ident();
      if (w) {
        if (w.value.toLowerCase() !== 'stream') l.fail('syntax', `expected "stream", not "${w.value}"`, ws, l.i, 'capture ./trace.pcap stream 0', null);
        l.skipSpaces();
        // A number, or endpoints (`127.0.0.1:50762,127.0.0.1:18080`): the grammar `wiregram import --stream` reads.
        const ss = l.i;
        while (l.i < l.end && !isSpace(l.code())) l.i++;
        if (l.i === ss || /^\d+$/.test(l.s.slice(ss, l.i))) {
          l.i = ss;
          stream = parseUint(l, 1_000_000, 'a stream number (tcp.stream in Wireshark)');
        } else {
          // Read by the compile entry with the capture package's grammar: the parser knows no capture code.
          selector = { type: 'word', value: l.s.slice(ss, l.i), position: l.pos(ss, l.i) };
        }
      }
      if (!l.atEnd()) l.fail('syntax', `unexpected "${l.s.slice(l.i, l.end)}"`, l.i, l.end, 'capture ./trace.pcap stream 0', null);
      return selector ? { type: 'capture', path, stream, selector, position: lp() } : { type: 'capture', path, stream, position: lp() };
    }
    case 'par': {
      if (depth >= SEQUENCE_LIMITS.maxNesting) l.fail('too-deep', `par blocks nest at most ${SEQUENCE_LIMITS.maxNesting} deep`, start, l.end, `at most ${SEQUENCE_LIMITS.maxNesting} nested par blocks`, 'flatten the branches: a par may have many "and" branches');
      const r = l.rest();
      return { type: 'par', label: r.text || null, branches: [], position: lp() };
    }
    case 'loop': {
      if (depth >= SEQUENCE_LIMITS.maxNesting) l.fail('too-deep', `blocks nest at most ${SEQUENCE_LIMITS.maxNesting} deep`, start, l.end, `at most ${SEQUENCE_LIMITS.maxNesting} nested blocks`, 'flatten the blocks');
      l.skipSpaces();
      let count = 1;
      if (isDigit(l.code())) count = parseUint(l, SEQUENCE_LIMITS.maxSegments, `a repeat count from 1 to ${SEQUENCE_LIMITS.maxSegments}`);
      if (count === 0) l.fail('syntax', 'a loop runs at least once', start, l.end, 'loop 1 or more', null);
      const r = l.rest();
      return { type: 'loop', count, label: r.text || null, body: [], position: lp() };
    }
    case 'and':
      return 'and';
    case 'end':
      if (!l.atEnd()) l.fail('syntax', `unexpected "${l.s.slice(l.i, l.end)}" after end`, l.i, l.end, 'end', null);
      return 'end';
    case 'autonumber':
      return { type: 'autonumber', position: lp() };
    default: {
      l.skipSpaces();
      if (l.colon()) {
        l.fail('syntax', `"${first.value}" is not followed by an arrow`, start, afterFirst, `${first.value} -> other: SYN`, 'write an arrow such as -> between the two participants');
      }
      const s = suggest(first.value, KEYWORDS);
      l.fail(
        'unknown-statement',
        `unknown statement "${first.value}"`,
        start,
        afterFirst,
        `a segment (client -> server: SYN) or one of ${KEYWORDS.join(', ')}`,
        s ? `did you mean "${s}"?` : 'see docs/language.md for every statement',
      );
    }
  }
}

function parseParticipant(l: Line, start: number): Statement {
  l.skipSpaces();
  const id = l.ident();
  if (!id) l.fail('syntax', 'participant needs a name', l.i, l.i + 1, 'participant client as 客户端', null);
  let label: string | null = null;
  let address: string | null = null;
  let port: number | null = null;
  let spoofed = false;
  let backlog: number | null = null;
  let window: number | null = null;
  let listen = false;
  l.skipSpaces();
  const save = l.i;
  const asWord = l.ident();
  if (asWord && asWord.value.toLowerCase() === 'as') {
    l.skipSpaces();
    const q = l.quoted();
    if (q) label = q.value;
    else {
      // Unquoted alias: words up to the first keyword (at, port=, spoofed, …).
      const ls = l.i;
      let le = ls;
      while (l.i < l.end) {
        l.skipSpaces();
        const ws = l.i;
        while (l.i < l.end && !isSpace(l.code())) l.i++;
        const w = l.s.slice(ws, l.i);
        const lw = w.toLowerCase();
        if (ws === l.i || lw === 'at' || lw === 'spoofed' || lw === 'listen' || w.includes('=')) {
          l.i = ws;
          break;
        }
        le = l.i;
      }
      label = l.s.slice(ls, le);
      l.i = le;
      if (!label) l.fail('syntax', 'expected a display name after "as"', ls, ls + 1, 'participant client as 客户端', null);
    }
  } else l.i = save;
  while (!l.atEnd()) {
    const ws = l.i;
    const w = l.ident();
    if (!w) l.fail('syntax', `unexpected "${l.s[l.i]}" in participant`, l.i, l.i + 1, 'as NAME, at ADDRESS:PORT, port=N, listen, spoofed, backlog=N, win=N', null);
    const k = w.value.toLowerCase();
    if (k === 'at') {
      l.skipSpaces();
      const as = l.i;
      while (l.i < l.end && !isSpace(l.code())) l.i++;
      const text = l.s.slice(as, l.i);
      // `10.0.0.1:80`, `[::1]:80`, `host` or `:80`
      const colon = text.lastIndexOf(':');
      const bracketed = text.startsWith('[');
      if (colon >= 0 && (!text.includes('::') || bracketed) && (!bracketed || text.charAt(colon - 1) === ']')) {
        address = text.slice(0, colon).replace(/^\[|\]$/g, '') || null;
        const pl = new Line(text, l.line, l.base + as, text.length);
        pl.i = colon + 1;
        port = parseUint(pl, 65535, 'a port 0 … 65535');
      } else address = text || null;
      if (!text) l.fail('syntax', 'expected an address after "at"', as, as + 1, 'at 10.0.0.1:54321', null);
      const problem = address === null ? null : addressProblem(address);
      if (problem) l.fail('bad-address', problem, as, as + (text.startsWith('[') ? text.indexOf(']') + 1 : address!.length), 'an IPv4 address, [IPv6] or a host name, e.g. at 10.0.0.1:80', 'give the participant a name with `as`, and its address with `at`');
    } else if (k === 'spoofed') spoofed = true;
    else if (k === 'listen') listen = true;
    else if ((k === 'port' || k === 'backlog' || k === 'win' || k === 'window') && l.eat('=')) {
      l.skipSpaces();
      const n = parseUint(l, k === 'port' ? 65535 : k === 'backlog' ? 1000 : 0x3fffffff, `${k}=<number>`);
      if (k === 'port') port = n;
      else if (k === 'backlog') backlog = n;
      else window = n;
    } else l.fail('syntax', `unknown participant setting "${w.value}"`, ws, l.i, 'as NAME, at ADDRESS:PORT, port=N, listen, spoofed, backlog=N, win=N', null);
  }
  return { type: 'participant', id, label, address, port, spoofed, backlog, window, listen, position: l.pos(start, l.end) };
}

function parseNote(l: Line, start: number): Statement {
  l.skipSpaces();
  const ws = l.i;
  const w = l.ident();
  let placement: 'over' | 'left' | 'right';
  const k = w?.value.toLowerCase();
  if (k === 'over') placement = 'over';
  else if (k === 'left' || k === 'right') {
    placement = k;
    l.skipSpaces();
    const of = l.ident();
    if (!of || of.value.toLowerCase() !== 'of') l.fail('syntax', `expected "of" after "${k}"`, l.i, l.i + 1, `note ${k} of client: text`, null);
  } else {
    l.fail('syntax', 'expected over, left of or right of', ws, Math.max(ws + 1, l.i), 'note over client: text, note left of client: text, note over client,server: text', null);
  }
  const participants: Word[] = [];
  while (true) {
    l.skipSpaces();
    const p = l.ident();
    if (!p) l.fail('syntax', 'expected a participant', l.i, l.i + 1, 'note over client: text', null);
    participants.push(p);
    if (!l.eat(',')) break;
  }
  if (participants.length > 2) l.fail('syntax', 'a note spans at most two participants', start, l.i, 'note over client,server: text', null);
  if (placement !== 'over' && participants.length > 1) l.fail('syntax', `note ${placement} of takes one participant`, start, l.i, `note ${placement} of client: text`, null);
  if (!l.colon()) l.fail('syntax', 'expected ":" before the note text', l.i, l.i + 1, 'note over client: text', null);
  const r = l.rest();
  return { type: 'note', placement, participants, text: noteLines(r.text, !r.quoted), position: l.pos(start, l.end) };
}

/**
 * Multi-line note text: Mermaid's `<br>` (`<br/>`, `<br />`, any case) and, outside quotes, `\n` break the line
 * (`\\` is a backslash). Each line is trimmed. One pass, no regular expressions.
 */
function noteLines(text: string, unquoted: boolean): string {
  let out = '';
  let broke = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (unquoted && c === 92 && i + 1 < text.length) {
      const n = text.charCodeAt(i + 1);
      if (n === 110) {
        out += '\n';
        broke = true;
        i++;
        continue;
      }
      if (n === 92) {
        out += '\\';
        i++;
        continue;
      }
    }
    if (c === 60 && (text.charCodeAt(i + 1) | 32) === 98 && (text.charCodeAt(i + 2) | 32) === 114) {
      let j = i + 3;
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 47) j++;
      if (text.charCodeAt(j) === 62) {
        out += '\n';
        broke = true;
        i = j;
        continue;
      }
    }
    out += text[i];
  }
  if (!broke && !out.includes('\n')) return out;
  return out
    .split('\n')
    .map((line) => line.trim())
    .join('\n');
}

function parseSegment(l: Line, start: number, from: Word, arrow: ArrowKind, concurrent: boolean): Statement {
  l.skipSpaces();
  const to = l.ident();
  if (!to) l.fail('syntax', 'expected the receiving participant after the arrow', l.i, l.i + 1, `${from.value} ${arrow} server: SYN`, null);
  if (arrow === '<->') {
    if (!l.colon()) l.fail('syntax', 'expected ":" and the text of the exchange', l.i, l.i + 1, `${from.value} <-> ${to.value}: 数据传输`, null);
    const r = l.rest();
    return { type: 'divider', text: r.text, participants: [from, to], position: l.pos(start, l.end) };
  }
  if (!l.colon()) {
    l.fail('syntax', 'expected ":" and the segment\'s flags', l.i, l.i + 1, `${from.value} ${arrow} ${to.value}: SYN`, 'write the flags after a colon, e.g. ": SYN, ACK"');
  }
  const seg: SegmentStatement = {
    type: 'segment',
    from,
    to,
    arrow,
    concurrent,
    flags: [],
    attributes: [],
    payload: null,
    position: l.pos(start, l.end),
  };
  parseSegmentSpec(l, seg);
  if (arrow.endsWith('x') && !seg.attributes.some((a) => a.key === 'lost')) {
    seg.attributes.push({ type: 'attribute', key: 'lost', value: null, position: l.pos(start, start) });
  }
  const hasFlag = seg.flags.length > 0;
  const keepalive = seg.attributes.some((a) => a.key === 'keepalive');
  if (!hasFlag && !keepalive) {
    l.fail('missing-flags', 'a segment needs at least one flag', start, l.end, 'SYN, ACK, FIN, RST or PSH (e.g. "client -> server: ACK")', 'a pure acknowledgement is written ACK; data is PSH, ACK len=100');
  }
  return seg;
}

