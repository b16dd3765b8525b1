/** Bad input: every rule the protocol enforces, with the message, position, expectation and hint users see. */
import { describe, expect, test } from 'vitest';
import { compileSequence, formatCodeFrame, parseSequence, WiregramError } from '@wiregram/core';

function failure(source: string): WiregramError {
  try {
    compileSequence(source);
  } catch (e) {
    expect(e).toBeInstanceOf(WiregramError);
    return e as WiregramError;
  }
  throw new Error('expected a WiregramError');
}

const HEAD = 'participant client\nparticipant server\n';
const HS = HEAD + 'client -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';

describe('protocol rules', () => {
  test('data before the handshake has finished', () => {
    const e = failure(HEAD + 'client -> server: SYN\nclient -> server: PSH, ACK len=100\n');
    expect(e.message).toBe('line 4, col 1: client cannot send data in SYN_SENT — the handshake has not finished');
    expect(e).toMatchObject({ code: 'data-before-handshake', line: 4, column: 1 });
    expect(e.hint).toContain('send the ACK first');
    expect(e.expected).toBe("server -> client: SYN, ACK first");
  });
  test('data from a server still in SYN_RCVD', () => {
    const e = failure(HEAD + 'client -> server: SYN\nserver -> client: SYN, ACK\nserver -> client: PSH, ACK len=5\n');
    expect(e.message).toBe('line 5, col 1: server cannot send data in SYN_RCVD — the handshake has not finished');
  });
  test('a FIN from CLOSED', () => {
    const e = failure(HEAD + 'client -> server: FIN\n');
    expect(e.message).toBe('line 3, col 1: client cannot send FIN in CLOSED — there is no connection to close');
    expect(e.code).toBe('fin-from-closed');
    expect(e.hint).toBe('open the connection first: client -> server: SYN');
  });
  test('an ACK of bytes never sent', () => {
    const e = failure('participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK, ack=y+500\n');
    expect(e).toMatchObject({ code: 'ack-unsent', line: 6, column: 28 });
    expect(e.reason).toBe('client acknowledges y+500, but server has only sent up to y+1');
    expect(e.hint).toContain('ack=y+500!');
    // forced with `!`: drawn, marked as acknowledging what nobody saw sent (Wireshark's "ACKed unseen segment"),
    // and the receiver flags it
    const tl = compileSequence('participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK, ack=y+500!\n');
    const s = tl.segments[2]!;
    expect(s.label).toBe('ACK, seq=x+1, ack=y+500');
    expect(s.overrides).toEqual(['ack']);
    expect(s.marks.map((m) => m.kind)).toEqual(['acked-unseen', 'override', 'out-of-window']);
  });
  test('ACK before the SYN, ACK arrived', () => {
    const e = failure(HEAD + 'client -> server: SYN\nclient -> server: ACK\n');
    expect(e.message).toBe("line 4, col 1: client cannot send ACK in SYN_SENT — it has not received server's SYN yet");
  });
  test('SYN, ACK without a SYN', () => {
    const e = failure(HEAD + 'server -> client: SYN, ACK\n');
    expect(e.message).toBe('line 3, col 1: server cannot send SYN, ACK in CLOSED — it has not received a SYN');
    expect(e.hint).toBe('let client send SYN first; a SYN, ACK answers it');
  });
  test('SYN on an open connection', () => {
    expect(failure(HS + 'client -> server: SYN\n').message).toBe('line 6, col 1: client cannot send SYN in ESTABLISHED — the connection is already open');
  });
  test('data after the FIN', () => {
    const e = failure(HS + 'client -> server: FIN, ACK\nclient -> server: PSH, ACK len=1\n');
    expect(e.message).toBe('line 7, col 1: client cannot send data in FIN_WAIT_1 — it has already sent its FIN');
    expect(e.hint).toBe('send the data before the FIN');
  });
  test('a second FIN once the first was acknowledged', () => {
    const e = failure(HS + 'client -> server: FIN, ACK\nserver -> client: ACK\nclient -> server: FIN, ACK\n');
    expect(e.code).toBe('fin-in-state');
    expect(e.line).toBe(8);
  });
  test('RST with nothing to reset', () => {
    expect(failure(HEAD + 'client -> server: RST\n').code).toBe('rst-without-connection');
  });
  test('a timeout with nothing outstanding', () => {
    expect(failure(HS + 'timeout client\n')).toMatchObject({ code: 'nothing-to-time-out', line: 6, column: 9 });
  });
  test('a stale segment without its old number', () => {
    expect(failure(HEAD + 'client -> server: SYN stale\n').code).toBe('stale-needs-seq');
  });
  test('symbols and numbers mixed in one space', () => {
    expect(failure(HEAD + 'isn client=x\nclient -> server: SYN seq=5\n')).toMatchObject({ code: 'mixed-numbering', line: 4, column: 27 });
  });
});

