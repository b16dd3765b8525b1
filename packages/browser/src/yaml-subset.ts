/**
 * The browser bundles' stand-in for the `yaml` package (≈ 98 KB of a 340 KB bundle), which the core uses for one
 * thing only: a `packet-header` block's Mermaid front matter (`title`, `config.packet.bitsPerRow`, …). The bundle
 * script points the core's `import … from 'yaml'` here; Node packages keep the real parser.
 *
 * It reads the block-mapping subset front matter is written in — `key: value` lines nested by indentation,
 * plain / 'single' / "double" quoted scalars, comments, multi-line plain scalars — and resolves scalars with
 * YAML 1.2's core schema as `yaml` does (same values, same offsets for the nodes the core asks about: the
 * differential test in test/yaml-subset.test.ts holds the two to that). Anything else (flow `{}` / `[]`, `- `
 * lists, anchors, tags, block scalars) is reported as an error at its position saying that the browser build
 * reads only this subset — never read differently.
 *
 * Only the API surface core/src/header/parse.ts uses: `new LineCounter()`, `parseDocument(text, { lineCounter })`
 * → `{ errors, toJS(), getIn(path, true) }`.
 */

export class LineCounter {
  lineStarts: number[] = [];
  /** 1-based line and column of a character offset, as `yaml`'s LineCounter gives them. */
  linePos(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length;
    while (lo + 1 < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid;
    }
    return { line: lo + 1, col: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }
}

interface YamlError {
  code: string;
  message: string;
  pos: [number, number];
}

type Value = string | number | boolean | null | Mapping;
interface Mapping {
  map: Map<string, Node>;
}
interface Node {
  value: Value;
  range: [number, number, number];
}

const MAX_DEPTH = 64;
const UNSUPPORTED = 'the browser build reads plain `key: value` front matter only';

class Fail extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly pos: [number, number],
  ) {
    super(message);
  }
}

