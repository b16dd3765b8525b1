/**
 * The grammars through Shiki, on every diagram block of examples/: the scopes a theme colours must land on the
 * statement keywords, the participants of each segment, the flags, the states and the comments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHighlighter, type Highlighter } from 'shiki';
import { packetHeader, tcpSequence, wiregramGrammars } from '../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let hl: Highlighter;

beforeAll(async () => {
  hl = await createHighlighter({ themes: ['github-light', 'github-dark'], langs: [...wiregramGrammars] });
});

interface Piece {
  line: number;
  text: string;
  scopes: string[];
}

/** Every explained piece of the text, with its line and the scope stack names. */
function pieces(code: string, lang: string): Piece[] {
  const { tokens } = hl.codeToTokens(code, { lang: lang as 'text', theme: 'github-light', includeExplanation: true });
  const out: Piece[] = [];
  tokens.forEach((line, i) => {
    for (const t of line) for (const e of t.explanation ?? []) out.push({ line: i + 1, text: e.content, scopes: e.scopes.map((s) => s.scopeName) });
  });
  return out;
}

const has = (p: Piece | undefined, scope: string) => !!p && p.scopes.some((s) => s.startsWith(scope));
const find = (ps: Piece[], line: number, text: string) => ps.find((p) => p.line === line && p.text.trim() === text);

function blocks(): Array<{ file: string; lang: string; code: string }> {
  const out = [];
  const dir = join(ROOT, 'examples');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
    const md = readFileSync(join(dir, f), 'utf8');
    for (const m of md.matchAll(/^```(tcp-sequence|packet-header)[^\n]*\n([\s\S]*?)^```/gm)) out.push({ file: f, lang: m[1]!, code: m[2]! });
  }
  return out;
}

it('names and scopes are what Shiki and VS Code expect', () => {
  expect(tcpSequence.scopeName).toBe('source.tcp-sequence');
  expect(packetHeader.scopeName).toBe('source.packet-header');
  expect(hl.getLoadedLanguages()).toEqual(expect.arrayContaining(['tcp-sequence', 'packet-header', 'tcpseq']));
});

