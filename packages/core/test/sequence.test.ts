/** The tcp-sequence parser and engine: positions, numbers, RST in every state, timers, concurrency, options. */
import { describe, expect, test } from 'vitest';
import { compileSequence, formatLabel, formatSeq, formatState, parseSequence, type Timeline } from '@wiregram/core';

const HEAD = 'participant client\nparticipant server\nisn client=x server=y\n';
const HS = HEAD + 'client -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
const EST = 'participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\n';
const labels = (tl: Timeline) => tl.segments.map((s) => s.label);
const last = (tl: Timeline, who: string) => tl.states.filter((s) => s.participant === who).at(-1)!;
const statesOf = (tl: Timeline, who: string) => tl.states.filter((s) => s.participant === who).map((s) => s.to);

describe('parser', () => {
  test('every node carries a position whose offsets cut out its own text', () => {
    const src = 'title T\nparticipant client as 客户端\nparticipant server\nisn client=x server=y\n\nclient -> server: SYN, ACK seq=x+1 "hi"\nNote over client,server: 注\npar\n  client -> server: FIN\nand\n  server -> client: FIN\nend\n';
    const doc = parseSequence(src);
    let nodes = 0;
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(walk);
      const n = node as Record<string, unknown>;
      if ('type' in n && typeof n.type === 'string') {
        nodes++;
        const p = n.position as { start: { line: number; column: number; offset: number }; end: { offset: number } };
        expect(p, String(n.type)).toBeDefined();
        expect(p.start.line).toBeGreaterThanOrEqual(1);
        expect(p.end.offset).toBeGreaterThanOrEqual(p.start.offset);
        if (n.type === 'word' && !String(src.slice(p.start.offset, p.end.offset)).startsWith('"')) expect(src.slice(p.start.offset, p.end.offset)).toBe(n.value);
      }
      for (const [k, v] of Object.entries(n)) if (k !== 'position') walk(v);
    };
    walk(doc);
    expect(nodes).toBeGreaterThan(20);
    const seg = doc.statements[4]!;
    expect(seg).toMatchObject({ type: 'segment', arrow: '->', payload: { value: 'hi' } });
    expect(seg.position.start).toEqual({ line: 6, column: 1, offset: src.indexOf('client -> server: SYN, ACK') });
    if (seg.type === 'segment') {
      expect(seg.flags.map((f) => f.flag)).toEqual(['SYN', 'ACK']);
      expect(seg.attributes[0]).toMatchObject({ key: 'seq', value: { symbol: 'x', offset: 1, forced: false } });
      expect(seg.attributes[0]!.position.start.column).toBe(28);
    }
    expect(doc.statements[6]).toMatchObject({ type: 'par', branches: [[{ type: 'segment' }], [{ type: 'segment' }]] });
  });
  test('Mermaid spellings: sequenceDiagram, ->>, Note, %% comments, full-width colon', () => {
    const tl = compileSequence('sequenceDiagram\n%% comment\nparticipant client\nparticipant server\nclient ->> server：SYN\nNote over client: 注 # not a comment? it is\nserver -->> client: SYN, ACK\n');
    expect(labels(tl)).toEqual(['SYN, seq=0', 'SYN, ACK, seq=0, ack=1']);
    expect(tl.notes[0]!.text).toBe('注');
  });
  test('CRLF line endings and a # inside quotes', () => {
    const tl = compileSequence('participant a\r\nparticipant b\r\na -> b: SYN note="#1 first"\r\n');
    expect(tl.segments[0]!.note).toBe('#1 first');
    expect(tl.segments[0]!.position!.start.line).toBe(3);
  });
  test('without declarations participants appear as used', () => {
    expect(compileSequence('a -> b: SYN\nb -> a: SYN, ACK').participants.map((p) => p.id)).toEqual(['a', 'b']);
  });
});