describe('force: drawn although the protocol forbids it', () => {
  test('data in SYN_SENT with force is drawn, marked and warned about', () => {
    const tl = compileSequence('participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nclient -> server: PSH, ACK len=10 force\n');
    const s = tl.segments[1]!;
    expect(s.label).toBe('PSH, ACK, seq=x+1, ack=y, len=10');
    expect(s.marks).toEqual([
      { kind: 'override', text: 'forced: client cannot send data in SYN_SENT — the handshake has not finished' },
      // and the server, in SYN_RCVD, finds ack=y unacceptable
      { kind: 'out-of-window', text: 'unacceptable ACK' },
    ]);
    expect(tl.warnings[0]).toMatchObject({ code: 'forced', message: 'line 5, col 1: drawn although client cannot send data in SYN_SENT — the handshake has not finished' });
    expect(tl.states.filter((x) => x.participant === 'client').map((x) => x.to)).toEqual(['CLOSED', 'SYN_SENT']);
  });
  test('a FIN from CLOSED with force', () => {
    const tl = compileSequence(HEAD + 'client -> server: FIN force\n');
    expect(tl.segments[0]!.label).toBe('FIN, seq=0');
    expect(tl.segments[0]!.marks[0]!.kind).toBe('override');
  });
});

describe('language errors', () => {
  test('unknown statement, with a suggestion', () => {
    const e = failure('participnt client\n');
    expect(e).toMatchObject({ code: 'unknown-statement', line: 1, column: 1, hint: 'did you mean "participant"?' });
    expect(e.reason).toBe('unknown statement "participnt"');
  });
  test('unknown participant', () => {
    const e = failure(HEAD + 'client -> sever: SYN\n');
    expect(e).toMatchObject({ code: 'unknown-participant', line: 3, column: 11, expected: 'one of client, server', hint: 'declare it first: participant sever' });
  });
  test('unknown flag, with a suggestion', () => {
    const e = failure(HEAD + 'client -> server: SYNN\n');
    expect(e).toMatchObject({ code: 'unknown-word', line: 3, column: 19, hint: 'did you mean SYN?' });
  });
  test('malformed numbers', () => {
    expect(failure(HEAD + 'client -> server: SYN len=1O0\n')).toMatchObject({ code: 'malformed-number', line: 3, column: 27 });
    expect(failure('isn client=99999999999\n')).toMatchObject({ code: 'number-too-large', line: 1, column: 12 });
    expect(failure(HEAD + 'client -> server: SYN seq=x+\n')).toMatchObject({ code: 'malformed-number', line: 3 });
    expect(failure('wait 2xyz\n').code).toBe('malformed-number');
  });
  test('missing colon and missing flags', () => {
    expect(failure(HEAD + 'client -> server SYN\n').code).toBe('syntax');
    expect(failure(HEAD + 'client -> server:\n').code).toBe('missing-flags');
  });
  test('an unterminated string', () => {
    expect(failure(HEAD + 'client -> server: PSH "abc\n')).toMatchObject({ code: 'unterminated-string', line: 3, column: 23 });
  });
  test('par without end, and end without par', () => {
    expect(failure('par\nclient -> server: SYN\n')).toMatchObject({ code: 'unclosed-par', line: 1 });
    expect(failure('end\n')).toMatchObject({ code: 'syntax', line: 1 });
  });
  test('bad option values', () => {
    const e = failure('option labels=fancy\n');
    expect(e).toMatchObject({ code: 'bad-option', line: 1, column: 8 });
    expect(e.expected).toBe('labels=textbook | flags | wireshark');
  });
  test('a header for a segment that does not exist', () => {
    expect(failure(HS + 'header 9\n')).toMatchObject({ code: 'bad-header', line: 6 });
  });
  test('capture without a host that reads files', () => {
    const e = failure('capture ./trace.pcap stream 0\n');
    expect(['capture-unavailable']).toContain(e.code);
    expect(e.line).toBe(1);
  });
  test('capture mixed with segments', () => {
    expect(failure(HEAD + 'client -> server: SYN\ncapture ./trace.pcap\n').code).toBe('capture-mixed');
  });
  test('the code frame shows the line, a caret and the hint', () => {
    const src = HEAD + 'client -> server: SYN\nclient -> server: PSH, ACK len=100\n';
    const frame = formatCodeFrame(failure(src), src, { filename: 'x.md' });
    expect(frame).toContain('x.md:4:1 error client cannot send data in SYN_SENT');
    expect(frame).toContain('> 4 | client -> server: PSH, ACK len=100');
    expect(frame).toContain('hint: ');
  });
});

describe('limits', () => {
  test('at most 10,000 segments', () => {
    const lines = [HS];
    for (let i = 0; i < 10_000; i++) lines.push('client -> server: PSH, ACK len=1');
    const e = failure(lines.join('\n'));
    expect(e.code).toBe('too-many-segments');
    expect(e.line).toBe(7 + 10_000 - 3); // HS ends with a newline, so line 6 is blank
    expect(e.reason).toBe('more than 10000 segments in one diagram');
  });
  test('a line that is far too long', () => {
    const e = failure('title ' + 'x'.repeat(5000));
    expect(e).toMatchObject({ code: 'line-too-long', line: 1 });
  });
  test('too many lines', () => {
    expect(failure('\n'.repeat(70_000)).code).toBe('too-many-lines');
  });
  test('absurd lengths and windows', () => {
    expect(failure(HS + 'client -> server: PSH, ACK len=99999999999\n').code).toBe('number-too-large');
    expect(failure(HS + 'client -> server: ACK win=99999999999\n').code).toBe('number-too-large');
  });
  test('non-string input', () => {
    expect(() => parseSequence(42 as unknown as string)).toThrow(WiregramError);
  });
});

