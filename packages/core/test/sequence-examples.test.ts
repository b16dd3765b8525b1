/**
 * Every seed scenario in examples/*.md, simulated and checked against the numbers and states the seed texts give.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { compileSequence, formatState, parsePacketHeader, type Timeline } from '@wiregram/core';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

/** The `tcp-sequence` fenced blocks of a Markdown file, in order. */
function blocks(file: string): string[] {
  const text = readFileSync(examples + file, 'utf8');
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '```tcp-sequence') {
      const body: string[] = [];
      while (++i < lines.length && lines[i]!.trim() !== '```') body.push(lines[i]!);
      out.push(body.join('\n'));
    }
  }
  return out;
}

function compile(file: string, n = 0): Timeline {
  const b = blocks(file);
  expect(b.length).toBeGreaterThan(n);
  return compileSequence(b[n]!);
}

const labels = (tl: Timeline) => tl.segments.map((s) => s.label);
/** The states one participant goes through, in order, its initial state included. */
const statesOf = (tl: Timeline, who: string) =>
  tl.states.filter((s) => s.participant === who).map((s) => formatState(s.to, tl.options.stateNames));

describe('examples/three-way-handshake.md', () => {
  test('labels and states of the seed figure', () => {
    const tl = compile('three-way-handshake.md');
    expect(labels(tl)).toEqual(['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
    expect(tl.participants.map((p) => p.label)).toEqual(['客户端', '服务端']);
    expect(tl.dividers).toEqual([expect.objectContaining({ text: '数据传输', participants: ['client', 'server'] })]);
    expect(tl.title).toBe('TCP 三次握手');
  });
  test('flags style as seed 000 writes it, hyphenated states', () => {
    const tl = compile('three-way-handshake.md', 1);
    expect(labels(tl)).toEqual(['SYN=1, seq=x', 'SYN=1, ACK=1, seq=y, ack=x+1', 'ACK=1, seq=x+1, ack=y+1']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN-SENT', 'ESTABLISHED']);
  });
  test('wireshark style with relative numbers and real ports', () => {
    const tl = compile('three-way-handshake.md', 2);
    expect(labels(tl)).toEqual([
      '54321 → 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460',
      '80 → 54321 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0 MSS=1460',
      '54321 → 80 [ACK] Seq=1 Ack=1 Win=65535 Len=0',
    ]);
    expect(tl.segments[1]!.seq).toEqual({ symbol: null, offset: 5000, relative: 0 });
  });
});

describe('examples/four-way-wavehand.md', () => {
  test('u, v, w as the seeds write them', () => {
    const tl = compile('four-way-wavehand.md');
    expect(labels(tl).slice(3)).toEqual(['FIN, seq=u', 'ACK, seq=v, ack=u+1', 'FIN, ACK, seq=w, ack=u+1', 'ACK, seq=u+1, ack=w+1']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    const twoMsl = tl.timers.filter((t) => t.kind === 'TIME_WAIT');
    expect(twoMsl).toHaveLength(1);
    expect(twoMsl[0]).toMatchObject({ participant: 'client', label: '2MSL', expired: true, restarted: false });
    // The 2MSL bracket starts when the server's FIN arrives and ends when the client closes.
    const closed = tl.states.filter((s) => s.participant === 'client' && s.to === 'CLOSED').pop()!;
    expect(twoMsl[0]!.start).toBe(tl.segments[5]!.arrivesAt);
    expect(closed.at).toBe(twoMsl[0]!.end);
    expect(closed.at).toBe(tl.duration);
  });
  test('the seed figure: mid-connection, p and q, seq hidden on pure ACKs', () => {
    const tl = compile('four-way-wavehand.md', 1);
    expect(labels(tl)).toEqual(['FIN, seq=p', 'ACK, ack=p+1', 'FIN, ACK, seq=q, ack=p+1', 'ACK, ack=q+1']);
    expect(statesOf(tl, 'client')).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(statesOf(tl, 'server')).toEqual(['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });
});

describe('examples/four-way-wavehand.md (flags style)', () => {
  test('seed 000: FIN=1, seq=u … ACK=1, seq=u+1, ack=w+1 with RFC state names', () => {
    const tl = compile('four-way-wavehand.md', 2);
    expect(labels(tl)).toEqual(['FIN=1, seq=u', 'ACK=1, seq=v, ack=u+1', 'FIN=1, ACK=1, seq=w, ack=u+1', 'ACK=1, seq=u+1, ack=w+1']);
    expect(statesOf(tl, 'A')).toEqual(['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED']);
    expect(statesOf(tl, 'B')).toEqual(['ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
  });
});

describe('examples/data-transfer.md', () => {
  test('seq advances by len and by the UTF-8 length of a payload', () => {
    const tl = compile('data-transfer.md');
    expect(labels(tl).slice(3)).toEqual([
      'PSH, ACK, seq=x+1, ack=y+1, len=100',
      'ACK, seq=y+1, ack=x+101',
      'PSH, ACK, seq=x+101, ack=y+1, len=6',
      'PSH, ACK, seq=y+1, ack=x+107, len=200',
      'ACK, seq=x+107, ack=y+201',
    ]);
    expect(tl.segments[5]!.payload).toBe('你好');
  });
  test('numeric sequence numbers wrap around modulo 2^32', () => {
    const tl = compile('data-transfer.md', 1);
    expect(labels(tl)).toEqual([
      'SYN, seq=4294967200',
      'SYN, ACK, seq=1000, ack=4294967201',
      'ACK, seq=4294967201, ack=1001',
      'PSH, ACK, seq=4294967201, ack=1001, len=100',
      'ACK, seq=1001, ack=5',
    ]);
  });
  test('a lost segment, a dup ACK and a recognised retransmission', () => {
    const tl = compile('data-transfer.md', 2);
    const [lost, second, dup, again, ack] = tl.segments.slice(3);
    expect(lost).toMatchObject({ lost: true, label: 'PSH, ACK, seq=x+1, ack=y+1, len=100' });
    expect(lost!.arrivesAt).toBeLessThan(second!.arrivesAt);
    expect(second!.sentAt).toBe(lost!.sentAt);
    expect(second!.label).toBe('PSH, ACK, seq=x+101, ack=y+1, len=100');
    expect(dup!.label).toBe('ACK, seq=y+1, ack=x+1');
    expect(dup!.marks.map((m) => m.kind)).toContain('duplicate-ack');
    expect(again).toMatchObject({ retransmission: true, retransmissionOf: lost!.index, label: 'PSH, ACK, seq=x+1, ack=y+1, len=100' });
    expect(ack!.label).toBe('ACK, seq=y+1, ack=x+201');
    expect(tl.timers).toEqual([expect.objectContaining({ kind: 'RTO', participant: 'client', start: lost!.sentAt, end: again!.sentAt })]);
  });
});

describe('examples/lost-last-ack.md', () => {
  test('the server resends its FIN and the client restarts 2MSL', () => {
    const tl = compile('lost-last-ack.md');
    expect(labels(tl)).toEqual([
      'FIN, ACK, seq=u, ack=v',
      'ACK, seq=v, ack=u+1',
      'FIN, ACK, seq=w, ack=u+1',
      'ACK, seq=u+1, ack=w+1',
      'FIN, ACK, seq=w, ack=u+1',
      'ACK, seq=u+1, ack=w+1',
    ]);
    const s = tl.segments;
    expect(s[3]!.lost).toBe(true);
    expect(s[4]).toMatchObject({ retransmission: true, retransmissionOf: 2 });
    expect(s[5]).toMatchObject({ retransmission: true, lost: false });
    const tw = tl.timers.filter((t) => t.kind === 'TIME_WAIT');
    expect(tw).toHaveLength(2);
    expect(tw[0]).toMatchObject({ restarted: false, expired: false, end: s[4]!.arrivesAt });
    expect(tw[1]).toMatchObject({ restarted: true, expired: true, start: s[4]!.arrivesAt });
    expect(tl.timers.find((t) => t.kind === 'RTO')).toMatchObject({ participant: 'server', start: s[2]!.sentAt, end: s[4]!.sentAt });
    expect(statesOf(tl, 'client')).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(statesOf(tl, 'server')).toEqual(['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    const serverClosed = tl.states.find((x) => x.participant === 'server' && x.to === 'CLOSED')!;
    expect(serverClosed.at).toBe(s[5]!.arrivesAt);
  });
});

describe('examples/fin-after-time-wait.md', () => {
  test('a FIN arriving after TIME_WAIT is answered with RST', () => {
    const tl = compile('fin-after-time-wait.md');
    const s = tl.segments;
    expect(s[4]).toMatchObject({ retransmission: true, label: 'FIN, ACK, seq=w, ack=u+1' });
    expect(s[5]!.label).toBe('RST, seq=u+1');
    const clientClosed = tl.states.find((x) => x.participant === 'client' && x.to === 'CLOSED')!;
    expect(clientClosed.reason).toBe('2MSL expired');
    expect(clientClosed.at).toBeLessThan(s[4]!.arrivesAt);
    expect(statesOf(tl, 'server')).toEqual(['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(tl.states.at(-1)).toMatchObject({ participant: 'server', to: 'CLOSED', cause: 5 });
  });
});

describe('examples/history-connection.md', () => {
  test('old SYN seq=90 → SYN, ACK ack=91 → RST seq=91, then the new handshake', () => {
    const tl = compile('history-connection.md');
    expect(labels(tl)).toEqual([
      'SYN, seq=100',
      'SYN, seq=90',
      'SYN, ACK, seq=300, ack=91',
      'RST, seq=91',
      // After the reset the server's connection is a new incarnation with a fresh ISN (RFC 9293 Figure 8: 400, 401).
      'SYN, ACK, seq=400, ack=101',
      'ACK, seq=101, ack=401',
    ]);
    expect(tl.segments[1]!.marks.map((m) => m.kind)).toContain('stale');
    // the stale SYN overtakes the new one
    expect(tl.segments[1]!.arrivesAt).toBeLessThan(tl.segments[0]!.arrivesAt);
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
  });
});

describe('examples/two-way-handshake.md', () => {
  test('the delayed SYN makes a redundant connection', () => {
    const tl = compile('two-way-handshake.md');
    expect(labels(tl)).toEqual(['SYN, seq=x', 'SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'SYN, ACK, seq=y, ack=x+1']);
    expect(tl.segments[1]!.retransmission).toBe(true);
    expect(tl.segments[0]!.marks.map((m) => m.text)).toContain('redundant connection');
    expect(tl.warnings.map((w) => w.code)).toContain('redundant-connection');
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'ESTABLISHED']);
  });
});

describe('examples/syn-flood.md', () => {
  test('spoofed SYNs fill the SYN queue; the real client is dropped', () => {
    const tl = compile('syn-flood.md');
    expect(tl.participants.map((p) => p.id)).toEqual(['a1', 'a2', 'a3', 'server', 'client']);
    expect(labels(tl)).toEqual([
      'SYN, seq=a',
      'SYN, seq=b',
      'SYN, seq=c',
      // one ISN per half-open connection: s1, s2, s3 from `isn server=s`
      'SYN, ACK, seq=s1, ack=a+1',
      'SYN, ACK, seq=s2, ack=b+1',
      'SYN, ACK, seq=s3, ack=c+1',
      'SYN, seq=x',
    ]);
    expect(tl.segments.slice(0, 3).every((s) => s.marks.some((m) => m.kind === 'spoofed'))).toBe(true);
    expect(tl.segments[6]!.marks).toContainEqual({ kind: 'dropped', text: 'SYN queue full' });
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT']);
    expect(tl.states.some((s) => s.participant.startsWith('a'))).toBe(false);
  });
});

describe('examples/server-reset.md', () => {
  test('the server aborts with RST; nobody waits in TIME_WAIT', () => {
    const tl = compile('server-reset.md');
    expect(labels(tl).at(-1)).toBe('RST, ACK, seq=y+1461, ack=x+78');
    expect(statesOf(tl, 'server').slice(-2)).toEqual(['ESTABLISHED', 'CLOSED']);
    expect(statesOf(tl, 'client').slice(-2)).toEqual(['ESTABLISHED', 'CLOSED']);
    expect(tl.timers).toEqual([]);
  });
});

describe('examples/server-reset.md (wavehand ending in RST)', () => {
  test('FIN_WAIT_2 → CLOSED on the RST, no TIME_WAIT, Wireshark labels', () => {
    const tl = compile('server-reset.md', 1);
    expect(labels(tl)).toEqual([
      '51234 → 80 [FIN, ACK] Seq=0 Ack=0 Win=65535 Len=0',
      '80 → 51234 [ACK] Seq=0 Ack=1 Win=65535 Len=0',
      '80 → 51234 [RST, ACK] Seq=0 Ack=1 Win=65535 Len=0',
    ]);
    expect(statesOf(tl, 'client')).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSED']);
    expect(statesOf(tl, 'server')).toEqual(['ESTABLISHED', 'CLOSE_WAIT', 'CLOSED']);
    expect(tl.timers).toEqual([]);
  });
});

describe('examples/keepalive.md', () => {
  test('probes carry seq = SND.NXT - 1 and are answered', () => {
    const tl = compile('keepalive.md');
    expect(labels(tl).slice(3)).toEqual(['ACK, seq=x, ack=y+1', 'ACK, seq=y+1, ack=x+1', 'ACK, seq=x, ack=y+1', 'ACK, seq=y+1, ack=x+1']);
    expect(tl.segments[3]!.marks.map((m) => m.kind)).toEqual(['keepalive']);
    expect(tl.segments[4]!.marks.map((m) => m.kind)).toEqual(['keepalive-ack']);
    const ka = tl.timers.filter((t) => t.kind === 'keepalive');
    expect(ka).toHaveLength(2);
    expect(ka[0]!.end).toBe(tl.segments[3]!.sentAt);
    expect(ka[1]!.start).toBe(tl.segments[4]!.arrivesAt);
  });
});

describe('examples/keepalive.md (wall-clock idle)', () => {
  test('wait 7200s: a compressed gap whose keepalive bracket says 7200 s', () => {
    const tl = compile('keepalive.md', 1);
    expect(labels(tl).slice(3)).toEqual(['ACK, seq=x, ack=y+1', 'ACK, seq=y+1, ack=x+1', 'ACK, seq=x, ack=y+1', 'ACK, seq=y+1, ack=x+1']);
    const ka = tl.timers.filter((t) => t.kind === 'keepalive');
    expect(ka.map((t) => t.label)).toEqual(['keepalive 7200 s', 'keepalive 75 s']);
    expect(ka[0]!.end).toBe(tl.segments[3]!.sentAt);
    // compressed, not to scale: longer than the 75 s gap, far shorter than 7200/75 times it
    const g1 = tl.segments[3]!.sentAt - tl.segments[2]!.arrivesAt;
    const g2 = tl.segments[5]!.sentAt - tl.segments[4]!.arrivesAt;
    expect(g1).toBeGreaterThan(g2);
    expect(g1 / g2).toBeLessThan(3);
    expect(tl.timers.filter((t) => t.kind === 'custom')).toEqual([]);
  });
});

describe('examples/four-way-handshake.md', () => {
  test('seed 000 原因二: ACK and SYN sent separately', () => {
    const tl = compile('four-way-handshake.md');
    expect(labels(tl)).toEqual(['SYN, seq=x', 'ACK, ack=x+1', 'SYN, seq=y', 'ACK, seq=x+1, ack=y+1']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
    // the client is established when the server's SYN arrives (its own SYN was already acknowledged)
    const est = tl.states.find((x) => x.participant === 'client' && x.to === 'ESTABLISHED')!;
    expect(est.cause).toBe(2);
    expect(est.at).toBe(tl.segments[2]!.arrivesAt);
    const srv = tl.states.find((x) => x.participant === 'server' && x.to === 'ESTABLISHED')!;
    expect(srv.cause).toBe(3);
    expect(tl.warnings).toEqual([]);
    expect(tl.segments.flatMap((s) => s.marks)).toEqual([]);
  });
  test('merging steps 2 and 3 gives the three-way handshake', () => {
    const tl = compile('four-way-handshake.md', 1);
    expect(labels(tl)).toEqual(['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']);
  });
});

describe('examples/old-duplicate-segment.md', () => {
  test('seed 004 包序号问题: with ISN 0 the old, delayed 3 is taken as the next packet', () => {
    const tl = compile('old-duplicate-segment.md');
    const l = labels(tl);
    expect(l.slice(0, 10)).toEqual([
      'SYN, seq=0',
      'SYN, ACK, seq=0, ack=1',
      'ACK, seq=1, ack=1',
      'PSH, ACK, seq=1, ack=1, len=1',
      'PSH, ACK, seq=2, ack=1, len=1',
      'ACK, seq=1, ack=3',
      'PSH, ACK, seq=3, ack=1, len=1',
      'PSH, ACK, seq=3, ack=1, len=1',
      'ACK, seq=1, ack=4',
      'RST, seq=4',
    ]);
    // the new connection starts from the same numbers and sends only 1 and 2 …
    expect(l.slice(10, 15)).toEqual(['SYN, seq=0', 'SYN, ACK, seq=0, ack=1', 'ACK, seq=1, ack=1', 'PSH, ACK, seq=1, ack=1, len=1', 'PSH, ACK, seq=2, ack=1, len=1']);
    // … but the old 3 arrives last and the server acknowledges it: ack=4, more than the new connection sent
    const old = tl.segments[6]!;
    expect(old.payload).toBe('3');
    expect(old.arrivesAt).toBeGreaterThan(tl.segments[14]!.arrivesAt);
    expect(tl.segments[7]).toMatchObject({ retransmission: true, retransmissionOf: 6 });
    const last = tl.segments.at(-1)!;
    expect(last.label).toBe('ACK, seq=1, ack=4');
    expect(last.marks.map((m) => m.text)).toContain('acknowledges unsent data');
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED', 'CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'CLOSED', 'SYN_SENT', 'ESTABLISHED']);
  });
  test('random ISNs: the old segment (seq=v+1) falls outside the new window', () => {
    const tl = compile('old-duplicate-segment.md', 1);
    expect(labels(tl)).toEqual(['PSH, ACK, seq=v+1, ack=u+1, len=100', 'SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']);
    expect(tl.segments[0]!.marks.map((m) => m.kind)).toEqual(['stale', 'out-of-window']);
    expect(tl.segments[0]!.arrivesAt).toBeGreaterThan(tl.segments[3]!.arrivesAt);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
  });
  test('TIME_WAIT reason two: the delayed copy arrives during 2MSL and is discarded', () => {
    const tl = compile('old-duplicate-segment.md', 2);
    expect(labels(tl)).toEqual([
      'PSH, ACK, seq=v, ack=u, len=100',
      'PSH, ACK, seq=v, ack=u, len=100',
      'ACK, seq=u, ack=v+100',
      'FIN, seq=u',
      'ACK, seq=v+100, ack=u+1',
      'FIN, seq=v+100',
      'ACK, seq=u+1, ack=v+101',
    ]);
    const [late, again] = tl.segments;
    expect(again).toMatchObject({ retransmission: true, retransmissionOf: 0 });
    expect(late!.marks.map((m) => m.text)).toEqual(['old duplicate: discarded']);
    const tw = tl.timers.find((t) => t.kind === 'TIME_WAIT')!;
    expect(late!.arrivesAt).toBeGreaterThan(tw.start);
    expect(late!.arrivesAt).toBeLessThan(tw.end);
    expect(statesOf(tl, 'client')).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
  });
});

describe('examples/tcp-header.md', () => {
  const headerBlocks = (): string[] => {
    const lines = readFileSync(examples + 'tcp-header.md', 'utf8').split('\n');
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() !== '```packet-header') continue;
      const body: string[] = [];
      while (++i < lines.length && lines[i]!.trim() !== '```') body.push(lines[i]!);
      out.push(body.join('\n'));
    }
    return out;
  };
  test('the seed 004 figure: Chinese field names, 6 reserved bits, URG…FIN', () => {
    const [seed, rfc793, rfc9293, decoded] = headerBlocks().map((b) => parsePacketHeader(b));
    expect(seed!.title).toBe('TCP 包头示意图');
    expect(seed!.fields.map((f) => f.name)).toEqual([
      '源端口号（16 位）', '目的端口号（16 位）', '序号（32 位）', '确认序号（32 位）', '首部长度（4 位）', '保留（6 位）',
      'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN', '窗口大小（16 位）', '校验和（16 位）', '紧急指针（16 位）', '选项', '数据',
    ]);
    expect(seed!.fields.filter((f) => f.kind === 'flag')).toHaveLength(6);
    expect(seed!.warnings).toEqual([]);
    // the built-in RFC 793 layout has the same widths, field for field
    expect(rfc793!.fields.map((f) => [f.bits, f.kind])).toEqual(seed!.fields.map((f) => [f.bits, f.kind]));
    expect(rfc9293!.fields.map((f) => f.short)).toContain('CWR');
    const v = (name: string) => decoded!.fields.find((f) => f.short === name)?.value;
    expect([v('Src Port'), v('Dst Port'), v('Seq'), v('DOff'), v('SYN'), v('ACK'), v('Window')]).toEqual(['8080', '54321', '1', '20 bytes (5)', 'Set', 'Not set', '64240']);
  });
});

describe('examples/half-close.md', () => {
  test('data flows from CLOSE_WAIT; the FIN then reads seq=w', () => {
    const tl = compile('half-close.md');
    expect(labels(tl)).toEqual([
      'FIN, ACK, seq=u, ack=v',
      'ACK, seq=v, ack=u+1',
      'PSH, ACK, seq=v, ack=u+1, len=100',
      'ACK, seq=u+1, ack=v+100',
      'FIN, ACK, seq=w, ack=u+1',
      'ACK, seq=u+1, ack=w+1',
    ]);
    const during = tl.states.filter((s) => s.participant === 'server' && s.at <= tl.segments[2]!.sentAt).at(-1);
    expect(during!.to).toBe('CLOSE_WAIT');
    expect(tl.notes[0]).toMatchObject({ text: '半关闭：服务端仍可发送', participants: ['server'], placement: 'over' });
  });
});

describe('examples/simultaneous-open.md', () => {
  test('RFC 9293 figure 8', () => {
    const tl = compile('simultaneous-open.md');
    expect(labels(tl)).toEqual(['SYN, seq=100', 'SYN, seq=300', 'SYN, ACK, seq=100, ack=301', 'SYN, ACK, seq=300, ack=101']);
    for (const who of ['a', 'b']) expect(statesOf(tl, who)).toEqual(['CLOSED', 'SYN_SENT', 'SYN_RCVD', 'ESTABLISHED']);
    // crossing arrows: sent at the same instant in opposite directions
    expect(tl.segments[0]!.sentAt).toBe(tl.segments[1]!.sentAt);
  });
});

describe('examples/simultaneous-close.md', () => {
  test('RFC 9293 figure 13: CLOSING on both sides, then TIME_WAIT on both', () => {
    const tl = compile('simultaneous-close.md');
    expect(labels(tl)).toEqual(['FIN, ACK, seq=100, ack=300', 'FIN, ACK, seq=300, ack=100', 'ACK, seq=101, ack=301', 'ACK, seq=301, ack=101']);
    for (const who of ['a', 'b']) expect(statesOf(tl, who)).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT', 'CLOSED']);
    expect(tl.timers.filter((t) => t.kind === 'TIME_WAIT').map((t) => t.participant).sort()).toEqual(['a', 'b']);
  });
});

test('every example block of every seed scenario compiles', () => {
  const files = [
    'three-way-handshake.md', 'four-way-wavehand.md', 'data-transfer.md', 'lost-last-ack.md', 'fin-after-time-wait.md',
    'history-connection.md', 'two-way-handshake.md', 'syn-flood.md', 'server-reset.md', 'keepalive.md', 'half-close.md',
    'simultaneous-open.md', 'simultaneous-close.md',
  ];
  for (const f of files) for (const b of blocks(f)) expect(compileSequence(b).segments.length).toBeGreaterThan(0);
});

test('every example in docs/language.md compiles (the capture one needs a host)', () => {
  const text = readFileSync(fileURLToPath(new URL('../../../docs/language.md', import.meta.url)), 'utf8');
  const lines = text.split('\n');
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```tcp-sequence') continue;
    const body: string[] = [];
    while (++i < lines.length && lines[i]!.trim() !== '```') body.push(lines[i]!);
    const src = body.join('\n');
    count++;
    if (src.includes('capture ')) {
      expect(() => compileSequence(src)).toThrow(/no file access|cannot read captures/);
      continue;
    }
    const tl = compileSequence(src);
    expect(tl.segments.length, src).toBeGreaterThan(0);
  }
  expect(count).toBeGreaterThanOrEqual(18);
});