describe('numbers', () => {
  test('formatSeq and formatState', () => {
    expect(formatSeq({ symbol: 'x', offset: 0, relative: 0 })).toBe('x');
    expect(formatSeq({ symbol: 'x', offset: 1, relative: 1 })).toBe('x+1');
    expect(formatSeq({ symbol: 'u', offset: -2, relative: 5 })).toBe('u-2');
    expect(formatSeq({ symbol: null, offset: 4294967295, relative: 10 })).toBe('4294967295');
    expect(formatSeq({ symbol: null, offset: 4294967295, relative: 10 }, 'relative')).toBe('10');
    expect(formatState('SYN_SENT', 'hyphen')).toBe('SYN-SENT');
    expect(formatState('FIN_WAIT_1', '-')).toBe('FIN-WAIT-1');
    expect(formatState('TIME_WAIT')).toBe('TIME_WAIT');
  });
  test('SYN and FIN consume one, data its length; wrap-around modulo 2^32', () => {
    const tl = compileSequence('participant c\nparticipant s\nisn c=4294967290 s=0\nc -> s: SYN\ns -> c: SYN, ACK\nc -> s: PSH, ACK len=10\ns -> c: ACK\nc -> s: FIN, ACK\ns -> c: ACK\n');
    expect(labels(tl)).toEqual([
      'SYN, seq=4294967290',
      'SYN, ACK, seq=0, ack=4294967291',
      'PSH, ACK, seq=4294967291, ack=1, len=10',
      'ACK, seq=1, ack=5',
      'FIN, ACK, seq=5, ack=1',
      'ACK, seq=1, ack=6',
    ]);
    expect(tl.segments[4]!.seq.relative).toBe(11);
  });
  test('relative numbering turns symbols into distances from the ISN', () => {
    const tl = compileSequence('option numbering=relative\n' + HS + 'client -> server: PSH, ACK len=5\n');
    expect(labels(tl)).toEqual(['SYN, seq=0', 'SYN, ACK, seq=0, ack=1', 'ACK, seq=1, ack=1', 'PSH, ACK, seq=1, ack=1, len=5']);
  });
  test('wireshark style, absolute numbers on request', () => {
    const tl = compileSequence('option labels=wireshark numbering=absolute\nparticipant c at 10.0.0.2:40000\nparticipant s at 10.0.0.1:443\nisn c=1000 s=2000\nc -> s: SYN mss=1460 sack_perm ws=7\n');
    expect(tl.segments[0]!.label).toBe('40000 → 443 [SYN] Seq=1000 Win=65535 Len=0 MSS=1460 WS=128 SACK_PERM');
    expect(tl.participants[0]).toMatchObject({ address: '10.0.0.2', port: 40000 });
  });
  test('renamed points are used by acknowledgements too', () => {
    const tl = compileSequence(EST + 'client -> server: PSH, ACK len=10\nserver -> client: ACK\n');
    expect(labels(tl)).toEqual(['PSH, ACK, seq=u, ack=v, len=10', 'ACK, seq=v, ack=u+10']);
  });
  test('an explicit seq that differs is drawn as written, listed and marked', () => {
    const tl = compileSequence(HS + 'client -> server: ACK seq=x+7\n');
    const s = tl.segments[3]!;
    expect(s.label).toBe('ACK, seq=x+7, ack=y+1');
    expect(s.overrides).toEqual(['seq']);
    expect(s.marks).toEqual([{ kind: 'override', text: 'seq overridden (expected x+1)' }]);
    expect(tl.warnings.map((w) => w.code)).toEqual(['override']);
    // the same value as computed is a confirmation: neither listed nor marked; a window other than the default is
    const same = compileSequence(HS + 'client -> server: ACK seq=x+1 win=512\n').segments[3]!;
    expect(same.overrides).toEqual(['win']);
    // (the same ack as the handshake's ACK with another window is what Wireshark calls a window update)
    expect(same.marks).toEqual([{ kind: 'window-update', text: 'window update' }]);
    expect(same.label).toBe('ACK, seq=x+1, ack=y+1, win=512');
  });
  test('overrides list only what differs from the engine: data, options and confirmations are not overrides', () => {
    const tl = compileSequence(
      HEAD +
        'client -> server: SYN mss=1460 ws=7 win=65535\nserver -> client: SYN, ACK ack=x+1\nclient -> server: ACK\n' +
        'client -> server: PSH, ACK len=100\nclient -> server: PSH, ACK "hi"\nserver -> client: ACK ack=x+103 win=100\nclient -> server: FIN, ACK seq=u\n',
    );
    expect(tl.segments.map((s) => s.overrides)).toEqual([[], [], [], [], [], ['win'], []]);
    expect(labels(tl)).toEqual([
      'SYN, seq=x, mss=1460, ws=7',
      'SYN, ACK, seq=y, ack=x+1',
      'ACK, seq=x+1, ack=y+1',
      'PSH, ACK, seq=x+1, ack=y+1, len=100',
      'PSH, ACK, seq=x+101, ack=y+1, len=2',
      'ACK, seq=y+1, ack=x+103, win=100',
      'FIN, ACK, seq=u, ack=y+1',
    ]);
    expect(tl.segments.flatMap((s) => s.marks)).toEqual([]);
    // a participant's own window is its default: the same value is no override, another one is
    const own = compileSequence('participant c win=1000\nparticipant s\nc -> s: SYN win=1000\ns -> c: SYN, ACK\nc -> s: ACK win=2000\n');
    expect(own.segments.map((s) => s.overrides)).toEqual([[], [], ['win']]);
    // what really departs from the protocol is listed, so layouts can paint it
    const wrong = compileSequence(HS + 'client -> server: PSH, ACK len=10 seq=x+5 ack=y\n').segments[3]!;
    expect(wrong.overrides).toEqual(['seq', 'ack']);
    const wrongTl = compileSequence(HS + 'client -> server: PSH, ACK len=10 seq=x+5 ack=y\n');
    expect(wrongTl.segments[3]!.marks.map((m) => m.kind)).toEqual(['override']);
    expect(wrongTl.warnings.map((w) => w.reason)).toEqual([
      'seq=x+5 differs from the computed x+1; drawn as written',
      'ack=y differs from the computed y+1; drawn as written',
    ]);
  });
  test('a hidden field and the flags style of the seeds', () => {
    const tl = compileSequence('option labels=flags\n' + HS + 'client -> server: FIN, ACK hide=ack\n');
    expect(tl.segments[3]!.label).toBe('FIN=1, ACK=1, seq=x+1');
    expect(formatLabel(tl.segments[3]!, tl, 'textbook')).toBe('FIN, ACK, seq=x+1');
  });
});

