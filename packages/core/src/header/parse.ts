/**
 * The `packet-header` language → HeaderModel. One statement per line:
 *
 *   tcp | udp | ipv4 | ipv6 | icmp | … | ipv4 + tcp     a built-in layout (or a stack of them)
 *   0-15: Source port  |  +16: Window  |  +var: Options  a custom field (bit range, length, variable length)
 *   title …  bits 32  ruler  offsets  bytes 1f90 d431 …  color SYN #ffcc00
 *
 * and Mermaid's `packet` / `packet-beta` source as it is (front matter, `%%{init}%%`, `%%` comments, quoted
 * labels, `title`, `accTitle`, `accDescr`, `bitsPerRow`). Every error is a WiregramError with a position.
 */
import { LineCounter, parseDocument } from 'yaml';
import { diagnostic, WiregramError, type Diagnostic, type Point, type Position } from '../errors.js';
import { normalizeColor } from './colors.js';
import { readCapture } from '../capture/index.js';
import { placeWarnings } from '../capture/reader.js';
import { decodeHeader, decodePacket, mergeLayers, MAX_DECODE_BYTES, readBits } from './decode.js';
import type { HeaderField, HeaderModel } from './model.js';
import { BUILTIN_HEADERS, builtinHeader, headerModel, resolveBuiltin } from './tables.js';
import { requireBuiltin } from './tables.js';
import { clip, plural, suggest } from './util.js';

export const HEADER_LIMITS = Object.freeze({
  /** Characters in one `packet-header` block. */
  maxSourceLength: 200_000,
  /** Fields in one layout. */
  maxFields: 1_024,
  /** Bits in the fixed part of one layout (8 KiB). */
  maxBits: 65_536,
  /** Bytes in `bytes …`. */
  maxBytes: MAX_DECODE_BYTES,
  /** Bits per row. */
  maxRowBits: 256,
  /** Characters in one field name or title. */
  maxLabel: 200,
  /** Layers in `ipv4 + tcp`. */
  maxLayers: 4,
});

export interface ParsePacketHeaderOptions {
  /** Bits per row when the source does not say (32). */
  rowBits?: number;
  /**
   * Reads the file a `capture ./x.pcap frame 3` statement names, as `compileSequence`'s option of the same name
   * does: the host resolves the path (relative to the Markdown file, refused outside the project root).
   */
  readFile?: (path: string, position: Position) => Uint8Array;
}

const KEYWORDS = ['title', 'bits', 'bitsPerRow', 'bitOrder', 'ruler', 'offsets', 'bytes', 'capture', 'color', 'accTitle', 'accDescr', 'packet', 'packet-beta'];

interface Line {
  text: string;
  line: number;
  start: number;
}

const KNOWN_SHORT = new Map<string, string>();
for (const b of Object.values(BUILTIN_HEADERS)) {
  for (const f of b.fields) if (f.short && !KNOWN_SHORT.has(f.name.toLowerCase())) KNOWN_SHORT.set(f.name.toLowerCase(), f.short);
}
KNOWN_SHORT.set('window size', 'Window');
KNOWN_SHORT.set('acknowledgement number', 'Ack');
KNOWN_SHORT.set('data offset', 'DOff');

function point(l: Line, column: number): Point {
  return { line: l.line, column, offset: l.start + column - 1 };
}

function pos(l: Line, from: number, to: number): Position {
  return { start: point(l, from + 1), end: point(l, Math.max(from + 1, to + 1)) };
}

function fail(code: string, reason: string, position: Position | null, expected: string | null, hint: string | null): never {
  throw new WiregramError({ code, reason, position, expected, hint });
}

/** Cut a `%%` or ` # ` comment, respecting quotes; `#ffcc00` (no space after `#`) is not a comment. */
function stripComment(text: string): string {
  if (text.indexOf('#') < 0 && text.indexOf('%') < 0) return text;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '%' && text[i + 1] === '%' && text[i + 2] !== '{') return text.slice(0, i);
    else if (c === '#') {
      const before = i === 0 || /\s/.test(text[i - 1] ?? '');
      const after = i + 1 >= text.length || /[\s#]/.test(text[i + 1] ?? '');
      if (before && after) return text.slice(0, i);
    }
  }
  return text;
}

function splitLines(source: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  let n = 1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) {
    out.push({ text: source.slice(start, m.index), line: n++, start });
    start = m.index + m[0].length;
  }
  out.push({ text: source.slice(start), line: n, start });
  return out;
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

function parseInteger(text: string, l: Line, col: number, what: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(text)) {
    fail('header-bad-number', `${what} \`${clip(text)}\` is not a whole number`, pos(l, col, col + text.length), `a whole number from ${min} to ${max}`, null);
  }
  const n = Number(text);
  if (n < min || n > max) {
    fail('header-number-out-of-range', `${what} ${n} is out of range`, pos(l, col, col + text.length), `a whole number from ${min} to ${max}`, null);
  }
  return n;
}

function inferKind(name: string, bits: number | null): HeaderField['kind'] {
  const n = name.toLowerCase();
  // 填充 padding, 保留 reserved, 选项 options — escaped so the built code is ASCII (the CLI's bundle reads it as such).
  if (/padding|\u586b\u5145/.test(n)) return 'padding';
  if (/reserved|unused|rsvd|\u4fdd\u7559/.test(n)) return 'reserved';
  if (bits === null) {
    if (/option|\u9009\u9879/.test(n)) return 'options';
    return 'data';
  }
  if (/^options?\b|\u9009\u9879/.test(n)) return 'options';
  if (bits === 1) return 'flag';
  return 'field';
}

function autoShort(name: string, bits: number | null): string | null {
  const known = KNOWN_SHORT.get(name.toLowerCase());
  if (known) return known;
  if (bits === 1 && name.length <= 4) return name;
  return null;
}