describe.each(blocks().map((b) => [`${b.file} (${b.lang})`, b]))('%s', (_, { lang, code }) => {
  it('keywords, participants, flags, states and comments get their scopes', () => {
    const ps = pieces(code, lang);
    const lines = code.split('\n');
    let checked = 0;
    lines.forEach((raw, i) => {
      const n = i + 1;
      const line = raw.replace(/(^|\s)(#|%%).*$/, '');
      const comment = /(?:^|\s)(%%|#)(.*)$/.exec(raw);
      if (comment) {
        const piece = ps.find((p) => p.line === n && p.text.startsWith(comment[1]!));
        expect(has(piece, 'comment.line'), `line ${n} comment: ${raw}`).toBe(true);
        checked++;
      }
      if (lang === 'tcp-sequence') {
        const kw = /^\s*(title|participant|actor|isn|seq|option|state|listen|note|timeout|wait|par|loop|end|autonumber)\b(?!\s*(<->|-->>|->>|--x|-->|--\)|->|-x|-\)))/i.exec(line);
        if (kw) {
          expect(has(find(ps, n, kw[1]!), 'keyword.control.statement'), `line ${n} keyword: ${raw}`).toBe(true);
          checked++;
        }
        const seg = /^\s*([\p{L}\p{N}_.$-]+?)\s*(<->|-->>|->>|--x|-->|--\)|->|-x|-\))\s*([\p{L}\p{N}_.$-]+)\s*[:：](.*)$/u.exec(line);
        if (seg) {
          expect(has(find(ps, n, seg[1]!), 'variable.other.participant'), `line ${n} sender: ${raw}`).toBe(true);
          expect(has(find(ps, n, seg[2]!), 'keyword.operator.arrow'), `line ${n} arrow: ${raw}`).toBe(true);
          expect(has(find(ps, n, seg[3]!), 'variable.other.participant'), `line ${n} receiver: ${raw}`).toBe(true);
          for (const flag of seg[4]!.replace(/"[^"]*"/g, '').match(/\b(SYN|ACK|FIN|RST|PSH|URG)\b/g) ?? []) {
            expect(has(find(ps, n, flag), 'constant.language.flag'), `line ${n} flag ${flag}: ${raw}`).toBe(true);
          }
          checked++;
        }
        // (A title is text: a state name in it is not a state.)
        for (const st of /^\s*(title|divider)\b/i.test(line) ? [] : line.match(/\b(SYN_SENT|ESTABLISHED|TIME_WAIT|CLOSE_WAIT|LISTEN)\b/g) ?? []) {
          expect(has(find(ps, n, st), 'constant.other.state'), `line ${n} state ${st}: ${raw}`).toBe(true);
        }
      } else {
        const builtin = /^\s*(tcp|udp|ipv4|ipv6|icmp)\b/.exec(line);
        if (builtin) {
          expect(has(find(ps, n, builtin[1]!), 'support.type.builtin'), `line ${n}: ${raw}`).toBe(true);
          checked++;
        }
        const kw = /^\s*(title|bytes|bits|ruler|offsets|capture|color)\b/.exec(line);
        if (kw) {
          expect(has(find(ps, n, kw[1]!), 'keyword.control.statement'), `line ${n}: ${raw}`).toBe(true);
          checked++;
        }
        const field = /^\s*(\d+\s*-\s*\d+|\+\s*(?:\d+|var)|\d+)\s*:/.exec(line);
        if (field) {
          expect(has(find(ps, n, field[1]!), 'constant.numeric.range'), `line ${n}: ${raw}`).toBe(true);
          checked++;
        }
      }
    });
    expect(checked).toBeGreaterThan(0);
  });
});

it('a pinned sample: every kind of token', () => {
  const code = 'title 握手 # c\nparticipant client as 客户端\nclient -> server: SYN, ACK seq=x+1 len=100 lost %% why\n== 数据传输 ==\nstate client=ESTABLISHED';
  const ps = pieces(code, 'tcp-sequence');
  const scope = (line: number, text: string) => find(ps, line, text)?.scopes.at(-1);
  expect(scope(1, 'title')).toBe('keyword.control.statement.tcp-sequence');
  expect(scope(1, '握手')).toBe('string.unquoted.title.tcp-sequence');
  expect(scope(1, '# c')).toBe('comment.line.number-sign.tcp-sequence');
  expect(scope(2, 'client')).toBe('entity.name.participant.tcp-sequence');
  expect(scope(2, '客户端')).toBe('string.unquoted.display-name.tcp-sequence');
  expect(scope(3, '->')).toBe('keyword.operator.arrow.tcp-sequence');
  expect(scope(3, 'server')).toBe('variable.other.participant.tcp-sequence');
  expect(scope(3, 'ACK')).toBe('constant.language.flag.tcp-sequence');
  expect(scope(3, 'seq')).toBe('variable.parameter.key.tcp-sequence');
  expect(scope(3, '100')).toBe('constant.numeric.tcp-sequence');
  expect(scope(3, 'lost')).toBe('storage.modifier.tcp-sequence');
  expect(scope(3, '%% why')).toBe('comment.line.percentage.tcp-sequence');
  expect(scope(4, '数据传输')).toBe('markup.heading.divider.tcp-sequence');
  expect(scope(5, 'ESTABLISHED')).toBe('constant.other.state.tcp-sequence');
  // A theme colours them: the flag and the keyword are not the plain text colour.
  const html = hl.codeToHtml('client -> server: SYN', { lang: 'tcp-sequence', theme: 'github-dark' });
  expect(new Set([...html.matchAll(/color:(#[0-9A-Fa-f]{6})/g)].map((m) => m[1])).size).toBeGreaterThanOrEqual(3);
});