describe('RST wherever it matters', () => {
  test('a closed port refuses: RST, ACK seq=0 ack=x+1, client SYN_SENT → CLOSED', () => {
    const tl = compileSequence(HEAD + 'state server=CLOSED\nclient -> server: SYN\nserver -> client: RST, ACK\n');
    expect(labels(tl)).toEqual(['SYN, seq=x', 'RST, ACK, seq=0, ack=x+1']);
    expect(last(tl, 'client')).toMatchObject({ to: 'CLOSED', reason: 'connection refused (RST)' });
    expect(statesOf(tl, 'server')).toEqual(['CLOSED']);
  });
  test('SYN_RCVD (passive) goes back to LISTEN', () => {
    const tl = compileSequence(HEAD + 'client -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: RST\n');
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'LISTEN']);
    expect(last(tl, 'client').to).toBe('CLOSED');
  });
  for (const [name, prefix, who, before] of [
    ['ESTABLISHED', EST, 'server', 'ESTABLISHED'],
    ['FIN_WAIT_1', EST + 'client -> server: FIN, ACK lost\n', 'client', 'FIN_WAIT_1'],
    ['FIN_WAIT_2', EST + 'client -> server: FIN, ACK\nserver -> client: ACK\n', 'client', 'FIN_WAIT_2'],
    ['CLOSE_WAIT', EST + 'client -> server: FIN, ACK\n', 'server', 'CLOSE_WAIT'],
    ['LAST_ACK', EST + 'client -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK lost\n', 'server', 'LAST_ACK'],
  ] as const) {
    test(`${name}: receiving RST closes at once`, () => {
      const other = who === 'client' ? 'server' : 'client';
      const tl = compileSequence(prefix + `${other} -> ${who}: RST\n`);
      const states = statesOf(tl, who);
      expect(states.at(-2)).toBe(before);
      expect(last(tl, who)).toMatchObject({ to: 'CLOSED', reason: 'connection reset (RST)' });
      expect(tl.timers.filter((t) => t.kind === 'TIME_WAIT' && t.participant === who)).toEqual([]);
    });
  }
  test('TIME_WAIT: a RST ends the wait early (the timer is cut short)', () => {
    const tl = compileSequence(EST + 'client -> server: FIN, ACK\nserver -> client: FIN, ACK\n& client -> server: ACK\nwait 0.5\nserver -> client: RST\n');
    const tw = tl.timers.find((t) => t.kind === 'TIME_WAIT')!;
    expect(tw.expired).toBe(false);
    expect(last(tl, 'client')).toMatchObject({ to: 'CLOSED', reason: 'connection reset (RST)', at: tw.end });
  });
  test('a listener answers a stray ACK with RST seq=SEG.ACK and stays LISTEN', () => {
    const tl = compileSequence('participant c\nparticipant s\nstate c=ESTABLISHED\nlisten s\nc -> s: ACK\ns -> c: RST\n');
    expect(labels(tl)).toEqual(['ACK, seq=0, ack=0', 'RST, seq=0']);
    expect(statesOf(tl, 's')).toEqual(['CLOSED', 'LISTEN']);
  });
});

