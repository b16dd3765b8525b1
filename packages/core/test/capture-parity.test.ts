/**
 * Regressions found by stressing the live capture corpus (issue 16; `pnpm corpus:stress`): each fixture is the
 * tail of one stream that went wrong, cut out with tshark and cut down to 128 bytes a frame (editcap -s 128: every
 * header whole, payloads truncated; both readers take lengths from the IP header). For each: zero differences with
 * tshark (fields, expert marks, Info column), and the import round-trips through import → check → compile.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { selectStream } from '../src/capture/index.js';
import { captureToSequenceText, compileSequence, timelineFromCapture } from '../src/index.js';
import { compareCaptureFile, describeDifference, ourMarks, view } from './fixtures/capture/corpus-compare.js';
import { HAVE_TSHARK } from './fixtures/capture/tshark.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/capture/parity/${name}.pcap`, import.meta.url));
const bytesOf = (name: string) => new Uint8Array(readFileSync(fixture(name)));

/** The imported text, checked: accepted by the engine and compiling back to the very segments of the capture. */
function roundTrip(name: string): string {
  const bytes = bytesOf(name);
  const text = captureToSequenceText(bytes);
  expect(text.split('\n')[0], name).toMatch(/^# imported by wiregram/);
  expect(view(compileSequence(text)), name).toEqual(view(timelineFromCapture(bytes)));
  return text;
}

/** Our marks (in tshark's field names) on one frame. */
function marksAt(name: string, frame: number): string[] {
  const bytes = bytesOf(name);
  const frames = selectStream(bytes).packets.map((p) => p.frame);
  return ourMarks(timelineFromCapture(bytes).segments[frames.indexOf(frame)]!);
}

const FIXTURES = [
  'unseen-data-before-fin',
  'rst-crosses-last-ack',
  'fin-crosses-its-ack',
  'data-crosses-fin-ack',
  'rsts-answer-time-wait-acks',
  'rst-answers-unseen-duplicate',
  'acked-unseen-again',
  'acked-unseen-stalled',
];

/** The compiled marks of the segment written for `frame`. */
function compiledMarks(text: string, frame: number): string[] {
  const lines = text.split('\n').filter((l) => / -> /.test(l));
  const k = lines.findIndex((l) => new RegExp(`# frame ${frame}(,|$)`).test(l));
  return compileSequence(text).segments[k]!.marks.map((m) => m.text);
}

describe('streams that once went wrong import and round-trip', () => {
  it('data the capture point missed before a FIN: SND.NXT moves past the unseen bytes (was: "cannot send data in FIN_WAIT_2")', () => {
    const text = roundTrip('unseen-data-before-fin');
    // Frame 6 skips the missed bytes; after it the numbers continue from there, nothing more is pinned (the FIN
    // included), and the missed bytes, retransmitted after the FIN, are accepted.
    const line = (frame: number) => text.split('\n').find((l) => new RegExp(`# frame ${frame}(,|$)`).test(l))!;
    expect(line(6)).toMatch(/^b -> a: ACK seq=72209 len=1448 .*previous segment not captured$/);
    expect(line(8)).toMatch(/^b -> a: ACK len=1448 t=/);
    expect(line(14)).toMatch(/^b -> a: FIN, PSH, ACK len=1256 t=/);
    expect(line(24)).toMatch(/^b -> a: ACK seq=70761 len=1448 .*out-of-order$/);
    expect(line(25)).toMatch(/^a -> b: ACK ack=79258 t=/);
  });

  it('a RST, a FIN and data sent before the ACK they cross arrived (was: "cannot send … in CLOSED / FIN_WAIT_2")', () => {
    // The RST the capture shows after the last ACK answers a segment it does not show.
    const rst = roundTrip('rst-crosses-last-ack');
    expect(rst).toMatch(/^b -> a: RST win=0 .*# frame 20$/m);
    expect(compiledMarks(rst, 20)).toContain('answers a segment not in the diagram');
    // A copy of the FIN, and of data sent before it, once the FIN is acknowledged: accepted as retransmissions.
    const fin = roundTrip('fin-crosses-its-ack');
    expect(fin).toMatch(/^a -> b: FIN, PSH, ACK seq=18825 len=1176 retransmit .*# frame 28, spurious retransmission$/m);
    expect(compiledMarks(fin, 28)).toContain('retransmission');
    const data = roundTrip('data-crosses-fin-ack');
    expect(data).toMatch(/^b -> a: PSH, ACK seq=5604 ack=5604 len=715 win=62 retransmit .*# frame 18, spurious retransmission$/m);
    expect(compiledMarks(data, 18)).toContain('retransmission');
  });

  it('a closed endpoint answering late segments with RSTs: copies of old data in TIME_WAIT, RSTs that answer segments not shown (was: "cannot send ACK/FIN in CLOSED")', () => {
    // The client (a) in TIME_WAIT acknowledges the server's spurious retransmissions; the server (b), CLOSED,
    // answers each ACK with a RST while the client's next ACKs are already on their way.
    const text = roundTrip('rsts-answer-time-wait-acks');
    expect(text).toMatch(/^b -> a: RST t=[0-9.]+ {2}# frame 14$/m);
    expect(text).toMatch(/^& a -> b: ACK ack=16911 t=[0-9.]+ {2}# frame 15, dup ACK #2$/m);
    expect(text).toMatch(/^& b -> a: RST t=[0-9.]+ {2}# frame 16$/m);
    expect(text).toMatch(/^b -> a: RST seq=16911 t=[0-9.]+ {2}# frame 20$/m);
    // Two RSTs for one ACK the capture shows: the second answers a duplicate made past the capture point.
    const dup = roundTrip('rst-answers-unseen-duplicate');
    expect(dup).toMatch(/^& a -> b: FIN, ACK seq=\d+ retransmit .*# frame 17, retransmission$/m);
    expect(compiledMarks(dup, 19)).toContain('no such connection');
    expect(compiledMarks(dup, 20)).toContain('answers a segment not in the diagram');
  });

  it('ACKed unseen segment as tshark 4.0.17 decides it again (its unsigned dupacknum set to -1)', () => {
    // Past the same point again after the other side's ACK moved: marked again.
    expect(marksAt('acked-unseen-again', 18)).toEqual(['acked-unseen']);
    expect(marksAt('acked-unseen-again', 19)).toEqual(['dup-of=18', 'duplicate-ack=1']);
    // A stalled peer's later ACK past the point: not again; its next dup ACK restarts at #1 and is marked.
    expect(marksAt('acked-unseen-stalled', 14)).toEqual([]);
    expect(marksAt('acked-unseen-stalled', 17)).toEqual(['acked-unseen', 'dup-of=14', 'duplicate-ack=1']);
    roundTrip('acked-unseen-again');
    roundTrip('acked-unseen-stalled');
  });

  it.skipIf(!HAVE_TSHARK).each(FIXTURES)('%s: no field, mark, label or round-trip difference with tshark', (name) => {
    expect(compareCaptureFile(fixture(name)).differences.map(describeDifference)).toEqual([]);
  }, 60_000);
});
