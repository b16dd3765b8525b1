/**
 * Property tests of the whole path a Markdown build takes — text → SVG (`render`) and, for some, → PDF — for
 * both languages: random statement programs, mutated examples, random text. Every input ends in an SVG (or a
 * PDF) or a WiregramError with a reason; never another exception, never a stack overflow, never a hang. The
 * default run tries a few thousand inputs per language; `pnpm fuzz` 100,000 (test/support/fuzz.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWiregramError } from '@wiregram/core';
import { renderPdf } from '@wiregram/pdf';
import { render } from '@wiregram/svg';
import { runs, timeoutFor } from './support/fuzz.js';

/** Slowest single input allowed: far above any real diagram, far below a hang. */
const SLOW_MS = 15_000;

function check(source: string, language: 'tcp-sequence' | 'packet-header', pdf: boolean): void {
  const t = performance.now();
  try {
    const r = render(source, { language });
    expect(r.svg.startsWith('<svg')).toBe(true);
    // The output budget bounds what a block can produce.
    expect(r.svg.length).toBeLessThan(20_000_000);
    if (pdf) expect(renderPdf(source, { language }).length).toBeGreaterThan(100);
  } catch (e) {
    if (!isWiregramError(e)) throw new Error(`not a WiregramError for ${JSON.stringify(source).slice(0, 400)}: ${e instanceof Error ? e.stack : String(e)}`);
    if (/internal|failed|Maximum call stack|Invalid (string|array) length/i.test(`${e.code} ${e.message}`)) {
      throw new Error(`a bug reported as ${e.code} for ${JSON.stringify(source).slice(0, 400)}: ${e.message}`);
    }
    expect(e.reason.length).toBeGreaterThan(0);
  }
  const ms = performance.now() - t;
  if (ms > SLOW_MS) throw new Error(`${Math.round(ms)} ms for ${JSON.stringify(source).slice(0, 400)}`);
}

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
function blocks(language: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(examples).filter((n) => n.endsWith('.md'))) {
    const lines = readFileSync(examples + f, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim().startsWith('```' + language)) {
        const body: string[] = [];
        while (++i < lines.length && lines[i]!.trim() !== '```') body.push(lines[i]!);
        if (!body.some((l) => l.includes('capture '))) out.push(body.join('\n'));
      }
    }
  }
  return out;
}

/** Edits that keep most of a valid block: insert, delete, duplicate or swap lines, repeat a tail. */
function mutated(seeds: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }), fc.nat({ max: 4 })), { minLength: 1, maxLength: 5 }))
    .map(([seed, edits]) => {
      let s = seed;
      for (const [at, n, text, kind] of edits) {
        const i = s.length ? at % s.length : 0;
        const lines = s.split('\n');
        const j = at % lines.length;
        if (kind === 0) s = s.slice(0, i) + text + s.slice(i + n);
        else if (kind === 1) s = s.slice(0, i) + s.slice(i + n + 1);
        else if (kind === 2) (lines.splice(j, 0, lines[(j + n) % lines.length]!), (s = lines.join('\n')));
        else if (kind === 3) ([lines[j], lines[(j + n) % lines.length]] = [lines[(j + n) % lines.length]!, lines[j]!]), (s = lines.join('\n'));
        else s = s + '\n' + lines.slice(j).join('\n');
      }
      return s;
    });
}

const who = fc.constantFrom('client', 'server', 'a', 'b', 'c');
const flags = fc.constantFrom('SYN', 'SYN, ACK', 'ACK', 'FIN, ACK', 'PSH, ACK', 'RST', 'RST, ACK', 'FIN', 'URG, ACK', 'ECE, CWR, SYN');
const attr = fc.oneof(
  fc.constantFrom('lost', 'stale', 'retransmit', 'keepalive', 'sack_perm', '"payload"', 'note="n"', 'hide=seq', 'ws=7', 'ts=1'),
  fc.nat({ max: 100_000 }).map((n) => `len=${n}`),
  fc.nat({ max: 70_000 }).map((n) => `win=${n}`),
  fc.constantFrom('seq=x', 'ack=y+1', 'seq=4294967295', 'ack=0!', 'mss=1460', 'delay=3', 't=0.5'),
);
const segment = fc
  .tuple(fc.boolean(), who, fc.constantFrom('->', '-x', '-->', '->>'), who, flags, fc.array(attr, { maxLength: 3 }))
  .map(([amp, f, arrow, t, fl, at]) => `${amp ? '& ' : ''}${f} ${arrow} ${t}: ${fl} ${at.join(' ')}`);