describe('timers and time', () => {
  test('2MSL follows option msl', () => {
    const tl = compileSequence('option msl=5\n' + EST + 'client -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK\n');
    const tw = tl.timers.find((t) => t.kind === 'TIME_WAIT')!;
    expect(tw.end - tw.start).toBe(10);
    expect(tl.duration).toBe(tw.end);
  });
  test('an explicit timeout draws the RTO timer; the retransmission follows it', () => {
    const tl = compileSequence(HEAD + 'client -> server: SYN\nserver -x client: SYN, ACK\ntimeout server: SYN-ACK 重传\nserver -> client: SYN, ACK\nclient -> server: ACK\n');
    expect(tl.timers).toEqual([expect.objectContaining({ kind: 'RTO', label: 'SYN-ACK 重传', participant: 'server', start: 2, end: 5 })]);
    expect(tl.segments[2]).toMatchObject({ retransmission: true, retransmissionOf: 1, sentAt: 5, label: 'SYN, ACK, seq=y, ack=x+1' });
    expect(last(tl, 'server').to).toBe('ESTABLISHED');
  });
  test('a SYN resent in SYN_SENT is a retransmission with the same seq', () => {
    const tl = compileSequence(HEAD + 'client -x server: SYN\nclient -> server: SYN\n');
    expect(tl.segments[1]).toMatchObject({ retransmission: true, label: 'SYN, seq=x', sentAt: 4 });
  });
  test('three dup ACKs: fast retransmission without a timer', () => {
    const tl = compileSequence(
      HS +
        'client -x server: PSH, ACK len=10\n& client -> server: PSH, ACK len=10\n& client -> server: PSH, ACK len=10\n& client -> server: PSH, ACK len=10\n' +
        'server -> client: ACK\n& server -> client: ACK\n& server -> client: ACK\nclient -> server: PSH, ACK len=10\nserver -> client: ACK\n',
    );
    const re = tl.segments[10]!;
    expect(re).toMatchObject({ retransmission: true, label: 'PSH, ACK, seq=x+1, ack=y+1, len=10' });
    expect(re.marks[0]!.text).toBe('fast retransmission');
    expect(tl.timers).toEqual([]);
    expect(tl.segments.slice(7, 10).map((s) => s.label)).toEqual(['ACK, seq=y+1, ack=x+1', 'ACK, seq=y+1, ack=x+1', 'ACK, seq=y+1, ack=x+1']);
    expect(tl.segments[11]!.label).toBe('ACK, seq=y+1, ack=x+41');
  });
  test('par branches start together; the diagram continues after the slowest', () => {
    const tl = compileSequence(EST + 'par\nclient -> server: PSH, ACK len=1 delay=3\nand\nserver -> client: PSH, ACK len=2\nclient -> server: ACK\nend\nclient -> server: ACK\n');
    const [slow, fast, ack, after] = tl.segments;
    expect(slow!.sentAt).toBe(fast!.sentAt);
    expect(ack!.sentAt).toBe(fast!.arrivesAt);
    expect(after!.sentAt).toBe(slow!.arrivesAt);
    expect(ack!.label).toBe('ACK, seq=u+1, ack=v+2');
    expect(after!.label).toBe('ACK, seq=u+1, ack=v+2');
  });
  test('dividers and spanning notes take room; side notes do not', () => {
    const tl = compileSequence(HS + '== 数据 ==\nnote left of client: side\nnote over client,server: span\nclient -> server: PSH, ACK len=1\n');
    expect(tl.dividers[0]).toMatchObject({ text: '数据', at: 4.25 });
    expect(tl.notes.map((n) => [n.placement, n.at])).toEqual([['left', 4.5], ['over', 4.75]]);
    expect(tl.segments[3]!.sentAt).toBe(5);
  });
  test('multi-line notes: Mermaid <br>, <br/>, <br />, and \n; each line trimmed; \\ is a backslash', () => {
    const tl = compileSequence(
      'participant client\nparticipant server\n' +
        'note over client: 第一行<br>第二行\n' +
        'Note over client,server: SYN 队列 <BR/> 已满 <br /> 无法连接\n' +
        'note left of client: line one\\nline two\n' +
        'note right of server: "quoted\\nbreaks, and <br> too"\n' +
        'note over server: C:\\\\new <b>bold</b> a<brb stays\n' +
        'client -> server: SYN\n',
    );
    expect(tl.notes.map((n) => n.text)).toEqual([
      '第一行\n第二行',
      'SYN 队列\n已满\n无法连接',
      'line one\nline two',
      'quoted\nbreaks, and\ntoo',
      'C:\\new <b>bold</b> a<brb stays',
    ]);
    // a note's position still covers its whole line
    expect(tl.notes[1]!.position!.start.line).toBe(4);
  });
  test('t=0.000831 sets a segment\'s real time (seconds); without it time is null', () => {
    const tl = compileSequence(HEAD + 'client -> server: SYN t=0\nserver -> client: SYN, ACK t=0.000015022\nclient -> server: ACK time=1.5s\nclient -> server: FIN, ACK\n');
    expect(tl.segments.map((s) => s.time)).toEqual([0, 0.000015022, 1.5, null]);
    // labels do not change: the time is for layouts (the flow style's Time column)
    expect(tl.segments[1]!.label).toBe('SYN, ACK, seq=y, ack=x+1');
    const bad = (src: string) => {
      try {
        compileSequence(HEAD + src);
      } catch (e) {
        return e as { code: string; line: number; column: number; reason: string };
      }
      throw new Error('no error');
    };
    expect(bad('client -> server: SYN t=soon\n')).toMatchObject({ code: 'malformed-number', line: 4, column: 25 });
    expect(bad('client -> server: SYN t=1.5ms\n')).toMatchObject({ code: 'malformed-number', reason: '"1.5ms" is not a time in seconds' });
    expect(bad('client -> server: SYN t=9999999999\n')).toMatchObject({ code: 'number-too-large' });
    expect(bad('client -> server: SYN t\n')).toMatchObject({ code: 'syntax', reason: 't needs a value' });
  });
  test('zero window: the probe, its ACK and the window update are marked, as Wireshark marks them', () => {
    const tl = compileSequence(
      EST +
        'client -> server: PSH, ACK len=100\nserver -> client: ACK win=0\nclient -> server: PSH, ACK len=1\nserver -> client: ACK win=0\n' +
        'server -> client: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\n',
    );
    expect(tl.segments.map((s) => [s.label, s.marks.map((m) => m.kind).join('+')])).toEqual([
      ['PSH, ACK, seq=u, ack=v, len=100', ''],
      ['ACK, seq=v, ack=u+100, win=0', 'zero-window'],
      // the probe byte is outside the closed window: not accepted, not counted (the next data starts at u+100)
      ['PSH, ACK, seq=u+100, ack=v, len=1', 'zero-window-probe'],
      ['ACK, seq=v, ack=u+100, win=0', 'zero-window+zero-window-probe-ack'],
      // the same ack with the window open again: a window update, not a duplicate ACK
      ['ACK, seq=v, ack=u+100', 'window-update'],
      ['PSH, ACK, seq=u+100, ack=v, len=100', ''],
      ['ACK, seq=v, ack=u+200', ''],
    ]);
    const ws = compileSequence('option labels=wireshark\n' + EST + 'client -> server: PSH, ACK len=100\nserver -> client: ACK win=0\nclient -> server: PSH, ACK len=1\nserver -> client: ACK win=0\nserver -> client: ACK\n');
    expect(ws.segments.slice(1).map((s) => s.label.replace(/\] .*/, ']'))).toEqual(['[TCP ZeroWindow]', '[TCP ZeroWindowProbe]', '[TCP ZeroWindowProbeAck]', '[TCP Window Update]']);
  });
  test('data overtaken by later data is marked out-of-order; a retransmission filling a gap is not', () => {
    const tl = compileSequence(EST + 'client -> server: PSH, ACK len=10 delay=3\n& client -> server: PSH, ACK len=20\nserver -> client: ACK\n');
    expect(tl.segments.map((s) => [s.label, s.marks.map((m) => m.kind).join('+')])).toEqual([
      ['PSH, ACK, seq=u, ack=v, len=10', 'out-of-order'],
      ['PSH, ACK, seq=u+10, ack=v, len=20', ''],
      ['ACK, seq=v, ack=u+30', ''],
    ]);
    const lost = compileSequence(EST + 'client -x server: PSH, ACK len=10\n& client -> server: PSH, ACK len=20\nclient -> server: PSH, ACK len=10\nserver -> client: ACK\n');
    expect(lost.segments[2]!.marks.map((m) => m.kind)).toEqual(['retransmission']);
    expect(lost.segments[3]!.label).toBe('ACK, seq=v, ack=u+30');
  });
  test('header statements point at segments', () => {
    const tl = compileSequence(HS + 'header\nheader 1\nheader last\n');
    expect(tl.headers.map((h) => h.segment)).toEqual([2, 0, 2]);
  });
});