interface Attrs {
  color: string | null;
  short: string | null;
  kind: HeaderField['kind'] | null;
}

const KINDS: readonly HeaderField['kind'][] = ['field', 'flag', 'reserved', 'options', 'data', 'padding'];

function badColor(value: string, l: Line, col: number): never {
  fail(
    'header-bad-color',
    `\`${clip(value)}\` is not a colour wiregram accepts`,
    pos(l, col, col + value.length),
    'a hex colour `#rgb` or `#rrggbb`, or a CSS colour name such as `orange`',
    'colours go into the SVG as they are, so nothing else (rgb(), url(), var()) is allowed',
  );
}

/** `{color: #fc0, short: SP, kind: flag}` → attributes; `col` is where `{` is. */
function parseAttrs(body: string, l: Line, col: number): Attrs {
  const attrs: Attrs = { color: null, short: null, kind: null };
  let offset = col + 1;
  for (const part of body.split(',')) {
    const here = offset + (part.length - part.trimStart().length);
    offset += part.length + 1;
    if (!part.trim()) continue;
    // Trim first: a lazy `(.*?)\s*$` would backtrack quadratically over long runs of spaces.
    const m = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(part.trim());
    if (!m) fail('header-bad-attribute', `\`${clip(part.trim())}\` is not \`key: value\``, pos(l, here, here + part.trim().length), '`color: …`, `short: …` or `kind: …`', 'e.g. `0-15: Source port {color: #ffcc00, short: Src}`');
    const key = m[1]!.toLowerCase();
    const value = unquote(m[2]!);
    if (key === 'color' || key === 'colour' || key === 'fill') {
      attrs.color = normalizeColor(value) ?? badColor(value, l, here);
    } else if (key === 'short') {
      if (!value || value.length > 40) fail('header-bad-attribute', 'a short name must be 1 to 40 characters', pos(l, here, here + part.trim().length), 'short: SYN', null);
      attrs.short = value;
    } else if (key === 'kind') {
      const k = KINDS.find((x) => x === value.toLowerCase());
      if (!k) fail('header-bad-attribute', `unknown field kind \`${clip(value)}\``, pos(l, here, here + part.trim().length), KINDS.join(', '), null);
      attrs.kind = k;
    } else {
      const guess = suggest(key, ['color', 'short', 'kind']);
      fail('header-bad-attribute', `unknown field attribute \`${clip(key)}\``, pos(l, here, here + key.length), '`color`, `short` or `kind`', guess ? `did you mean \`${guess}\`?` : null);
    }
  }
  return attrs;
}

/** The label part of a field line (after `:`): name, optional trailing `#colour`, optional `{…}`. */
function parseLabel(rest: string, l: Line, col: number): { name: string; attrs: Attrs } {
  let text = rest;
  let attrs: Attrs = { color: null, short: null, kind: null };
  let name: string;
  const lead = text.length - text.trimStart().length;
  text = text.trimStart();
  let at = col + lead;
  let tail: string;
  let tailCol: number;
  if (text[0] === '"' || text[0] === "'") {
    const q = text[0];
    let i = 1;
    let out = '';
    for (; i < text.length && text[i] !== q; i++) {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      out += text[i];
    }
    if (i >= text.length) fail('header-unclosed-string', 'the field name has no closing quote', pos(l, at, at + text.length), `a closing ${q}`, null);
    name = out;
    tail = text.slice(i + 1);
    tailCol = at + i + 1;
  } else {
    const brace = text.indexOf('{');
    name = (brace >= 0 ? text.slice(0, brace) : text).trimEnd();
    tail = brace >= 0 ? text.slice(brace) : '';
    tailCol = at + (brace >= 0 ? brace : text.length);
    // A trailing `#rgb` / `#rrggbb` is the colour; a near miss is an error rather than part of the name.
    const m = /\s(#[0-9A-Za-z]+)$/.exec(name);
    if (m) {
      const token = m[1]!;
      const c = normalizeColor(token);
      const tokenCol = at + m.index + 1;
      if (c) {
        attrs.color = c;
        name = name.slice(0, m.index).trimEnd();
      } else if (/^#[0-9a-fA-F]{4,5}$|^#[0-9a-fA-F]{7,8}$|^#[0-9a-fA-F]*[g-zG-Z][0-9a-zA-Z]{2,}$/.test(token) && token.length >= 4) {
        badColor(token, l, tokenCol);
      }
    }
  }
  const t = tail.trim();
  if (t) {
    const tcol = tailCol + (tail.length - tail.trimStart().length);
    if (t[0] === '{') {
      if (t[t.length - 1] !== '}') fail('header-bad-attribute', 'the attribute list has no closing `}`', pos(l, tcol, tcol + t.length), '`{color: #ffcc00}`', null);
      const a = parseAttrs(t.slice(1, -1), l, tcol);
      attrs = { color: a.color ?? attrs.color, short: a.short, kind: a.kind };
    } else if (normalizeColor(t)) {
      attrs.color = normalizeColor(t);
    } else if (t[0] === '#') {
      badColor(t, l, tcol);
    } else {
      fail('header-trailing-text', `unexpected \`${clip(t)}\` after the field name`, pos(l, tcol, tcol + t.length), 'a colour (`#ffcc00`) or attributes (`{color: red}`)', 'put the whole name inside the quotes');
    }
  }
  name = name.trim();
  at = col;
  if (!name) fail('header-empty-name', 'the field has no name', pos(l, col, col + rest.length), 'a name after the colon, e.g. `0-15: Source port`', null);
  if (name.length > HEADER_LIMITS.maxLabel) fail('header-name-too-long', `the field name is ${name.length} characters long`, pos(l, col, col + rest.length), `at most ${HEADER_LIMITS.maxLabel} characters`, 'use `{short: …}` for a short form and keep the name readable');
  return { name, attrs };
}

function parseHex(body: string, l: Line, col: number, out: number[]): void {
  let digits = '';
  let firstDigitCol = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === ' ' || c === '\t' || c === ':' || c === ',') continue;
    if ((c === 'x' || c === 'X') && body[i - 1] === '0' && digits.length % 2 === 1 && digits.endsWith('0') && (i < 2 || /[\s:,]/.test(body[i - 2] ?? ' '))) {
      digits = digits.slice(0, -1);
      continue;
    }
    if (!/[0-9a-fA-F]/.test(c)) {
      fail('header-bad-hex', `\`${c}\` is not a hex digit`, pos(l, col + i, col + i + 1), 'hex digits 0-9 a-f, with spaces between groups if you like', 'e.g. `bytes 1f90 d431 0000 0001`');
    }
    if (firstDigitCol < 0) firstDigitCol = col + i;
    digits += c;
    if (digits.length === 2) {
      out.push(parseInt(digits, 16));
      digits = '';
      if (out.length > HEADER_LIMITS.maxBytes) {
        fail('header-too-many-bytes', `more than ${HEADER_LIMITS.maxBytes} bytes`, pos(l, col + i, col + i + 1), `at most ${HEADER_LIMITS.maxBytes} bytes (one packet)`, 'decode one packet at a time');
      }
    }
  }
  if (digits.length === 1) {
    fail('header-bad-hex', 'an odd number of hex digits: the last byte has only one', pos(l, col + body.trimEnd().length - 1, col + body.trimEnd().length), 'two hex digits per byte', 'add the missing digit (`0` in front of a single digit)');
  }
  if (firstDigitCol < 0) fail('header-bad-hex', '`bytes` without any hex digits', pos(l, col - 6, col), 'hex digits, e.g. `bytes 1f90 d431`', null);
}

