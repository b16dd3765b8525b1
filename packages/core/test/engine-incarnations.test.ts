/**
 * Connection incarnations and crashed hosts (issue 15): a new connection on the same pair gets a fresh ISN, the
 * author can name it (`isn`/`seq` before it starts), a retransmitted SYN keeps the number the first carried, and
 * `crash A` loses A's connections without a word to its peer.
 */
import { describe, expect, test } from 'vitest';
import { compileSequence, formatLabel, formatState, narrateStates, type Timeline, WiregramError } from '@wiregram/core';

const labels = (tl: Timeline) => tl.segments.map((s) => s.label);
const statesOf = (tl: Timeline, who: string) => tl.states.filter((s) => s.participant === who).map((s) => formatState(s.to, tl.options.stateNames));
const marksOf = (tl: Timeline, i: number) => tl.segments[i]!.marks.map((m) => m.text);

/** RFC 9293 Figure 8: a reset sends the passive opener B back to LISTEN; `extra` goes before its second SYN, ACK. */
const figure8 = (isn: string, extra: string) => `participant A
participant B listen
isn ${isn}
par
  A -> B: SYN delay=3.5
and
  A -> B: SYN seq=${isn.includes('x') ? 'x0' : '90'} stale
  B -> A: SYN, ACK
  A -> B: RST
end
${extra}
B -> A: SYN, ACK
A -> B: ACK
`;