describe('more than two endpoints', () => {
  test('one server, two clients, independent connections', () => {
    const tl = compileSequence('participant a\nparticipant s\nparticipant b\nisn a=x s=y b=z\na -> s: SYN\nb -> s: SYN\ns -> a: SYN, ACK\ns -> b: SYN, ACK\na -> s: ACK\nb -> s: ACK\n');
    // each connection has its own ISN, as real stacks choose one per connection: y1, y2 from `isn s=y`
    expect(labels(tl)).toEqual(['SYN, seq=x', 'SYN, seq=z', 'SYN, ACK, seq=y1, ack=x+1', 'SYN, ACK, seq=y2, ack=z+1', 'ACK, seq=x+1, ack=y1+1', 'ACK, seq=z+1, ack=y2+1']);
    expect(statesOf(tl, 'b')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
  });
  test('per-connection ISNs: numbered in the order of the text, data and renames stay per connection', () => {
    // b's SYN, ACK comes first in time, but a's is written first: a's connection is y1
    const tl = compileSequence(
      'participant a\nparticipant s\nparticipant b\nisn a=x b=z s=y\na -> s: SYN\nb -> s: SYN\ns -> a: SYN, ACK delay=3\n& s -> b: SYN, ACK\nb -> s: ACK\n' +
        'a -> s: ACK\ns -> b: PSH, ACK len=10\nb -> s: ACK\ns -> a: PSH, ACK len=5\n',
    );
    expect(labels(tl).slice(2)).toEqual([
      'SYN, ACK, seq=y1, ack=x+1',
      'SYN, ACK, seq=y2, ack=z+1',
      'ACK, seq=z+1, ack=y2+1',
      'ACK, seq=x+1, ack=y1+1',
      'PSH, ACK, seq=y2+1, ack=z+1, len=10',
      'ACK, seq=z+1, ack=y2+11',
      'PSH, ACK, seq=y1+1, ack=x+1, len=5',
    ]);
  });
  test('per-connection ISNs: y1, y2 without an isn; an isn number as written; a seq= on the SYN, ACK names it', () => {
    const flood = 'participant a\nparticipant s\nparticipant b\na -> s: SYN\nb -> s: SYN\ns -> a: SYN, ACK\ns -> b: SYN, ACK\n';
    expect(labels(compileSequence(flood)).slice(2)).toEqual(['SYN, ACK, seq=y1, ack=1', 'SYN, ACK, seq=y2, ack=1']);
    expect(labels(compileSequence('isn s=5000\n' + flood)).slice(2)).toEqual(['SYN, ACK, seq=5000, ack=1', 'SYN, ACK, seq=5000, ack=1']);
    const named = compileSequence('isn s=y\n' + flood.replace('s -> b: SYN, ACK', 's -> b: SYN, ACK seq=q') + 'b -> s: ACK\n');
    expect(labels(named).slice(2)).toEqual(['SYN, ACK, seq=y1, ack=1', 'SYN, ACK, seq=q, ack=1', 'ACK, seq=1, ack=q+1']);
    expect(named.segments[3]!.overrides).toEqual([]);
    // wireshark labels show each connection relative to its own ISN
    expect(labels(compileSequence('option labels=wireshark\n' + flood)).slice(2).map((l) => l.replace(/ Win.*/, ''))).toEqual([
      '80 → 54321 [SYN, ACK] Seq=0 Ack=1',
      '80 → 54322 [SYN, ACK] Seq=0 Ack=1',
    ]);
    // a client that opens connections to two servers: x1, x2
    const two = compileSequence('participant c\nparticipant s1\nparticipant s2\nc -> s1: SYN\nc -> s2: SYN\ns1 -> c: SYN, ACK\nc -> s1: ACK\n');
    expect(labels(two)).toEqual(['SYN, seq=x1', 'SYN, seq=x2', 'SYN, ACK, seq=0, ack=x1+1', 'ACK, seq=x1+1, ack=1']);
    // one peer only: nothing changes
    expect(labels(compileSequence(HS))).toEqual(['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']);
  });
});

describe('scale', () => {
  test('a 10,000-segment transfer computes every number (and wraps around 2^32)', () => {
    const lines = ['participant c', 'participant s listen', 'isn c=4294000000 s=7', 'c -> s: SYN', 's -> c: SYN, ACK', 'c -> s: ACK'];
    for (let i = 0; i < 4998; i++) lines.push('c -> s: PSH, ACK len=1460', 's -> c: ACK');
    lines.push('c -> s: FIN, ACK');
    const tl = compileSequence(lines.join('\n'));
    expect(tl.segments).toHaveLength(10_000); // exactly the limit
    const sent = 4998 * 1460;
    expect(tl.segments.at(-2)!.label).toBe(`ACK, seq=8, ack=${(4294000001 + sent) % 2 ** 32}`);
    expect(tl.segments.at(-1)!.label).toBe(`FIN, ACK, seq=${(4294000001 + sent) % 2 ** 32}, ack=8`);
    expect(tl.segments.at(-1)!.seq.relative).toBe(1 + sent);
    expect(statesOf(tl, 's')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED', 'CLOSE_WAIT']);
    expect(tl.states.find((x) => x.participant === 's' && x.to === 'LISTEN')!.at).toBe(0.5);
  });
});

describe('loop', () => {
  test('loop N repeats its body; numbers keep counting', () => {
    const tl = compileSequence(HS + 'loop 3 数据\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nend\n');
    expect(labels(tl).slice(3)).toEqual([
      'PSH, ACK, seq=x+1, ack=y+1, len=100',
      'ACK, seq=y+1, ack=x+101',
      'PSH, ACK, seq=x+101, ack=y+1, len=100',
      'ACK, seq=y+1, ack=x+201',
      'PSH, ACK, seq=x+201, ack=y+1, len=100',
      'ACK, seq=y+1, ack=x+301',
    ]);
  });
  test('a Mermaid loop with a label only runs once', () => {
    expect(compileSequence(HS + 'loop every minute\nclient -> server: keepalive\nend\n').segments).toHaveLength(4);
  });
  test('loops count against the limits', () => {
    expect(() => compileSequence(HS + 'loop 10000\nclient -> server: PSH, ACK len=1\nend\n')).toThrow(/more than 10000 segments/);
    expect(() => compileSequence('loop 10000\nloop 10000\nnote over a: x\nend\nend\n')).toThrow(/more than 200000 statements/);
  });
});

describe('naming points inline', () => {
  test('FIN seq=u names the number, and the acknowledgements follow', () => {
    const tl = compileSequence(HS + 'client -> server: FIN seq=u\nserver -> client: ACK seq=v\nserver -> client: FIN, ACK seq=w\nclient -> server: ACK\n');
    expect(labels(tl).slice(3)).toEqual(['FIN, seq=u', 'ACK, seq=v, ack=u+1', 'FIN, ACK, seq=w, ack=u+1', 'ACK, seq=u+1, ack=w+1']);
    expect(tl.segments.slice(3).every((s) => !s.marks.some((m) => m.kind === 'override'))).toBe(true);
    expect(tl.warnings).toEqual([]);
  });
  test('a stale segment\'s symbol stays apart from the live numbers', () => {
    const tl = compileSequence('participant c\nparticipant s\nisn c=x s=y\nc -> s: SYN seq=x0 stale\ns -> c: SYN, ACK\n');
    expect(labels(tl)).toEqual(['SYN, seq=x0', 'SYN, ACK, seq=y, ack=x0+1']);
  });
});

test('seq with a number re-bases numeric sequence numbers', () => {
  const tl = compileSequence('participant c\nparticipant s\nstate c=ESTABLISHED s=ESTABLISHED\nseq c=5000 s=9000\nc -> s: PSH, ACK len=10\ns -> c: ACK\n');
  expect(labels(tl)).toEqual(['PSH, ACK, seq=5000, ack=9000, len=10', 'ACK, seq=9000, ack=5010']);
});

test('a reset owed for an unacceptable SYN, ACK does not leak into a later abort', () => {
  const tl = compileSequence(
    'participant c\nparticipant s\nisn c=100 s=300\npar\nc -> s: SYN delay=4\nand\nc -> s: SYN seq=90 stale\ns -> c: SYN, ACK\nend\ns -> c: SYN, ACK\nc -> s: ACK\nc -> s: RST\n',
  );
  expect(labels(tl).slice(-3)).toEqual(['SYN, ACK, seq=300, ack=101', 'ACK, seq=101, ack=301', 'RST, seq=101']);
  expect(last(tl, 'c')).toMatchObject({ to: 'CLOSED', reason: 'abort (RST sent)' });
});

describe('regressions found by the property test', () => {
  const chain = (tl: Timeline, who: string) => {
    const st = tl.states.filter((s) => s.participant === who);
    for (let i = 1; i < st.length; i++) expect(st[i]!.from).toBe(st[i - 1]!.to);
  };
  test('"&" after "wait" cannot reach back before arrivals already processed', () => {
    const tl = compileSequence(HS + 'wait 2\n& server -> client: FIN\n');
    chain(tl, 'server');
    expect(tl.segments[3]!.sentAt).toBe(tl.segments[2]!.arrivesAt);
    expect(statesOf(tl, 'server').slice(-2)).toEqual(['ESTABLISHED', 'FIN_WAIT_1']);
  });
  test('"&" after a mid-diagram "listen" cannot reach back before it', () => {
    const tl = compileSequence('client -> server: PSH, ACK force\nlisten client\n& client -> server: SYN\n');
    chain(tl, 'client');
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'LISTEN', 'SYN_SENT']);
    expect(tl.segments[1]!.sentAt).toBe(2);
  });
  test('a mid-diagram "listen" comes after the arrivals before it', () => {
    // the SYN arrived (a passive open) before the listen line: the server is busy, not listening again
    expect(() => compileSequence('client -> server: SYN\nclient <-> server: 数据传输\nlisten server\n')).toThrow(/server cannot listen in SYN_RCVD/);
    const tl = compileSequence('state server=CLOSED\nclient -> server: SYN\nserver -> client: RST, ACK\nlisten server\nclient -> server: SYN\n');
    chain(tl, 'server');
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD']);
  });
  test('state after listen is refused', () => {
    expect(() => compileSequence('listen client\nstate client=ESTABLISHED\n')).toThrow(/state for client comes after it started listening/);
  });
});

