/**
 * Every connection figure of RFC 9293 §3.5 and §3.6 is an example page (examples/rfc9293-figNN-*.md). Its numbers
 * and states are checked against the RFC's own figure text (fixtures/rfc9293-figures.txt, verbatim): each segment
 * the figure sends, in order, with its flags, SEQ and ACK; and each peer's states, in order.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { compileSequence, formatSeq, type Timeline } from '@wiregram/core';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const figureText = readFileSync(fileURLToPath(new URL('./fixtures/rfc9293-figures.txt', import.meta.url)), 'utf8');

const STATE_WORDS = ['CLOSED', 'LISTEN', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'];
const ENGINE_NAME: Record<string, string> = { 'SYN-RECEIVED': 'SYN_RCVD' };
const engineState = (w: string) => ENGINE_NAME[w] ?? w.replace(/-/g, '_');

interface RfcSegment {
  from: 'A' | 'B';
  seq: string;
  ack: string | null;
  ctl: string[];
  data: number | null;
}
interface RfcFigure {
  number: number;
  title: string;
  segments: RfcSegment[];
  states: { A: string[]; B: string[] };
}

/** Read the figures: the column of each peer from the header line, segments from `<SEQ=…>…<CTL=…>`. */
function parseFigures(text: string): RfcFigure[] {
  const figures: RfcFigure[] = [];
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    const cap = /^\s*Figure (\d+): (.*)$/.exec(line);
    if (!cap) {
      lines.push(line);
      continue;
    }
    figures.push(parseFigure(Number(cap[1]), cap[2]!.trim(), lines));
    lines = [];
  }
  return figures;
}

function parseFigure(number: number, title: string, lines: string[]): RfcFigure {
  const header = lines.findIndex((l) => l.includes('TCP Peer A') && l.includes('TCP Peer B'));
  const bCol = lines[header]!.indexOf('TCP Peer B');
  const states = { A: [] as string[], B: [] as string[] };
  const segments: RfcSegment[] = [];
  const inFlight: Array<RfcSegment & { text: string }> = [];
  const push = (side: 'A' | 'B', w: string) => {
    const list = states[side];
    if (list[list.length - 1] !== w) list.push(w);
  };
  for (const line of lines.slice(header + 1)) {
    const m = /(\.\.\.|-->|<--)?\s*(<SEQ=[^>]+>(?:<[^>]+>)*)\s*(\.\.\.|-->|<--)?/.exec(line);
    const segStart = m ? m.index : line.length;
    for (const w of line.matchAll(/[A-Z][A-Z0-9-]+/g)) {
      if (!STATE_WORDS.includes(w[0]) || insideParens(line, w.index!)) continue;
      if (m) push(w.index! < segStart ? 'A' : 'B', w[0]);
      else push(w.index! >= bCol - 8 ? 'B' : 'A', w[0]);
    }
    if (!m) continue;
    const [, before, body, after] = m;
    const parts = new Map<string, string>();
    for (const f of body!.matchAll(/<(\w+)(?:=([^>]*))?>/g)) parts.set(f[1]!, f[2] ?? '');
    const data = parts.has('DATA') ? (parts.get('DATA') ? Number(parts.get('DATA')) : 0) : null;
    const seg: RfcSegment = { from: 'A', seq: parts.get('SEQ')!, ack: parts.get('ACK') ?? null, ctl: parts.get('CTL')!.split(','), data };
    if (before === '-->') seg.from = 'A';
    else if (after === '<--') seg.from = 'B';
    else {
      // `... <SEQ> -->`: the arrival of a segment still in flight — or, if none matches, one from an older incarnation.
      const k = inFlight.findIndex((f) => f.text === body);
      if (k >= 0) {
        inFlight.splice(k, 1);
        continue;
      }
      seg.from = after === '-->' ? 'A' : 'B';
    }
    segments.push(seg);
    if (after === '...' || before === '...') inFlight.push({ ...seg, text: body! });
  }
  return { number, title, segments, states };
}

function insideParens(line: string, at: number): boolean {
  const open = line.lastIndexOf('(', at);
  return open >= 0 && line.indexOf(')', open) > at;
}

/** The example page of figure N: its first `tcp-sequence` block. */
function pageOf(n: number): { file: string; source: string } {
  const file = readdirSync(examples).find((f) => f.startsWith(`rfc9293-fig${String(n).padStart(2, '0')}-`));
  expect(file, `an example page for RFC 9293 Figure ${n}`).toBeDefined();
  const text = readFileSync(examples + file, 'utf8');
  const m = /```tcp-sequence\n([\s\S]*?)```/.exec(text);
  expect(m).not.toBeNull();
  return { file: file!, source: m![1]! };
}

const figures = parseFigures(figureText);
const who = (tl: Timeline, id: string) => tl.participants.find((p) => p.id === id)!.id;

describe('RFC 9293 connection figures (§3.5, §3.6) as example pages', () => {
  test('the fixture holds every connection figure of §3.5 and §3.6 (Figures 6 to 13)', () => {
    expect(figures.map((f) => f.number)).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
    // The reader understood the figures: Figure 8 sends six segments (the old duplicate included, the late
    // arrival of line 6 not counted twice), Figure 13 four.
    expect(figures.find((f) => f.number === 8)!.segments.map((s) => `${s.from}:${s.seq}`)).toEqual(['A:100', 'A:90', 'B:300', 'A:91', 'B:400', 'A:101']);
    expect(figures.find((f) => f.number === 13)!.segments).toHaveLength(4);
    expect(figures.find((f) => f.number === 11)!.states).toEqual({ A: ['LISTEN'], B: ['LISTEN', 'SYN-RECEIVED', 'LISTEN'] });
  });

  for (const fig of figures) {
    test(`Figure ${fig.number}: ${fig.title}`, () => {
      const { source } = pageOf(fig.number);
      const tl = compileSequence(source);
      expect(tl.title).toContain(`Figure ${fig.number}`);
      // Segments: the same ones, in the order they are sent, with the RFC's numbers and control bits.
      const drawn = tl.segments.map((s) => ({
        from: s.from,
        seq: formatSeq(s.seq),
        ack: s.ack ? formatSeq(s.ack) : null,
        ctl: s.flags.filter((f) => f !== 'PSH'),
        data: s.len > 0 ? s.len : null,
      }));
      const rfc = fig.segments.map((s) => ({ from: who(tl, s.from), seq: s.seq, ack: s.ack, ctl: s.ctl, data: s.data }));
      // `<DATA>` without a length: some data.
      rfc.forEach((r, i) => {
        if (r.data === 0 && (drawn[i]?.data ?? 0) > 0) r.data = drawn[i]!.data;
      });
      expect(drawn).toEqual(rfc);
      // States: each peer's, in order, from the first one the figure names.
      for (const side of ['A', 'B'] as const) {
        const seq = tl.states.filter((s) => s.participant === side).map((s) => s.to as string);
        const want = fig.states[side].map(engineState);
        // Figure 10 names no state for A (a rebooted host is "(??)").
        if (!want.length) continue;
        const from = seq.indexOf(want[0]!);
        expect(from, `${side} reaches ${want[0]}`).toBeGreaterThanOrEqual(0);
        expect(seq.slice(from, from + want.length), `${side}'s states`).toEqual(want);
      }
    });
  }
});