const note = fc
  .tuple(fc.constantFrom('over', 'left of', 'right of'), who, fc.array(fc.constantFrom('x', '\\n', '<br>', ' ', '注', '"', '&', '<b>'), { maxLength: 30 }))
  .map(([where, p, parts]) => `note ${where} ${p}: ${parts.join('')}`);
const statement = fc.oneof(
  { weight: 8, arbitrary: segment },
  { weight: 2, arbitrary: note },
  { weight: 1, arbitrary: fc.constantFrom('loop 3', 'loop 40', 'end', 'par', 'and', 'wait 2MSL', 'wait 1', '== 数据 ==', 'autonumber', 'header 1', 'header 3', 'timeout client', 'listen server') },
  { weight: 1, arbitrary: fc.constantFrom('option labels=wireshark', 'option layout=flow', 'option layout=lifeline', 'option states=hyphen', 'isn client=x server=y', 'seq client=u', 'title T <script>') },
  { weight: 1, arbitrary: fc.constantFrom('participant client as 客户端', 'participant server at 10.0.0.1:80 listen', 'participant c spoofed', 'participant a at [::1]:80', 'participant b at nope:1') },
);
const HANDSHAKE = 'participant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
const program = fc.tuple(fc.boolean(), fc.array(statement, { maxLength: 25 })).map(([hs, l]) => (hs ? HANDSHAKE : '') + l.join('\n'));

const fieldLine = fc.oneof(
  fc.tuple(fc.nat({ max: 200 }), fc.nat({ max: 64 }), fc.constantFrom('Port', 'Flags', '"Quoted: x"', 'SYN', '选项', 'a {color: red}', 'b {short: B}')).map(([a, n, name]) => `${a}-${a + n}: ${name}`),
  fc.tuple(fc.constantFrom('+1', '+8', '+16', '+32', '+var', '+0', '+999'), fc.constantFrom('Data', 'Opt', 'X')).map(([len, name]) => `${len}: ${name}`),
  fc.constantFrom('tcp', 'udp', 'ipv4 + tcp', 'ipv6', 'icmp', 'bits 8', 'bits 1', 'bits 64', 'ruler', 'offsets', 'bitOrder descending', 'title 头', 'color SYN #fc0'),
  fc.array(fc.constantFrom('00', 'ff', '45', '1f90', 'd431', 'zz', '5002'), { maxLength: 30 }).map((b) => `bytes ${b.join(' ')}`),
  fc.constantFrom('---', 'title: "say \\"hi\\""', 'config:', '  packet:', '    bitsPerRow: 16', 'packet-beta', '%%{init: {"packet": {"bitsPerRow": 8}}}%%', 'accDescr {', '}'),
);
const header = fc.array(fieldLine, { maxLength: 20 }).map((l) => l.join('\n'));

describe('text → SVG (and PDF) never fails other than with a WiregramError', () => {
  const cases = [
    { language: 'tcp-sequence', what: 'programs', generated: program, seeds: blocks('tcp-sequence'), minSeeds: 10, msEach: 6 },
    { language: 'packet-header', what: 'field lines', generated: header, seeds: blocks('packet-header'), minSeeds: 3, msEach: 4 },
  ] as const;
  for (const { language, what, generated, seeds, minSeeds, msEach } of cases) {
    it(`${language}: ${what}, mutated examples, random text`, () => {
      expect(seeds.length).toBeGreaterThan(minSeeds);
      const n = runs(2000, 100_000);
      // Half generated statements (one in 50 also as a PDF), 40 % mutated examples, 10 % random text.
      fc.assert(fc.property(generated, fc.nat({ max: 49 }), (s, k) => check(s, language, k === 0)), { numRuns: Math.round(n * 0.5) });
      fc.assert(fc.property(mutated([...seeds]), (s) => check(s, language, false)), { numRuns: Math.round(n * 0.4) });
      fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => check(s, language, false)), { numRuns: Math.round(n * 0.1) });
    }, timeoutFor(runs(2000, 100_000), msEach));
  }
});