describe('RST validation (RFC 9293 §3.10.7.4)', () => {
  test('a blind RST with a guessed seq: in window → challenge ACK, outside → ignored, exact → reset', () => {
    const base = 'participant c\nparticipant s\nisn c=1000 s=5000\nc -> s: SYN\ns -> c: SYN, ACK\nc -> s: ACK\n';
    const inWin = compileSequence(base + 'c -> s: RST seq=1500\n');
    expect(inWin.segments[3]!.marks.map((m) => m.text)).toContain('RST in window: challenge ACK');
    expect(last(inWin, 's').to).toBe('ESTABLISHED');
    const outWin = compileSequence(base + 'c -> s: RST seq=900000\n');
    expect(outWin.segments[3]!.marks.map((m) => m.text)).toContain('RST out of window: ignored');
    expect(last(outWin, 's').to).toBe('ESTABLISHED');
    const exact = compileSequence(base + 'c -> s: RST seq=1001\n');
    expect(last(exact, 's')).toMatchObject({ to: 'CLOSED', reason: 'connection reset (RST)' });
  });
});

test('a RST is marked with why it was sent', () => {
  const why = (src: string) => compileSequence(src).segments.find((s) => s.flags.includes('RST'))!.marks.find((m) => m.kind === 'reset')!.text;
  expect(why(HEAD + 'state server=CLOSED\nclient -> server: SYN\nserver -> client: RST, ACK\n')).toBe('port closed');
  expect(why(EST + 'client -> server: RST\n')).toBe('abort');
  expect(why('participant c\nparticipant s\nstate c=ESTABLISHED\nlisten s\nc -> s: ACK\ns -> c: RST\n')).toBe('no such connection');
  expect(why('participant c\nparticipant s\nisn c=100 s=300\nc -> s: SYN\ns -> c: SYN, ACK ack=50\nc -> s: RST\n')).toBe('unacceptable ACK');
});