describe('every error code, with its message', () => {
  const H = 'participant client\nparticipant server\n';
  const E = H + 'state client=ESTABLISHED server=ESTABLISHED\n';
  const cases: Array<[string, string, string, number]> = [
    [H + 'client -> server: SYN\nclient -> server: ACK\n', 'ack-before-synack', "client cannot send ACK in SYN_SENT — it has not received server's SYN yet", 4],
    [E + 'client -> server: PSH len=1 ack=0\n', 'ack-without-flag', 'ack=0 on a segment without the ACK flag', 4],
    [H + 'client -> server: SYN, RST\n', 'bad-flags', 'SYN and RST together make no sense', 3],
    [E + 'client -> server: keepalive len=2\n', 'bad-keepalive', 'a keep-alive probe carries at most one byte', 4],
    [E + 'listen client\n', 'bad-listen', 'client cannot listen in ESTABLISHED — it is busy with a connection', 4],
    [E + 'client -> server: SYN, ACK\n', 'bad-syn', 'client cannot send SYN, ACK in ESTABLISHED — the connection is already synchronised', 4],
    [E + 'client -> server: FIN, ACK\nclient -> server: PSH, ACK len=1\n', 'data-after-fin', 'client cannot send data in FIN_WAIT_1 — it has already sent its FIN', 5],
    [E + 'client -> server: ACK seq=1 seq=2\n', 'duplicate-attribute', 'seq is given twice', 4],
    [H + 'participant client\n', 'duplicate-participant', 'participant "client" is declared twice', 3],
    [E + 'client -> server: PSH "a" "b"\n', 'duplicate-payload', 'a segment carries one payload', 4],
    [H + 'client -> server: SYN\nisn client=x+1\n', 'syntax', 'an ISN is a plain symbol or number, not "x+1"', 4],
    [H + 'client -> server: SYN\nserver -> client: RST, ACK\nseq client=u+1\n', 'syntax', 'the ISN of client\'s next connection is a plain symbol or number, not "u+1"', 5],
    [E + 'client -> server: PSH, ACK "abc" len=4\n', 'len-mismatch', 'len=4 but the payload is 3 bytes', 4],
    [E + 'client -> server: SYN\n', 'syn-in-state', 'client cannot send SYN in ESTABLISHED — the connection is already open', 4],
    [H + 'server -> client: SYN, ACK\n', 'synack-without-syn', 'server cannot send SYN, ACK in CLOSED — it has not received a SYN', 3],
    [H + 'client -> client: SYN\n', 'self-segment', 'client cannot send a segment to itself', 3],
    [H + 'client -> server: SYN\nstate client=LISTEN\n', 'state-after-start', 'state for client comes after its first segment', 4],
    ['par\n'.repeat(17) + 'end\n'.repeat(17), 'too-deep', 'par blocks nest at most 16 deep', 17],
    [E + 'wait 999999\nwait 2\n', 'too-long', 'the diagram runs for too long', 5],
    [Array.from({ length: 101 }, (_, i) => `participant p${i}`).join('\n'), 'too-many-participants', 'more than 100 participants', 101],
    ['state client=SYN_SEND\n', 'unknown-state', '"SYN_SEND" is not a TCP state', 1],
    [H + 'client -> server: RST\n', 'rst-without-connection', 'client cannot send RST in CLOSED — nothing arrived that it could reset', 3],
    [H + 'client -> server: FIN\n', 'fin-from-closed', 'client cannot send FIN in CLOSED — there is no connection to close', 3],
    [H + 'client -> server: ACK\n', 'no-connection', 'client cannot send ACK in CLOSED — there is no connection', 3],
    [H + 'listen server\nserver -> client: PSH, ACK len=1\n', 'no-connection', 'server cannot send data in LISTEN — there is no connection yet', 4],
  ];
  for (const [src, code, reason, line] of cases) {
    test(`${code}: ${reason}`, () => {
      const e = failure(src);
      expect(e.code).toBe(code);
      expect(e.reason).toBe(reason);
      expect(e.line).toBe(line);
      expect(e.column).toBeGreaterThanOrEqual(1);
      expect(e.expected ?? e.hint).toBeTruthy();
    });
  }
  test('the state suggestion for a misspelt state', () => {
    expect(failure('state client=SYN_SEND\n').hint).toBe('did you mean SYN_SENT?');
  });
});

test('a misspelt option is stopped; unknown others are kept for layouts', () => {
  const e = failure('option lables=flags\n');
  expect(e).toMatchObject({ code: 'unknown-option', line: 1, column: 8, hint: 'did you mean labels?' });
  expect(compileSequence('option theme=dark\na -> b: SYN\n').options.extra).toEqual({ theme: 'dark' });
});