describe('a new incarnation after a reset back to LISTEN', () => {
  test('seq B=400 written before it names its ISN: seq=400, and ack=401 is acceptable', () => {
    const tl = compileSequence(figure8('A=100 B=300', 'seq B=400'));
    expect(labels(tl).slice(4)).toEqual(['SYN, ACK, seq=400, ack=101', 'ACK, seq=101, ack=401']);
    expect(marksOf(tl, 4)).toEqual([]);
    expect(marksOf(tl, 5)).toEqual([]);
    expect(tl.warnings).toEqual([]);
    expect(statesOf(tl, 'B')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
  });

  test('isn B=500 written before it does the same; without either, a fresh ISN past the old one (400)', () => {
    expect(labels(compileSequence(figure8('A=100 B=300', 'isn B=500'))).slice(4)).toEqual(['SYN, ACK, seq=500, ack=101', 'ACK, seq=101, ack=501']);
    const plain = compileSequence(figure8('A=100 B=300', ''));
    expect(labels(plain).slice(4)).toEqual(['SYN, ACK, seq=400, ack=101', 'ACK, seq=101, ack=401']);
    expect(statesOf(plain, 'B').at(-1)).toBe('ESTABLISHED');
  });

  test('symbols: the next incarnation is y2 (or the name written before it)', () => {
    expect(labels(compileSequence(figure8('A=x B=y', ''))).slice(4)).toEqual(['SYN, ACK, seq=y2, ack=x+1', 'ACK, seq=x+1, ack=y2+1']);
    expect(labels(compileSequence(figure8('A=x B=y', 'seq B=z'))).slice(4)).toEqual(['SYN, ACK, seq=z, ack=x+1', 'ACK, seq=x+1, ack=z+1']);
  });

  test('Wireshark-style relative numbers restart with the incarnation', () => {
    const tl = compileSequence(figure8('A=100 B=300', ''));
    expect(formatLabel(tl.segments[4]!, tl, 'wireshark')).toMatch(/\[SYN, ACK\] Seq=0 Ack=1 /);
    expect(formatLabel(tl.segments[5]!, tl, 'wireshark')).toMatch(/\[ACK\] Seq=1 Ack=1 /);
  });

  test('a number and a symbol do not mix across incarnations', () => {
    const e = (() => {
      try {
        compileSequence(figure8('A=100 B=300', 'isn B=z'));
      } catch (err) {
        return err as WiregramError;
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('mixed-numbering');
    expect(e.position?.start.line).toBe(11);
  });
});

describe('an active opener that opens again', () => {
  test('its new ISN lies past every number the old incarnation used', () => {
    const tl = compileSequence(`participant A
participant B
isn A=100 B=300
A -> B: SYN
B -> A: SYN, ACK
A -> B: ACK
A -> B: PSH, ACK len=150
A -> B: RST
wait 1
A -> B: SYN
`);
    // 100 + SYN + 150 bytes = 251 used; the next hundred above is 300.
    expect(tl.segments[5]!.label).toBe('SYN, seq=300');
    expect(statesOf(tl, 'B')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED', 'CLOSED', 'LISTEN', 'SYN_RCVD']);
  });
});

describe('a retransmitted SYN', () => {
  test('carries the seq the author set on the original', () => {
    const tl = compileSequence(`participant A
participant B
isn A=100
A -> B: SYN seq=400 lost
A -> B: SYN
`);
    expect(labels(tl)).toEqual(['SYN, seq=400', 'SYN, seq=400']);
    expect(tl.segments[1]!.retransmission).toBe(true);
    expect(tl.segments[1]!.retransmissionOf).toBe(0);
    // The original is the override; the retransmission repeats it and is not a second override.
    expect(tl.segments[0]!.overrides).toEqual(['seq']);
    expect(tl.segments[1]!.overrides).toEqual([]);
  });
});

describe('crash A', () => {
  const established = 'participant A\nparticipant B\nstate A=ESTABLISHED B=ESTABLISHED\nseq A=100 B=300\n';

  test('A loses its connection without sending anything; B keeps its state until a segment tells it', () => {
    const tl = compileSequence(established + 'crash A\nB -> A: ACK len=10\nA -> B: RST\n');
    expect(tl.crashes).toEqual([{ participant: 'A', at: 1, position: expect.anything() }]);
    expect(labels(tl)).toEqual(['ACK, seq=300, ack=100, len=10', 'RST, seq=100']);
    expect(statesOf(tl, 'A')).toEqual(['ESTABLISHED', 'CLOSED']);
    expect(statesOf(tl, 'B')).toEqual(['ESTABLISHED', 'CLOSED']);
    const aClosed = tl.states.find((s) => s.participant === 'A' && s.to === 'CLOSED')!;
    expect(aClosed.at).toBe(1);
    expect(aClosed.reason).toMatch(/crash/);
    // Nothing left A at the crash: the first segment is B's.
    expect(tl.segments[0]!.from).toBe('B');
  });

  test('its next OPEN is a new incarnation: a fresh ISN by default, `isn A=…` names one', () => {
    const fresh = compileSequence(established + 'crash A\nA -> B: SYN\n');
    expect(fresh.segments[0]!.label).toBe('SYN, seq=200');
    const named = compileSequence(established + 'crash A\nisn A=400\nA -> B: SYN\n');
    expect(named.segments[0]!.label).toBe('SYN, seq=400');
    expect(marksOf(named, 0)).toContain('SYN on an open connection');
  });

  test('a crashed host does not listen: a SYN finds its port closed until it listens again', () => {
    const closed = compileSequence('participant A\nparticipant B listen\nA -> B: SYN\nB -> A: SYN, ACK\nA -> B: ACK\ncrash B\nA -> B: PSH, ACK len=5\nB -> A: RST\n');
    // RFC 9293 §3.10.7.1: the reset takes its number from the segment's ACK field.
    expect(closed.segments[4]!.seq.offset).toBe(closed.segments[3]!.ack!.offset);
    expect(marksOf(closed, 4)).toContain('no such connection');
    expect(statesOf(closed, 'B')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED', 'CLOSED']);
    const knock = 'participant A\nparticipant B\nparticipant C\nA -> B: SYN\nB -> A: SYN, ACK\nA -> B: ACK\ncrash B\n';
    const refused = compileSequence(knock + 'C -> B: SYN\nB -> C: RST, ACK\n');
    expect(marksOf(refused, 4)).toContain('port closed');
    const relisten = compileSequence(knock + 'listen B\nC -> B: SYN\nB -> C: SYN, ACK\n');
    expect(statesOf(relisten, 'B').slice(-3)).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD']);
  });

  test('a crash in TIME_WAIT ends the 2MSL timer there, and nothing expires later', () => {
    const tl = compileSequence(established + 'A -> B: FIN\nB -> A: ACK\nB -> A: FIN\nA -> B: ACK\ncrash A\n');
    const tw = tl.timers.find((t) => t.kind === 'TIME_WAIT')!;
    expect(tw.expired).toBe(false);
    expect(tw.end).toBe(tl.crashes![0]!.at);
    expect(tl.states.filter((s) => s.participant === 'A' && s.reason === '2MSL expired')).toEqual([]);
  });

  test('a spoofed participant has nothing to lose', () => {
    expect(() => compileSequence('participant A spoofed\nparticipant B\ncrash A\n')).toThrow(/holds no connection/);
  });
});

describe('the order state changes are told in', () => {
  test('a change caused by a delayed segment is told at its instant, after the changes before it', () => {
    const tl = compileSequence(figure8('A=100 B=300', ''));
    const { withSegment, alone } = narrateStates(tl);
    // B's second SYN_RCVD comes from A's slow first SYN (sent at 1, arrives at 4.5, after the RST sent B back to LISTEN).
    const late = tl.states.find((s) => s.participant === 'B' && s.cause === 0)!;
    expect(late.at).toBe(4.5);
    expect(alone).toContain(late);
    expect(withSegment.get(0) ?? []).not.toContain(late);
    // The first SYN_RCVD (from the old duplicate) is still told with its segment.
    expect(withSegment.get(1)!.map((s) => s.to)).toEqual(['SYN_RCVD']);
  });
});