describe('a SYN answered by RST: the port was closed, not listening', () => {
  test('no implied passive open when the first reply is RST, ACK', () => {
    const tl = compileSequence(HEAD + 'client -> server: SYN\nserver -> client: RST, ACK\n');
    expect(labels(tl)).toEqual(['SYN, seq=x', 'RST, ACK, seq=0, ack=x+1']);
    expect(statesOf(tl, 'server')).toEqual(['CLOSED']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'CLOSED']);
    expect(tl.segments[1]!.marks.map((m) => m.text)).toEqual(['port closed']);
    expect(last(tl, 'client').reason).toBe('connection refused (RST)');
    // the same as writing state server=CLOSED
    const explicit = compileSequence(HEAD + 'state server=CLOSED\nclient -> server: SYN\nserver -> client: RST, ACK\n');
    expect(labels(explicit)).toEqual(labels(tl));
  });
  test('a retried SYN is refused again; an answer of SYN, ACK still means listening', () => {
    const tl = compileSequence(HEAD + 'client -> server: SYN\nserver -> client: RST, ACK\nclient -> server: SYN\nserver -> client: RST, ACK\n');
    expect(statesOf(tl, 'server')).toEqual(['CLOSED']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'CLOSED', 'SYN_SENT', 'CLOSED']);
    expect(statesOf(compileSequence(HS), 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
  });
  test('listen still listens: its RST aborts the half-open connection', () => {
    const tl = compileSequence(HEAD + 'listen server\nclient -> server: SYN\nserver -> client: RST, ACK\n');
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'CLOSED']);
  });
});