type BitOrder = 'ascending' | 'descending';

/** Mermaid's `bitOrder` values; anything else is an error that names them. */
function bitOrder(value: string, l: Line, col: number): BitOrder {
  const v = value.toLowerCase();
  if (v === 'ascending' || v === 'descending') return v;
  fail('header-bad-bit-order', `\`${clip(value)}\` is not a bit order`, pos(l, col, col + value.length), '`ascending` (bit 0 on the left, as RFCs draw) or `descending` (each row mirrored)', null);
}

/**
 * Mermaid's front matter, read by a real YAML parser (`yaml`): quoted titles decode their escapes
 * (`title: "say \\"hi\\""` → `say "hi"`), and a YAML error names its line and column in the block. `title` is
 * read at the top level; `bitsPerRow`, `showBits` and `bitOrder` under `config.packet` (Mermaid's place), `config`
 * or the top level.
 */
function parseFrontmatter(lines: Line[], startIndex: number, state: { title: string | null; rowBits: number | null; ruler: boolean; bitOrder: BitOrder | null; warnings: Diagnostic[] }): number {
  const open = lines[startIndex]!;
  let close = -1;
  for (let i = startIndex + 1; i < lines.length; i++) {
    if (lines[i]!.text.trim() === '---') {
      close = i;
      break;
    }
  }
  if (close < 0) fail('header-unclosed-frontmatter', 'the front matter that starts here has no closing `---`', pos(open, 0, open.text.length), 'a line with `---` after the front matter', null);
  const body = lines.slice(startIndex + 1, close);
  const counter = new LineCounter();
  // Aliases are capped (a "billion laughs" document expands exponentially); the block's size bounds the rest.
  const doc = parseDocument(body.map((l) => l.text).join('\n'), { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  /** A YAML offset (or offset range) → a position in the block. */
  const at = (from: number, to = from + 1): Position => {
    const a = counter.linePos(from);
    const b = counter.linePos(Math.max(from, to));
    const la = body[a.line - 1] ?? body[body.length - 1] ?? open;
    const lb = body[b.line - 1] ?? la;
    return { start: point(la, a.col), end: point(lb, b.col) };
  };
  const bad = doc.errors[0];
  if (bad) {
    fail('header-bad-frontmatter', `the front matter is not valid YAML: ${bad.message.split('\n')[0]}`, at(bad.pos[0], bad.pos[1]), 'YAML between the two `---` lines, e.g. `title: "TCP header"`', 'quote text that has a colon or starts with a special character');
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    fail('header-bad-frontmatter', `the front matter is not usable: ${e instanceof Error ? e.message : String(e)}`, pos(open, 0, open.text.length), 'plain keys and values, e.g. `title: "TCP header"`', 'leave out YAML aliases (`*name`)');
  }
  const node = (path: string[]): { value: unknown; position: Position } | null => {
    let value: unknown = data;
    for (const key of path) {
      if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, key)) return null;
      value = (value as Record<string, unknown>)[key];
    }
    const n = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const range = n && typeof n === 'object' && Array.isArray(n.range) ? n.range : [0, 0, 0];
    return { value, position: at(range[0]!, range[1]!) };
  };
  const setting = (name: string) => node(['config', 'packet', name]) ?? node(['config', name]) ?? node([name]);
  const title = node(['title']);
  if (title && title.value !== null) {
    if (typeof title.value === 'object') fail('header-bad-frontmatter', 'the title must be text', title.position, 'e.g. `title: "TCP header"`', null);
    state.title = String(title.value).slice(0, HEADER_LIMITS.maxLabel) || null;
  }
  const rows = setting('bitsPerRow');
  if (rows) {
    const v = rows.value;
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= HEADER_LIMITS.maxRowBits)) {
      fail('header-bad-number', `bitsPerRow \`${clip(String(v))}\` is not a whole number from 1 to ${HEADER_LIMITS.maxRowBits}`, rows.position, `a whole number from 1 to ${HEADER_LIMITS.maxRowBits}`, null);
    }
    state.rowBits = v as number;
  }
  const show = setting('showBits');
  if (show) {
    if (typeof show.value !== 'boolean') fail('header-bad-frontmatter', `showBits \`${clip(String(show.value))}\` is not true or false`, show.position, '`true` or `false`', null);
    state.ruler = show.value;
  }
  const order = setting('bitOrder');
  if (order) {
    const l = body[order.position.start.line - (body[0]?.line ?? 0)] ?? open;
    state.bitOrder = bitOrder(String(order.value), l, order.position.start.column - 1);
  }
  return close;
}

