/**
 * Highlighting and completion for the two languages, as CodeMirror StreamLanguages: the grammars are
 * line-oriented (one statement a line, a keyword or a segment first), so a line tokenizer is all they need.
 * The word lists mirror the core parsers' (packages/core/src/sequence/parser.ts, header/parse.ts).
 */
import { StreamLanguage, type StreamParser, type StringStream } from '@codemirror/language';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';

export const SEQUENCE_KEYWORDS = ['title', 'participant', 'actor', 'isn', 'seq', 'option', 'state', 'listen', 'note', 'divider', 'timeout', 'wait', 'header', 'capture', 'par', 'loop', 'and', 'end', 'autonumber'];
export const FLAGS = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR', 'AE'];
export const BARE_WORDS = ['lost', 'stale', 'retransmit', 'keepalive', 'sack_perm', 'force'];
export const VALUE_KEYS = ['seq', 'ack', 'win', 'mss', 'ws', 'ts', 'len', 'delay', 't', 'note', 'hide'];
export const STATES = ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'];
export const OPTION_KEYS: Record<string, string[]> = {
  labels: ['textbook', 'flags', 'wireshark'],
  states: ['underscore', 'hyphen'],
  numbering: ['absolute', 'relative'],
  layout: ['states', 'lifeline', 'flow', 'stevens', 'tcptrace', 'throughput', 'rtt', 'window'],
  direction: ['reverse'],
  'rtt-axis': ['seq', 'time'],
  'pure-ack-seq': ['hide', 'show'],
  handshake: ['two-way', 'three-way'],
  msl: [],
  rto: [],
  rtt: [],
  win: [],
};
export const HEADER_KEYWORDS = ['title', 'bits', 'bitsPerRow', 'bitOrder', 'ruler', 'offsets', 'bytes', 'capture', 'color', 'accTitle', 'accDescr', 'packet', 'packet-beta'];
export const HEADER_BUILTINS = ['tcp', 'udp', 'ipv4', 'ipv6', 'icmp'];

const FLAG_SET = new Set(FLAGS.map((f) => f.toLowerCase()));
const STATE_SET = new Set(STATES.map((s) => s.toLowerCase().replace(/-/g, '_')));
const SEQ_KW = new Set(SEQUENCE_KEYWORDS);
const HDR_KW = new Set(HEADER_KEYWORDS.map((k) => k.toLowerCase()));
const HDR_BUILTIN = new Set(HEADER_BUILTINS);
const BARE = new Set(BARE_WORDS);
const ARROW = /^(<->|-->>|->>|--x|-->|--\)|->|-x|-\))/;
const WORD = /^[\p{L}\p{N}_.$]+(?:-[\p{L}\p{N}_.$]+)*/u;

interface LineState {
  /** Where on the line the tokenizer is: the first word decides what the rest is. */
  part: 'start' | 'keyword' | 'segment-head' | 'segment-body' | 'text';
}

/** `%%` anywhere, `#` at the start or after a space: the comment rule of docs/language.md. */
function comment(stream: StringStream): boolean {
  if (stream.match('%%') || (stream.peek() === '#' && (stream.pos === 0 || /\s/.test(stream.string.charAt(stream.pos - 1))))) {
    stream.skipToEnd();
    return true;
  }
  return false;
}

/** What both languages share: a fresh state each line, spaces, comments, free text and quoted strings. */
function lineParser(name: string, rest: (stream: StringStream, state: LineState) => string | null): StreamParser<LineState> {
  return {
    name,
    startState: () => ({ part: 'start' }),
    copyState: (s) => ({ ...s }),
    token(stream, state) {
      if (stream.sol()) state.part = 'start';
      if (stream.eatSpace()) return null;
      if (comment(stream)) return 'comment';
      if (state.part === 'text') {
        stream.skipToEnd();
        return 'string';
      }
      if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
      return rest(stream, state);
    },
    languageData: { commentTokens: { line: '%%' } },
  };
}

const sequenceParser = lineParser('tcp-sequence', (stream, state) => {
  if (state.part === 'start' && stream.match(/^==.*?(==|$)/)) return 'heading';
  const arrow = stream.match(ARROW);
  if (arrow) {
    state.part = 'segment-head';
    return 'operator';
  }
  if (stream.match(/^[:：]/)) {
    if (state.part === 'segment-head') state.part = 'segment-body';
    return 'punctuation';
  }
  if (stream.match(/^[,，&=+]/)) return 'punctuation';
  if (stream.match(/^(0x[0-9a-f]+|\d+(\.\d+)?)\b/i)) return 'number';
  const m = stream.match(WORD) as RegExpMatchArray | null;
  if (!m) {
    stream.next();
    return null;
  }
  const word = m[0];
  const lower = word.toLowerCase();
  if (state.part === 'start') {
    if (SEQ_KW.has(lower) && !stream.match(/^\s*(<->|-->>|->>|--x|-->|--\)|->|-x|-\))/, false)) {
      state.part = lower === 'title' || lower === 'divider' ? 'text' : 'keyword';
      return 'keyword';
    }
    state.part = 'segment-head';
    return 'variableName';
  }
  if (stream.peek() === '=') return 'propertyName';
  if (FLAG_SET.has(lower) && word === word.toUpperCase()) return 'typeName';
  if (STATE_SET.has(lower.replace(/-/g, '_'))) return 'atom';
  if (BARE.has(lower)) return 'modifier';
  if (lower === 'as' || lower === 'over' || lower === 'left' || lower === 'right' || lower === 'of') return 'keyword';
  if (state.part === 'segment-head') return 'variableName';
  return state.part === 'keyword' ? 'variableName' : null;
});