describe('split SYN, ACK (RFC 9293: the passive side acknowledges before it sends its SYN)', () => {
  test('ACK, then SYN, then ACK: both sides established', () => {
    const tl = compileSequence(HEAD + 'client -> server: SYN\nserver -> client: ACK\nserver -> client: SYN\nclient -> server: ACK\nclient -> server: PSH, ACK len=10\n');
    expect(labels(tl)).toEqual(['SYN, seq=x', 'ACK, ack=x+1', 'SYN, seq=y', 'ACK, seq=x+1, ack=y+1', 'PSH, ACK, seq=x+1, ack=y+1, len=10']);
    expect(statesOf(tl, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(statesOf(tl, 'server')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
  });
  test('the client SYN is acknowledged by the first ACK: no retransmission timer', () => {
    const tl = compileSequence(HEAD + 'client -> server: SYN\nserver -> client: ACK\nwait 6\nserver -> client: SYN\nclient -> server: ACK\n');
    expect(tl.timers).toEqual([]);
    expect(tl.segments.some((s) => s.retransmission)).toBe(false);
  });
  test('a second SYN from SYN_RCVD, once its SYN is sent, is still an error', () => {
    expect(() => compileSequence(HEAD + 'client -> server: SYN\nserver -> client: ACK\nserver -> client: SYN\nserver -> client: SYN\n')).toThrow(/cannot send SYN in SYN_RCVD/);
  });
});

describe('wall-clock waits', () => {
  const idle = (w: string) => compileSequence(HS + `${w}\nclient -> server: keepalive\nserver -> client: ACK\n`);
  test('s, ms, min and h are accepted and drawn compressed, longer for longer times', () => {
    const gap = (w: string) => {
      const tl = idle(w);
      return tl.segments[3]!.sentAt - tl.segments[2]!.arrivesAt;
    };
    const g = ['wait 200ms', 'wait 1s', 'wait 75s', 'wait 2min', 'wait 7200s', 'wait 3h'].map(gap);
    for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]!);
    expect(g[4]).toBeLessThan(20); // 7200 s is not 7200 trips
    expect(gap('wait 1s')).toBeCloseTo(3, 0); // about the default RTO
    expect(idle('wait 7200s').timers.find((t) => t.kind === 'keepalive')!.label).toBe('keepalive 7200 s');
    expect(idle('wait 1.5h').timers.find((t) => t.kind === 'keepalive')!.label).toBe('keepalive 1.5 h');
  });
  test('a wait before a normal segment gets its own bracket on the next sender', () => {
    const tl = compileSequence(EST + 'client -> server: PSH, ACK len=10\nwait 200ms\nserver -> client: ACK\n');
    const br = tl.timers.filter((t) => t.kind === 'custom');
    expect(br).toEqual([expect.objectContaining({ participant: 'server', label: '200 ms', end: tl.segments[1]!.sentAt })]);
  });
  test('the existing units still work, and bad ones are errors with a hint', () => {
    expect(parseSequence('wait 2MSL\n').statements[0]).toMatchObject({ type: 'wait', amount: 2, unit: 'msl' });
    expect(parseSequence('wait 7200s\n').statements[0]).toMatchObject({ type: 'wait', amount: 7200, unit: 'seconds', label: '7200 s' });
    expect(parseSequence('wait 200 ms\n').statements[0]).toMatchObject({ type: 'wait', amount: 0.2, unit: 'seconds', label: '200 ms' });
    expect(() => parseSequence('wait 2xyz\n')).toThrow(/not a time/);
    expect(() => parseSequence('wait 2 fortnights\n')).toThrow(/unknown time unit/);
    expect(() => parseSequence('wait s\n')).toThrow(/needs a number/);
    expect(() => parseSequence('wait 999999h\n')).toThrow(/too long/);
  });
});