function applyDirective(text: string, l: Line, state: { rowBits: number | null; ruler: boolean; bitOrder: BitOrder | null }): void {
  const o = /bitOrder['"]?\s*:\s*['"]?([A-Za-z]+)/.exec(text);
  if (o) state.bitOrder = bitOrder(o[1]!, l, text.indexOf(o[1]!, o.index));
  const m = /bitsPerRow['"]?\s*:\s*['"]?(\d+)/.exec(text);
  if (m) state.rowBits = parseInteger(m[1]!, l, text.indexOf(m[1]!), 'bitsPerRow', 1, HEADER_LIMITS.maxRowBits);
  const s = /showBits['"]?\s*:\s*(true|false)/.exec(text);
  if (s) state.ruler = s[1] === 'true';
}

/** Parse a `packet-header` block (or a Mermaid `packet` block) into a HeaderModel. */
export function parsePacketHeader(source: string, options: ParsePacketHeaderOptions = {}): HeaderModel {
  if (typeof source !== 'string') fail('header-bad-source', 'the source must be a string', null, 'text', null);
  if (source.length > HEADER_LIMITS.maxSourceLength) {
    fail('header-too-long', `the block is ${source.length} characters long`, { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }, `at most ${HEADER_LIMITS.maxSourceLength} characters`, 'split it into several diagrams');
  }
  if (options.rowBits !== undefined && !(Number.isInteger(options.rowBits) && options.rowBits >= 1 && options.rowBits <= HEADER_LIMITS.maxRowBits)) {
    fail('header-bad-option', `rowBits ${String(options.rowBits)} is out of range`, null, `a whole number from 1 to ${HEADER_LIMITS.maxRowBits}`, null);
  }
  const lines = splitLines(source);
  const warnings: Diagnostic[] = [];
  const state = { title: null as string | null, rowBits: null as number | null, ruler: false, bitOrder: null as BitOrder | null, warnings };
  let offsets = false;
  let description: string | null = null;
  let layers: Array<{ name: string; position: Position }> | null = null;
  const pending: HeaderField[] = [];
  const colors: Array<{ target: string; color: string; position: Position }> = [];
  const bytes: number[] = [];
  let bytesPosition: Position | null = null;
  let frame: { path: string; number: number; position: Position } | null = null;
  let cursor = 0;
  let afterVariable = false;
  let sawHeaderLine = false;
  let sawStatement = false;
  let lastWasBytes = false;
  let firstPos: Position | null = null;

  let i = 0;
  // Mermaid front matter must be the very first thing.
  while (i < lines.length && !lines[i]!.text.trim()) i++;
  if (i < lines.length && lines[i]!.text.trim() === '---') i = parseFrontmatter(lines, i, state) + 1;

  for (; i < lines.length; i++) {
    const l = lines[i]!;
    const raw = l.text;
    if (/^\s*%%\{/.test(raw)) {
      applyDirective(raw, l, state);
      continue;
    }
    const text = stripComment(raw);
    const trimmed = text.trim();
    if (!trimmed) continue;
    const col = text.length - text.trimStart().length;
    const here = pos(l, col, col + trimmed.length);
    firstPos ??= here;
    const word = /^[^\s:]+/.exec(trimmed)?.[0] ?? '';
    const rest = trimmed.slice(word.length).trim();
    const restCol = col + word.length + (trimmed.slice(word.length).length - trimmed.slice(word.length).trimStart().length);

    // Mermaid's header line, optionally followed by a title on the same line.
    if ((word === 'packet-beta' || word === 'packet') && !sawStatement && !sawHeaderLine) {
      sawHeaderLine = true;
      const t = /^title\s+(.*)$/.exec(rest);
      if (t) state.title = unquote(t[1]!).slice(0, HEADER_LIMITS.maxLabel);
      else if (rest) fail('header-trailing-text', `unexpected \`${clip(rest)}\` after \`${word}\``, pos(l, restCol, restCol + rest.length), 'nothing, or `title …`', 'put the fields on their own lines');
      continue;
    }
    sawStatement = true;
    // A line of only hex right after `bytes` continues it (long dumps wrap).
    if (lastWasBytes && /^[0-9a-fA-F][0-9a-fA-F\s:,]*$/.test(trimmed)) {
      parseHex(text.slice(col), l, col, bytes);
      continue;
    }
    lastWasBytes = word === 'bytes';

    const field = /^(?:(\d+)(?:\s*-\s*(\d+))?|\+\s*(\d+|var|\*))\s*:/.exec(trimmed);
    if (field) {
      if (layers) fail('header-mixed', 'a built-in layout cannot take field lines', here, `either \`${layers[0]!.name}\` alone or a custom layout of field lines`, 'to colour a built-in field write `color <field> <colour>`, e.g. `color SYN #ffcc00`');
      if (pending.length >= HEADER_LIMITS.maxFields) fail('header-too-many-fields', `more than ${HEADER_LIMITS.maxFields} fields`, here, `at most ${HEADER_LIMITS.maxFields} fields`, 'split the layout into several diagrams');
      const labelCol = col + field[0].length;
      const { name, attrs } = parseLabel(trimmed.slice(field[0].length), l, labelCol);
      let start: number;
      let bits: number | null;
      if (field[3] !== undefined) {
        if (field[3] === 'var' || field[3] === '*') bits = null;
        else {
          bits = parseInteger(field[3], l, col + field[0].indexOf(field[3]), 'the field length', 1, HEADER_LIMITS.maxBits);
        }
        start = cursor;
      } else {
        if (afterVariable) fail('header-range-after-variable', 'a bit range cannot follow a variable-length field', pos(l, col, col + field[0].length - 1), 'a length such as `+16:` after `+var:`', 'bits after a variable-length field have no fixed position; give the length instead');
        start = parseInteger(field[1]!, l, col, 'the start bit', 0, HEADER_LIMITS.maxBits);
        const end = field[2] !== undefined ? parseInteger(field[2], l, col + field[0].indexOf(field[2], field[1]!.length), 'the end bit', 0, HEADER_LIMITS.maxBits) : start;
        if (end < start) fail('header-bad-range', `the range ${start}-${end} ends before it starts`, pos(l, col, col + field[0].length - 1), `an end bit ≥ ${start}`, `write \`${end}-${start}\`; bits count from 0 at the left`);
        bits = end - start + 1;
      }
      if (start < cursor) {
        const o = [...pending].reverse().find((p) => p.bits !== null && p.offset < cursor && p.offset + p.bits > start);
        fail(
          'header-overlap',
          `bits ${start}-${start + (bits ?? 1) - 1} overlap ${o ? `\`${clip(o.name)}\` (bits ${o.offset}-${o.offset + (o.bits ?? 1) - 1})` : 'the field before'}`,
          pos(l, col, col + field[0].length - 1),
          `a field starting at bit ${cursor}`,
          `start at ${cursor}, or write \`+${bits ?? 'var'}:\` to continue after the previous field`,
        );
      }
      if (start > cursor) {
        const gapPos = pos(l, col, col + field[0].length - 1);
        warnings.push(diagnostic({ code: 'header-gap', reason: `bits ${cursor}-${start - 1} are not part of any field; they are drawn as unused`, position: gapPos, expected: `a field starting at bit ${cursor}`, hint: `add \`${cursor}-${start - 1}: Reserved\` to name them` }));
        pending.push({ name: 'Unused', short: null, offset: cursor, bits: start - cursor, kind: 'padding', value: null, raw: null, color: null, wireshark: null, position: gapPos });
      }
      if (bits !== null && start + bits > HEADER_LIMITS.maxBits) fail('header-too-many-bits', `the layout grows past ${HEADER_LIMITS.maxBits} bits`, pos(l, col, col + field[0].length - 1), `at most ${HEADER_LIMITS.maxBits} bits in the fixed part`, 'use `+var:` for long data');
      const kind = attrs.kind ?? inferKind(name, bits);
      pending.push({ name, short: attrs.short ?? autoShort(name, bits), offset: start, bits, kind, value: null, raw: null, color: attrs.color, wireshark: null, position: here });
      if (bits === null) afterVariable = true;
      else cursor = start + bits;
      continue;
    }

    switch (word) {
      case 'title':
        state.title = unquote(rest.replace(/^:\s*/, '')).slice(0, HEADER_LIMITS.maxLabel) || null;
        continue;
      case 'accTitle':
      case 'accDescr': {
        const t = /^:\s*(.*)$/.exec(rest);
        if (t) {
          if (word === 'accDescr') description = unquote(t[1]!);
          else state.title ??= unquote(t[1]!).slice(0, HEADER_LIMITS.maxLabel);
          continue;
        }
        if (word === 'accDescr' && rest.startsWith('{')) {
          const parts: string[] = [rest.slice(1)];
          let j = i;
          while (!parts[parts.length - 1]!.includes('}') && j + 1 < lines.length) parts.push(lines[++j]!.text);
          const joined = parts.join('\n');
          if (!joined.includes('}')) fail('header-unclosed-description', '`accDescr {` has no closing `}`', here, '`}` after the description', null);
          description = joined.slice(0, joined.indexOf('}')).trim();
          i = j;
          continue;
        }
        fail('header-bad-statement', `\`${word}\` needs a colon`, here, `\`${word}: …\``, null);
      }
      // falls through (fail never returns)
      case 'bits':
      case 'bitsPerRow': {
        const v = rest.replace(/^:\s*/, '');
        state.rowBits = parseInteger(v, l, restCol + (rest.length - v.length), 'bits per row', 1, HEADER_LIMITS.maxRowBits);
        continue;
      }
      case 'ruler':
      case 'showBits':
        if (rest && rest !== 'on' && rest !== 'off' && rest !== 'true' && rest !== 'false') fail('header-trailing-text', `unexpected \`${clip(rest)}\` after \`${word}\``, pos(l, restCol, restCol + rest.length), 'nothing, `on` or `off`', null);
        state.ruler = rest !== 'off' && rest !== 'false';
        continue;
      case 'bitOrder': {
        const v = rest.replace(/^:\s*/, '');
        state.bitOrder = bitOrder(unquote(v), l, restCol + (rest.length - v.length));
        continue;
      }
      case 'offsets':
        if (rest && rest !== 'on' && rest !== 'off') fail('header-trailing-text', `unexpected \`${clip(rest)}\` after \`offsets\``, pos(l, restCol, restCol + rest.length), 'nothing, `on` or `off`', null);
        offsets = rest !== 'off';
        continue;
      case 'bytes':
        bytesPosition ??= here;
        parseHex(text.slice(restCol), l, restCol, bytes);
        continue;
      case 'capture': {
        const m = /^(?:"([^"]+)"|'([^']+)'|(\S+))\s+frame\s+(\S+)$/.exec(rest);
        if (!m) fail('header-bad-statement', '`capture` needs a file and a frame number', here, '`capture ./handshake.pcap frame 1`', 'frames are numbered from 1, as Wireshark numbers them');
        if (frame) fail('header-two-captures', 'a second `capture` line', here, 'one frame per block', null);
        const number = parseInteger(m[4]!, l, restCol + rest.lastIndexOf(m[4]!), 'the frame number', 1, 100_000_000);
        frame = { path: m[1] ?? m[2] ?? m[3]!, number, position: here };
        continue;
      }
      case 'color':
      case 'colour': {
        const m = /^(.*\S)\s+(\S+)$/.exec(rest);
        if (!m) fail('header-bad-statement', '`color` needs a field and a colour', here, '`color <field> <colour>`, e.g. `color SYN #ffcc00`', null);
        const value = m[2]!;
        const c = normalizeColor(value) ?? badColor(value, l, restCol + rest.length - value.length);
        colors.push({ target: unquote(m[1]!), color: c, position: here });
        continue;
      }
      default:
        break;
    }

    // A built-in layout, or a stack of them: `ipv4 + tcp`.
    if (/^[A-Za-z][\w.-]*(\s*\+\s*[A-Za-z][\w.-]*)*$/.test(trimmed)) {
      const parts = trimmed.split('+');
      if (parts.length > HEADER_LIMITS.maxLayers) fail('header-too-many-layers', `${parts.length} layers`, here, `at most ${HEADER_LIMITS.maxLayers}`, null);
      let c = col;
      const found: Array<{ name: string; position: Position }> = [];
      for (const p of parts) {
        const name = p.trim();
        const pc = c + (p.length - p.trimStart().length);
        // A lone word that is closer to a keyword than to any layout is a misspelt statement (`rular`).
        const keyword = parts.length === 1 && !resolveBuiltin(name) ? suggest(name, KEYWORDS) : null;
        if (keyword && !suggest(name, ['tcp', 'udp', 'ipv4', 'ipv6', 'icmp', 'icmpv6', 'ethernet', 'tcp-rfc793', 'icmp-echo'])) {
          fail('header-unknown-statement', `unknown statement \`${clip(name)}\``, here, 'a built-in layout (tcp, udp, ipv4, ipv6, icmp), a field line (`0-15: Source port`) or one of ' + KEYWORDS.join(', '), `did you mean \`${keyword}\`?`);
        }
        if (parts.length === 1 && /^[0-9a-f]{2,}$/i.test(name) && !resolveBuiltin(name)) {
          fail('header-unknown-statement', `unknown statement \`${clip(name)}\``, here, 'a statement; hex lines continue a `bytes` line only right after it', 'move this line under the `bytes` line, or start it with `bytes`');
        }
        found.push({ name: requireBuiltin(name, pos(l, pc, pc + name.length)), position: pos(l, pc, pc + name.length) });
        c += p.length + 1;
      }
      if (layers) fail('header-two-layouts', `a second layout \`${clip(trimmed)}\``, here, 'one built-in layout per block', `stack layers on one line: \`${layers.map((x) => x.name).join(' + ')} + ${trimmed}\``);
      if (pending.length) fail('header-mixed', 'a built-in layout cannot follow field lines', here, 'either a built-in layout or field lines', null);
      layers = found;
      continue;
    }
    const guess = suggest(word, KEYWORDS);
    fail(
      'header-unknown-statement',
      `unknown statement \`${clip(trimmed)}\``,
      here,
      'a built-in layout (tcp, udp, ipv4, ipv6, icmp), a field line (`0-15: Source port`, `+16: Window`, `+var: Options`) or one of title, bits, ruler, offsets, bytes, color',
      guess ? `did you mean \`${guess}\`?` : 'field lines need a colon after the bits: `0-15: Source port`',
    );
  }

  const rowBits = state.rowBits ?? options.rowBits ?? 32;
  let model: HeaderModel;
  const byteArray = bytes.length ? Uint8Array.from(bytes) : null;
  if (frame && byteArray) fail('header-bytes-and-capture', 'both `bytes` and `capture` give the bytes', frame.position, 'one of them', 'keep the one you mean');
  if (frame && pending.length) fail('header-mixed', '`capture` decodes built-in layouts, not field lines', frame.position, 'a built-in layout (`tcp`) or none', 'leave the field lines out to draw every layer of the frame');
  if (frame) {
    model = captureFrame(frame, layers, options);
  } else if (layers) {
    model = buildBuiltin(layers, byteArray, bytesPosition);
  } else if (pending.length) {
    model = buildCustom(pending, byteArray, bytesPosition, warnings);
  } else {
    fail(
      'header-empty',
      'the block has no layout',
      firstPos ?? { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      'a built-in layout (`tcp`, `udp`, `ipv4`, `ipv6`, `icmp`) or field lines (`0-15: Source port`)',
      'start with `tcp`, or with `0-15: Source port`',
    );
  }
  model.title = state.title;
  model.rowBits = rowBits;
  model.ruler = state.ruler;
  model.offsets = offsets;
  model.description = description;
  if (state.bitOrder === 'descending') model.bitOrder = 'descending';
  model.position = firstPos;
  model.warnings = [...warnings, ...model.warnings];
  for (const c of colors) applyColor(model, c.target, c.color, c.position);
  keptModel = model;
  return model;
}

/**
 * The last model parsed, kept until the next: a model's hidden class is reached by adding properties, and V8
 * frees such a class at a full GC that finds none of its objects alive (between two documents of a host's
 * build), dropping the optimized code of the parser and the header layout that relied on it.
 */
let keptModel: HeaderModel | null = null;

/** Link-layer headers wiregram skips (it draws Ethernet, but not cooked/loopback pseudo-headers). */
function linkStart(linkType: number): { link: 'ethernet' | 'ip' | 'ipv4' | 'ipv6'; skip: number } | null {
  switch (linkType) {
    case 1:
      return { link: 'ethernet', skip: 0 };
    case 12:
    case 14:
    case 101:
      return { link: 'ip', skip: 0 };
    case 228:
      return { link: 'ipv4', skip: 0 };
    case 229:
      return { link: 'ipv6', skip: 0 };
    case 0:
    case 108:
      return { link: 'ip', skip: 4 };
    case 113:
      return { link: 'ip', skip: 16 };
    case 276:
      return { link: 'ip', skip: 20 };
    default:
      return null;
  }
}

function captureFrame(frame: { path: string; number: number; position: Position }, layers: Array<{ name: string; position: Position }> | null, options: ParsePacketHeaderOptions): HeaderModel {
  if (!options.readFile) {
    fail('header-no-file-access', `cannot read \`${clip(frame.path)}\` here`, frame.position, 'a host that reads files (the CLI, the Markdown plugins)', 'paste the bytes instead: `bytes 4500 003c …`');
  }
  const file = options.readFile(frame.path, frame.position);
  // Frames 1…N only, on purpose: what follows frame N is neither read nor warned about.
  let capture: ReturnType<typeof readCapture>;
  try {
    capture = readCapture(file, { upTo: frame.number });
  } catch (e) {
    // Not a capture at all: say so at the `capture` line.
    if (e instanceof WiregramError && !e.position) fail(e.code, e.reason, frame.position, e.expected, e.hint);
    throw e;
  }
  const packet = capture.packets.find((p) => p.frame === frame.number);
  if (!packet) {
    const n = capture.packets.length;
    const damage = capture.damage;
    if (damage) {
      const truncated = damage.code === 'capture-truncated';
      fail(damage.code, `\`${clip(frame.path)}\` is ${truncated ? 'truncated' : 'corrupt'} at byte ${damage.at}, after ${n} frame${n === 1 ? '' : 's'}, so it has no frame ${frame.number}: ${damage.detail}`, frame.position, n ? `a frame number from 1 to ${n}` : 'a complete pcap or pcapng file', truncated ? 'the file was cut short: copy or capture it again' : 'the file is damaged: check it with `capinfos FILE`, or capture again');
    }
    fail('header-no-such-frame', `\`${clip(frame.path)}\` has ${n} frame${n === 1 ? '' : 's'}, not ${frame.number}`, frame.position, `a frame number from 1 to ${Math.max(1, n)}`, null);
  }
  const start = linkStart(packet.linkType);
  if (!start) fail('header-unknown-link', `frame ${frame.number} has link type ${packet.linkType}, which wiregram does not decode`, frame.position, 'Ethernet, raw IP, Linux cooked (SLL/SLL2) or loopback captures', null);
  let decoded = decodePacket(packet.data.subarray(start.skip), { link: start.link, position: frame.position });
  for (const l of decoded) l.byteOffset = (l.byteOffset ?? 0) + start.skip;
  let protocol = decoded.map((l) => l.protocol).join('+');
  if (layers) {
    // `tcp` + a capture frame: draw only the layers asked for (the checksum is still verified with the IP header).
    const want = new Set(layers.map((l) => layerFamily(l.name)));
    const chosen = decoded.filter((l) => want.has(layerFamily(l.protocol ?? '')));
    if (chosen.length !== want.size) {
      fail('header-layer-not-in-frame', `frame ${frame.number} has no ${[...want].filter((w) => !chosen.some((c) => c.protocol === w)).join(' + ')} layer`, layers[0]!.position, `one of the frame's layers: ${protocol}`, `write \`${decoded[decoded.length - 1]?.protocol ?? 'ipv4'}\`, or leave the layout out to draw every layer`);
    }
    decoded = chosen;
    protocol = layers.map((l) => l.name).join('+');
  }
  const model = decoded.length === 1 ? decoded[0]! : mergeLayers(decoded, protocol, packet.data.subarray(decoded[0]?.byteOffset ?? 0));
  model.protocol = protocol;
  // The reader's findings (a skipped interface, a version quirk) belong to the `capture` line, not to the fence.
  model.warnings = [...placeWarnings(capture.warnings, frame.position), ...model.warnings];
  return model;
}

function applyColor(model: HeaderModel, target: string, color: string, position: Position): void {
  const t = target.toLowerCase();
  let hit = false;
  for (const f of model.fields) {
    if (f.name.toLowerCase() === t || f.short?.toLowerCase() === t || f.wireshark?.toLowerCase() === t) {
      f.color = color;
      hit = true;
    }
  }
  if (!hit) {
    const names = model.fields.flatMap((f) => [f.name, ...(f.short ? [f.short] : [])]);
    const guess = suggest(target, names);
    fail('header-unknown-field', `no field named \`${clip(target)}\``, position, 'a field name, its short form or its Wireshark name (`SYN`, `Source Port`, `tcp.srcport`)', guess ? `did you mean \`${guess}\`?` : null);
  }
}

/**
 * The protocol a layout variant belongs to (`icmp-echo` → `icmp`, `tcp-rfc793` → `tcp`, `icmpv6-echo` →
 * `icmpv6`): the layers the author names and the layers decoded from bytes are compared by it.
 */
function layerFamily(name: string): string {
  if (name.startsWith('icmp-')) return 'icmp';
  if (name.startsWith('icmpv6-')) return 'icmpv6';
  return name === 'tcp-rfc793' ? 'tcp' : name;
}

function buildBuiltin(layers: Array<{ name: string; position: Position }>, bytes: Uint8Array | null, bytesPosition: Position | null): HeaderModel {
  const first = layers[0]!;
  if (layers.length === 1) {
    if (!bytes) return builtinHeader(first.name);
    const m = decodeHeader(first.name, bytes, { position: bytesPosition });
    // A whole packet pasted under `tcp` decodes as nonsense; say what it looks like instead.
    const version = (bytes[0] ?? 0) >> 4;
    const announced = bytes.length >= 6 ? (version === 4 ? readBits(bytes, 16, 16) : version === 6 ? 40 + readBits(bytes, 32, 16) : -1) : -1;
    if (first.name !== 'ipv4' && first.name !== 'ipv6' && announced === bytes.length && (version === 4 ? ((bytes[0] ?? 0) & 15) >= 5 : true)) {
      m.warnings.push(
        diagnostic({
          code: 'header-looks-like-ip',
          reason: `these bytes look like a whole IPv${version} packet, not a ${first.name} header`,
          position: bytesPosition,
          expected: `the ${first.name} header bytes alone`,
          hint: `write \`ipv${version} + ${first.name}\` to decode every layer (and verify the checksum)`,
        }),
      );
    }
    m.protocol = first.name === 'tcp-rfc793' ? 'tcp-rfc793' : m.protocol;
    return m;
  }
  const protocol = layers.map((l) => l.name).join('+');
  for (let k = 0; k < layers.length - 1; k++) {
    const n = layers[k]!.name;
    if (n !== 'ethernet' && n !== 'vlan' && n !== 'ipv4' && n !== 'ipv6') {
      fail('header-bad-stack', `\`${n}\` cannot carry another header here`, layers[k]!.position, 'a stack such as `ipv4 + tcp`, `ipv6 + udp`, `ethernet + ipv4 + icmp`', 'only Ethernet and IP layers come before another one');
    }
  }
  if (!bytes) {
    // Without bytes, the lower layers are drawn without their variable parts (options, data).
    const models: HeaderModel[] = [];
    let off = 0;
    for (let k = 0; k < layers.length; k++) {
      const m = builtinHeader(layers[k]!.name);
      if (k < layers.length - 1) m.fields = m.fields.filter((f) => f.bits !== null);
      m.byteOffset = off;
      const last = m.fields[m.fields.length - 1];
      off += last && last.bits !== null ? (last.offset + last.bits) / 8 : 0;
      models.push(m);
    }
    return mergeLayers(models, protocol);
  }
  const link = first.name === 'ethernet' ? 'ethernet' : first.name === 'ipv6' ? 'ipv6' : 'ipv4';
  const decoded = decodePacket(bytes, { link, position: bytesPosition });
  const merged = mergeLayers(decoded, protocol, bytes);
  const want = layers.map((l) => layerFamily(l.name));
  const got = decoded.map((d) => layerFamily(d.protocol ?? '')).filter((p) => p !== 'ipv6-ext' && p !== 'vlan');
  if (want.join('+') !== got.join('+')) {
    merged.warnings.push(
      diagnostic({
        code: 'header-stack-mismatch',
        reason: `the bytes hold ${got.join(' + ') || 'nothing decodable'}, not ${want.join(' + ')}`,
        position: layers[0]!.position,
        expected: want.join(' + '),
        hint: `write \`${got.join(' + ')}\`, or check the bytes`,
      }),
    );
  }
  return merged;
}

function buildCustom(fields: HeaderField[], bytes: Uint8Array | null, bytesPosition: Position | null, warnings: Diagnostic[]): HeaderModel {
  const model = headerModel({ protocol: null, fields, bytes });
  if (bytes) decodeCustom(model, bytes, bytesPosition, warnings);
  return model;
}

/** Custom layouts decode generically: numbers in decimal, flags Set/Not set, long fields in hex. */
function decodeCustom(model: HeaderModel, bytes: Uint8Array, position: Position | null, warnings: Diagnostic[]): void {
  const total = bytes.length * 8;
  // Variable fields take what the fixed fields after them leave over; the first one takes it all.
  let fixedAfter = 0;
  const fields = model.fields;
  let variableSeen = false;
  for (const f of fields) {
    if (f.bits === null) variableSeen = true;
    else if (variableSeen) fixedAfter += f.bits;
  }
  let shift = 0;
  let truncatedAt: HeaderField | null = null;
  let firstVariable = true;
  for (const f of fields) {
    f.offset += shift;
    if (f.bits === null) {
      const available = Math.max(0, total - f.offset - fixedAfter);
      const len = firstVariable ? Math.floor(available / 8) * 8 : 0;
      firstVariable = false;
      f.value = plural(len / 8, 'byte');
      f.raw = len / 8;
      shift += len;
      continue;
    }
    if (f.offset + f.bits > total) {
      truncatedAt ??= f;
      continue;
    }
    if (f.bits <= 32) {
      const raw = readBits(bytes, f.offset, f.bits);
      f.raw = raw;
      f.value = f.kind === 'flag' ? (raw ? 'Set' : 'Not set') : String(raw);
    } else if (f.offset % 8 === 0 && f.bits % 8 === 0 && f.bits <= 128) {
      let s = '0x';
      for (let k = f.offset / 8; k < (f.offset + f.bits) / 8; k++) s += (bytes[k] ?? 0).toString(16).padStart(2, '0');
      f.value = s;
    } else {
      f.value = `${f.bits} bits`;
    }
  }
  const last = fields[fields.length - 1];
  if (truncatedAt) {
    warnings.push(
      diagnostic({
        code: 'header-truncated',
        reason: `the bytes end after ${plural(bytes.length, 'byte')}, inside \`${clip(truncatedAt.name)}\``,
        position,
        expected: `at least ${Math.ceil((truncatedAt.offset + (truncatedAt.bits ?? 0)) / 8)} bytes`,
        hint: 'fields past the end are left without a value',
      }),
    );
  } else if (last && last.bits !== null && last.offset + last.bits < total && !fields.some((f) => f.bits === null)) {
    const extra = Math.floor((total - last.offset - last.bits) / 8);
    if (extra > 0) {
      warnings.push(diagnostic({ code: 'header-extra-bytes', reason: `${plural(extra, 'byte')} after the last field are not shown`, position, expected: 'as many bytes as the fields cover', hint: 'add `+var: Data` to show them' }));
    }
  }
}

