/**
 * Property test: whatever the input — random text, random statements, mutated examples — parse and simulate either
 * return a Timeline or throw a WiregramError that has a position. Never another exception, never a hang.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileSequence, formatLabel, WiregramError, type Timeline } from '@wiregram/core';

function check(source: string): void {
  let tl: Timeline;
  try {
    tl = compileSequence(source);
  } catch (e) {
    if (!(e instanceof WiregramError)) throw new Error(`not a WiregramError for ${JSON.stringify(source)}: ${String(e)}`);
    if (e.code === 'internal') throw new Error(`internal error for ${JSON.stringify(source)}: ${e.message}`);
    // Only whole-input limits may lack a position.
    if (!e.position && !['too-large', 'invalid-input'].includes(e.code)) throw new Error(`no position for ${e.code}: ${JSON.stringify(source)}`);
    if (e.position) {
      expect(e.position.start.line).toBeGreaterThanOrEqual(1);
      expect(e.position.start.column).toBeGreaterThanOrEqual(1);
      expect(e.message.startsWith(`line ${e.position.start.line}, col ${e.position.start.column}: `)).toBe(true);
    }
    return;
  }
  // Invariants of a successful result.
  for (const s of tl.segments) {
    expect(Number.isFinite(s.sentAt) && Number.isFinite(s.arrivesAt)).toBe(true);
    expect(s.arrivesAt).toBeGreaterThanOrEqual(s.sentAt);
    expect(s.label.length).toBeGreaterThan(0);
    for (const style of ['textbook', 'flags', 'wireshark'] as const) expect(typeof formatLabel(s, tl, style)).toBe('string');
  }
  for (let i = 1; i < tl.states.length; i++) expect(tl.states[i]!.at).toBeGreaterThanOrEqual(tl.states[i - 1]!.at);
  // Each participant's states chain: an initial state, then every change starts where the previous one ended.
  const lastState = new Map<string, string>();
  for (const st of tl.states) {
    const prev = lastState.get(st.participant);
    if (prev === undefined) expect(st.from, `initial state of ${st.participant} in ${JSON.stringify(source)}`).toBeNull();
    else expect(st.from, `state chain of ${st.participant} in ${JSON.stringify(source)}`).toBe(prev);
    expect(st.to).not.toBe(st.from);
    lastState.set(st.participant, st.to);
  }
  expect(Number.isFinite(tl.duration)).toBe(true);
  const ids = new Set(tl.participants.map((p) => p.id));
  for (const s of tl.segments) expect(ids.has(s.from) && ids.has(s.to)).toBe(true);
  for (const n of tl.notes) for (const p of n.participants) expect(ids.has(p)).toBe(true);
  for (const st of tl.states) expect(ids.has(st.participant)).toBe(true);
  for (const t of tl.timers) {
    expect(t.end).toBeGreaterThanOrEqual(t.start);
    expect(t.end).toBeLessThanOrEqual(tl.duration);
  }
  for (const h of tl.headers) expect(tl.segments[h.segment]).toBeDefined();
  for (const s of tl.segments) if (s.retransmissionOf !== null) expect(s.retransmissionOf).toBeLessThan(s.index);
}

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
const seeds: string[] = [];
for (const f of readdirSync(examplesDir).filter((f) => f.endsWith('.md'))) {
  const lines = readFileSync(examplesDir + f, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '```tcp-sequence') {
      const body: string[] = [];
      while (++i < lines.length && lines[i]!.trim() !== '```') body.push(lines[i]!);
      seeds.push(body.join('\n'));
    }
  }
}

const P = ['client', 'server', 'a', 'b'];
const flag = fc.constantFrom('SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'SYN, ACK', 'FIN, ACK', 'PSH, ACK', 'RST, ACK', 'syn', 'ACK=1', 'SYN+ACK');
const value = fc.oneof(fc.constantFrom('x', 'x+1', 'y+1', 'u', 'w+1', 'q-3', '0', '4294967295', '90', '1000!', 'x+1!'), fc.nat().map(String));
const attr = fc.oneof(
  fc.constantFrom('lost', 'stale', 'retransmit', 'keepalive', 'sack_perm', 'force', '"hello"', '"你好"', 'note="hi"', 'hide=seq', 'hide=seq+ack'),
  value.map((v) => `seq=${v}`),
  value.map((v) => `ack=${v}`),
  fc.nat({ max: 70000 }).map((n) => `len=${n}`),
  fc.nat({ max: 70000 }).map((n) => `win=${n}`),
  fc.nat({ max: 70000 }).map((n) => `mss=${n}`),
  fc.double({ min: 0, max: 10, noNaN: true }).map((n) => `delay=${n.toFixed(2)}`),
  fc.double({ min: 0, max: 100, noNaN: true }).map((n) => `t=${n.toFixed(6)}`),
  fc.constantFrom('t=', 't=1.5s', 't=x', 'time=0.000831', 'win=0', 'len=1'),
);
const who = fc.constantFrom(...P);
const arrow = fc.constantFrom('->', '->>', '-->', '-x', '--x', '-)');
const pair = fc.constantFrom(['client', 'server'], ['server', 'client'], ['client', 'server'], ['server', 'client'], ['a', 'b'], ['b', 'a'], ['client', 'a'], ['a', 'a']);
const segment = fc
  .tuple(fc.boolean(), pair, arrow, flag, fc.array(attr, { maxLength: 3 }))
  .map(([c, [f, t], a, fl, at]) => `${c ? '& ' : ''}${f} ${a} ${t}: ${fl} ${at.join(' ')}`);
const statement = fc.oneof(
  { weight: 8, arbitrary: segment },
  { weight: 1, arbitrary: fc.tuple(who, value).map(([p, v]) => `isn ${p}=${v}`) },
  { weight: 1, arbitrary: fc.tuple(who, value).map(([p, v]) => `seq ${p}=${v}`) },
  { weight: 1, arbitrary: fc.tuple(who, fc.constantFrom('ESTABLISHED', 'LISTEN', 'SYN-SENT', 'TIME_WAIT', 'CLOSE_WAIT', 'FIN_WAIT_1', 'bogus')).map(([p, s]) => `state ${p}=${s}`) },
  { weight: 1, arbitrary: who.map((p) => `listen ${p}`) },
  { weight: 1, arbitrary: who.map((p) => `timeout ${p}`) },
  { weight: 1, arbitrary: fc.constantFrom('wait 2', 'wait 2MSL', 'wait RTO', 'wait 0.5', 'par', 'and', 'end', 'loop 3', 'loop x', 'loop 9999', '== 数据传输 ==', 'client <-> server: 数据传输', 'header', 'header 2', 'autonumber') },
  { weight: 1, arbitrary: fc.constantFrom('option labels=wireshark', 'option labels=flags states=hyphen', 'option numbering=relative', 'option handshake=two-way', 'option pure-ack-seq=hide', 'option msl=0.5', 'option rto=1') },
  { weight: 1, arbitrary: fc.tuple(who, fc.string()).map(([p, s]) => `note over ${p}: ${s}`) },
  { weight: 1, arbitrary: fc.tuple(who, fc.array(fc.constantFrom('a', '<br>', '<BR/>', '<br ', '\\n', '\\\\', ' ', '"', '注'), { maxLength: 8 })).map(([p, parts]) => `note right of ${p}: ${parts.join('')}`) },
  { weight: 1, arbitrary: fc.constantFrom('participant client as 客户端', 'participant server as 服务端 backlog=2', 'participant a spoofed', 'participant b at 10.0.0.1:80') },
);
const program = fc.array(statement, { maxLength: 30 }).map((l) => l.join('\n'));

describe('parse + simulate never throw anything but a positioned WiregramError', () => {
  test('random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), check), { numRuns: 1000 });
  });
  test('random text made of the language\'s own characters', () => {
    const chars = fc.constantFrom(...'client server -> : , = & + ! " # % x y SYN ACK FIN RST len seq ack par and end note over \n 1 0 9 ：，'.split(' '));
    fc.assert(fc.property(fc.array(chars, { maxLength: 120 }).map((a) => a.join(' ')), check), { numRuns: 2000 });
  });
  test('random statement sequences', () => {
    fc.assert(fc.property(program, check), { numRuns: 3000 });
  });
  test('random handshake-prefixed programs reach the deeper states', () => {
    const hs = 'participant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
    fc.assert(fc.property(program, (p) => check(hs + p)), { numRuns: 3000 });
  });
  test('mutated examples', () => {
    const mutation = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.string({ maxLength: 8 }), fc.nat({ max: 3 })), { minLength: 1, maxLength: 4 })).map(([src, edits]) => {
      let s = src;
      for (const [at, del, ins, kind] of edits) {
        const i = s.length ? at % s.length : 0;
        if (kind === 0) s = s.slice(0, i) + ins + s.slice(i + del);
        else if (kind === 1) s = s.slice(0, i) + s.slice(i + del + 1);
        else if (kind === 2) {
          const lines = s.split('\n');
          const j = at % lines.length;
          lines.splice(j, 0, lines[(j + del) % lines.length]!);
          s = lines.join('\n');
        } else {
          const lines = s.split('\n');
          const j = at % lines.length;
          const k = (j + del) % lines.length;
          [lines[j], lines[k]] = [lines[k]!, lines[j]!];
          s = lines.join('\n');
        }
      }
      return s;
    });
    fc.assert(fc.property(mutation, check), { numRuns: 4000 });
  });
});