const headerParser = lineParser('packet-header', (stream, state) => {
  if (state.part === 'start' && stream.match(/^(\d+\s*-\s*\d+|\+\s*(\d+|var)|\d+)(?=\s*:)/)) {
    state.part = 'segment-head';
    return 'number';
  }
  if (stream.match(/^[:：]/)) {
    if (state.part === 'segment-head') state.part = 'text';
    return 'punctuation';
  }
  if (stream.match(/^[0-9a-f]+\b/i) && state.part === 'keyword') return 'number';
  if (stream.match(/^\d+\b/)) return 'number';
  const m = stream.match(/^[\p{L}\p{N}_.$-]+/u) as RegExpMatchArray | null;
  if (!m) {
    stream.next();
    return null;
  }
  const lower = m[0].toLowerCase();
  if (state.part === 'start') {
    if (HDR_KW.has(lower)) {
      state.part = lower === 'title' || lower === 'acctitle' || lower === 'accdescr' ? 'text' : 'keyword';
      return 'keyword';
    }
    if (HDR_BUILTIN.has(lower)) return 'typeName';
  }
  return null;
});

export const sequenceLanguage = StreamLanguage.define(sequenceParser);
export const headerLanguage = StreamLanguage.define(headerParser);

/** Participant names a tcp-sequence text declares or uses (first word of segment lines, `participant X`). */
export function participantsOf(text: string): string[] {
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)(#|%%).*$/, '');
    let m = /^\s*(?:participant|actor)\s+([^\s:]+)/i.exec(line);
    if (m) names.add(m[1]!);
    m = /^\s*([\p{L}\p{N}_.$]+(?:-[\p{L}\p{N}_.$]+)*)\s*(?:<->|-->>|->>|--x|-->|--\)|->|-x|-\))\s*([\p{L}\p{N}_.$]+(?:-[\p{L}\p{N}_.$]+)*)/u.exec(line);
    if (m) {
      names.add(m[1]!);
      names.add(m[2]!);
    }
  }
  return [...names];
}

const kw = (words: string[], detail: string): Completion[] => words.map((label) => ({ label, type: 'keyword', detail }));

/** Completion: keywords at the start of a line, participants, flags and key= words after a colon, option values. */
export function sequenceCompletions(context: CompletionContext): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const word = context.matchBefore(/[\p{L}\p{N}_.$-]*/u);
  if (!word || (word.from === word.to && !context.explicit && !/[\s:=,]$/.test(before))) return null;
  const head = before.slice(0, word.from - line.from);
  // Names from the other lines: the one being typed would offer its own half-written word.
  const doc = context.state.doc;
  const participants = participantsOf(doc.sliceString(0, line.from) + doc.sliceString(line.to)).map((label): Completion => ({ label, type: 'variable', detail: 'participant' }));
  const opt = /^\s*options?\s+(?:.*\s)?([\w-]+)=$/.exec(head);
  if (opt) {
    const values = OPTION_KEYS[opt[1]!] ?? [];
    return { from: word.from, options: values.map((label) => ({ label, type: 'enum' })) };
  }
  if (/^\s*options?\s/i.test(head)) return { from: word.from, options: Object.keys(OPTION_KEYS).map((k) => ({ label: `${k}=`, type: 'property' })) };
  if (/^\s*state\s/i.test(head)) {
    if (/=$/.test(head)) return { from: word.from, options: STATES.map((label) => ({ label, type: 'constant' })) };
    return { from: word.from, options: participants };
  }
  if (/^\s*(isn|seq|listen|note\s+(over|left\s+of|right\s+of))\s/i.test(head)) return { from: word.from, options: participants };
  if (/^\s*$/.test(head)) return { from: word.from, options: [...kw(SEQUENCE_KEYWORDS, 'statement'), ...participants] };
  if (/(<->|-->>|->>|--x|-->|--\)|->|-x|-\))\s*$/.test(head)) return { from: word.from, options: participants };
  if (/[:：]/.test(head)) {
    return {
      from: word.from,
      options: [
        ...FLAGS.map((label): Completion => ({ label, type: 'constant', detail: 'flag' })),
        ...VALUE_KEYS.map((k): Completion => ({ label: `${k}=`, type: 'property' })),
        ...BARE_WORDS.map((label): Completion => ({ label, type: 'keyword' })),
      ],
    };
  }
  return { from: word.from, options: participants };
}

export function headerCompletions(context: CompletionContext): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const word = context.matchBefore(/[\p{L}\p{N}_.$-]*/u);
  if (!word) return null;
  const head = line.text.slice(0, word.from - line.from);
  if (!/^\s*$/.test(head)) return null;
  if (word.from === word.to && !context.explicit) return null;
  return { from: word.from, options: [...kw(HEADER_KEYWORDS, 'statement'), ...HEADER_BUILTINS.map((label): Completion => ({ label, type: 'type', detail: 'built-in layout' }))] };
}