/** YAML 1.2 core schema, as `yaml` resolves plain scalars. */
function resolvePlain(text: string): string | number | boolean | null {
  if (/^(?:~|null|Null|NULL)?$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}

const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' };
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A quoted scalar starting at `at` (the quote) on one line: its value and the offset after the closing quote. */
function quoted(src: string, at: number, lineEnd: number): { value: string; end: number } {
  const q = src[at]!;
  let out = '';
  let i = at + 1;
  while (i < lineEnd) {
    const c = src[i]!;
    if (c === q) {
      if (q === "'" && src[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    if (q === '"' && c === '\\') {
      const e = src[i + 1] ?? '';
      const n = HEX_LENGTH[e];
      if (n) {
        const hex = src.slice(i + 2, i + 2 + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) throw new Fail('BAD_DQ_ESCAPE', `Invalid escape sequence ${src.slice(i, i + 2 + n)}`, [i, i + 2 + n]);
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + n;
        continue;
      }
      if (!(e in ESCAPES)) throw new Fail('BAD_DQ_ESCAPE', `Invalid escape sequence \\${e}`, [i, i + 2]);
      out += ESCAPES[e];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  // A quoted scalar over several lines is valid YAML, but not this subset.
  throw new Fail('MISSING_CHAR', `Missing closing ${q}quote (${UNSUPPORTED}: quoted text on one line)`, [lineEnd, lineEnd + 1]);
}

interface Line {
  start: number;
  end: number;
  indent: number;
}

export function parseDocument(source: string, options: { lineCounter?: LineCounter } = {}) {
  const lines: Line[] = [];
  for (let start = 0; start <= source.length; ) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    options.lineCounter?.lineStarts.push(start);
    let indent = 0;
    while (source[start + indent] === ' ') indent++;
    lines.push({ start, end, indent });
    start = end + 1;
  }
  /** Where the text of a line ends before a comment and trailing blanks. */
  const contentEnd = (from: number, end: number): number => {
    let e = end;
    for (let i = from; i < end; i++) {
      if (source[i] === '#' && (i === from || source[i - 1] === ' ' || source[i - 1] === '\t')) {
        e = i;
        break;
      }
    }
    while (e > from && (source[e - 1] === ' ' || source[e - 1] === '\t' || source[e - 1] === '\r')) e--;
    return e;
  };
  const blank = (l: Line) => contentEnd(l.start + l.indent, l.end) === l.start + l.indent;
  let li = 0;
  const skipBlank = () => {
    while (li < lines.length && blank(lines[li]!)) li++;
  };

  /** A block mapping whose keys sit at column `indent`. */
  const mapping = (indent: number, depth = 1): Node => {
    // Front matter nests a few levels; the cap keeps hostile input from growing the stack (and toJS's with it).
    if (depth > MAX_DEPTH) throw new Fail('UNSUPPORTED', `${UNSUPPORTED}: mappings nested deeper than ${MAX_DEPTH} levels`, [lines[li]!.start, lines[li]!.start + lines[li]!.indent + 1]);
    const map = new Map<string, Node>();
    let first = -1;
    let last = 0;
    for (skipBlank(); li < lines.length; skipBlank()) {
      const l = lines[li]!;
      if (l.indent < indent) break;
      const at = l.start + l.indent;
      if (source[at] === '\t') throw new Fail('TAB_AS_INDENT', 'Tabs are not allowed as indentation', [at, at + 1]);
      if (l.indent > indent) throw new Fail('BAD_INDENT', 'All mapping items must start at the same column', [at, at + 1]);
      // The key: quoted, or plain up to `: ` (or a `:` ending the line).
      let key: string;
      let colon: number;
      const c = source[at]!;
      if (c === '"' || c === "'") {
        const q = quoted(source, at, l.end);
        key = q.value;
        colon = q.end;
        while (source[colon] === ' ') colon++;
        if (source[colon] !== ':') throw new Fail('UNSUPPORTED', `${UNSUPPORTED}: expected \`:\` after the key`, [colon, colon + 1]);
      } else {
        if ('-?,[]{}#&*!|>%@`'.includes(c) && !(c === '-' && source[at + 1] !== ' ' && at + 1 < l.end)) {
          throw new Fail('UNSUPPORTED', `${UNSUPPORTED}: \`${c}\` starts YAML this build does not read`, [at, at + 1]);
        }
        colon = -1;
        const keyEnd = contentEnd(at, l.end);
        for (let i = at; i < keyEnd; i++) {
          if (source[i] === ':' && (i + 1 === keyEnd || source[i + 1] === ' ' || source[i + 1] === '\t')) {
            colon = i;
            break;
          }
        }
        if (colon < 0) throw new Fail('UNSUPPORTED', `${UNSUPPORTED}: a line without \`key:\``, [at, keyEnd]);
        key = source.slice(at, colon).trimEnd();
      }
      if (map.has(key)) throw new Fail('DUPLICATE_KEY', 'Map keys must be unique', [at, at + 1]);
      if (first < 0) first = at;
      const end = contentEnd(colon + 1, l.end);
      let v = colon + 1;
      while (v < end && (source[v] === ' ' || source[v] === '\t')) v++;
      li++;
      let node: Node;
      if (v >= end) {
        // `key:` alone: a nested mapping below, more indented, or null (placed after the blanks, as yaml does).
        while (v < l.end && (source[v] === ' ' || source[v] === '\t')) v++;
        skipBlank();
        const next = lines[li];
        if (next && next.indent > indent) node = mapping(next.indent, depth + 1);
        else node = { value: null, range: [v, v, v] };
      } else {
        const vc = source[v]!;
        if (vc === '"' || vc === "'") {
          const q = quoted(source, v, l.end);
          if (contentEnd(q.end, l.end) > q.end) throw new Fail('UNEXPECTED_TOKEN', 'Unexpected scalar at node end', [q.end, contentEnd(q.end, l.end)]);
          node = { value: q.value, range: [v, q.end, q.end] };
        } else {
          if ('[]{},&*!|>%@`'.includes(vc) || ((vc === '-' || vc === '?') && (v + 1 === end || source[v + 1] === ' '))) {
            throw new Fail('UNSUPPORTED', `${UNSUPPORTED}: \`${vc}\` starts YAML this build does not read`, [v, v + 1]);
          }
          let text = source.slice(v, end);
          let stop = end;
          // A plain scalar goes on over more-indented lines, folded: a line break is a space, an empty line a newline.
          let breaks = 0;
          for (let k = li; k < lines.length; k++) {
            const n = lines[k]!;
            if (blank(n)) {
              if (source.slice(n.start, n.end).includes('#')) break;
              breaks++;
              continue;
            }
            if (n.indent <= indent) break;
            const ns = n.start + n.indent;
            const ne = contentEnd(ns, n.end);
            if (ne < n.end && source[ne] !== ' ' && source[ne] !== '\t' && source[ne] !== '\r' && source[ne] !== '#') break;
            text += breaks ? '\n'.repeat(breaks) : ' ';
            text += source.slice(ns, ne);
            stop = ne;
            breaks = 0;
            li = k + 1;
          }
          if (/:(?:\s|$)/.test(text)) throw new Fail('BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings', [v, v + 1]);
          if (/\s#/.test(text)) throw new Fail('UNSUPPORTED', `${UNSUPPORTED}: a comment inside a multi-line value`, [v, stop]);
          node = { value: resolvePlain(text), range: [v, stop, stop] };
        }
      }
      map.set(key, node);
      last = node.range[2];
    }
    return { value: { map }, range: [first < 0 ? 0 : first, last, last] };
  };

  let root: Node | null = null;
  const errors: YamlError[] = [];
  try {
    skipBlank();
    if (li < lines.length) {
      const l = lines[li]!;
      if (l.indent > 0) throw new Fail('UNSUPPORTED', `${UNSUPPORTED}: the first key must start the line`, [l.start, l.start + l.indent]);
      root = mapping(0);
      skipBlank();
      if (li < lines.length) {
        const l = lines[li]!;
        throw new Fail('BAD_INDENT', 'All mapping items must start at the same column', [l.start + l.indent, l.start + l.indent + 1]);
      }
    }
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    errors.push({ code: e.code, message: e.message, pos: e.pos });
  }

  const toJS = (n: Node | null): unknown => {
    if (!n) return null;
    const v = n.value;
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, c] of v.map) {
      // As `yaml` does: `__proto__` is an own key, not the prototype.
      Object.defineProperty(out, k, { value: toJS(c), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return {
    errors,
    toJS: (_options?: { maxAliasCount?: number }): unknown => toJS(root),
    /** The node at `path` (with its `range`), as `yaml`'s `getIn(path, true)`. */
    getIn(path: readonly string[], _keepScalar?: boolean): { range: [number, number, number] } | undefined {
      let n: Node | null | undefined = root;
      for (const key of path) {
        const v: Value | undefined = n?.value;
        n = v && typeof v === 'object' ? v.map.get(key) : undefined;
      }
      return n ?? undefined;
    },
  };
}
