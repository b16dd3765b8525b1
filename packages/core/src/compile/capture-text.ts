/**
 * A capture as editable `tcp-sequence` text. It meets the engine here, at the compile entry: the capture package
 * writes the text, the engine checks it, and neither imports the other.
 */
import { WiregramError } from '../errors.js';
import type { Timeline } from '../timeline.js';
import { renderSequenceText, sanitizeComment, type ForcedNumbers, type SequenceTextOptions } from '../capture/export.js';
import type { ScanResult, StreamInfo } from '../capture/scan.js';
import { selectStream, timelineFromScan, type CaptureInput } from '../capture/timeline.js';
import { compileSequence } from './source.js';

/**
 * Editable `tcp-sequence` text for one stream: participants named after address:port, the real ports, flags,
 * lengths, windows, handshake options and timestamps (`t=0.000831`, read back into `Segment.time`); explicit
 * `seq=`/`ack=` only where the capture departs from what wiregram's protocol engine computes (checked by compiling
 * the text). Frame numbers and Wireshark's expert marks follow as comments.
 */
export function captureToSequenceText(input: CaptureInput, options: SequenceTextOptions = {}): string {
  return sequenceTextFromScan(selectStream(input, options), options);
}

/** `captureToSequenceText` of a scan that selected a stream (see `withStream`), e.g. one streamed from disk. */
export function sequenceTextFromScan(scan: ScanResult & { stream: StreamInfo }, options: SequenceTextOptions = {}): string {
  const { timeline, frames } = timelineAndFrames(scan, options);
  return timelineToSequenceText(timeline, frames, options);
}

/**
 * The Timeline and each segment's frame number — all the text needs of a scan. A caller that does not keep the
 * scan itself (`timelineAndFrames(scanCaptureFile(…))`) lets its packets go before the text is written and checked,
 * which is when an import's memory peaks. The Timeline is lean (`timelineFromScan`): no labels, and only the
 * options the text writes.
 */
export function timelineAndFrames(scan: ScanResult & { stream: StreamInfo }, options: SequenceTextOptions = {}): { timeline: Timeline; frames: number[] } {
  return { timeline: timelineFromScan(scan, options, { lean: true }), frames: scan.packets.map((p) => p.frame) };
}

/** The text form of a Timeline made from a capture (see `captureToSequenceText`). */
export function timelineToSequenceText(tl: Timeline, frames: readonly number[] | null = null, options: SequenceTextOptions = {}): string {
  const abs = options.numbering === 'absolute';
  const num = (v: { offset: number; relative: number }) => (abs ? v.offset : v.relative);
  const unseen = new Set<number>();
  const concurrent = new Set<number>();
  const crossDepth = new Map<number, number>();
  const forced: ForcedNumbers = { seq: new Set<number>(), ack: new Set<number>(), unseen, concurrent };
  let text = renderSequenceText(tl, frames, options, forced);
  // Compile what we wrote with the real engine and pin every number it computes differently. An ACK of bytes the
  // capture never saw is pinned with `!` (the engine then marks it "ACKed unseen segment", as Wireshark does); each
  // such pin can move the numbers after it, so this repeats until nothing changes (bounded).
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let compiled: Timeline;
    try {
      compiled = compileSequence(text);
    } catch (e) {
      const k = e instanceof WiregramError ? segmentAtLine(text, e.line) : -1;
      if (k >= 0 && (e as WiregramError).code === 'ack-unsent' && !unseen.has(k)) {
        unseen.add(k);
        forced.ack.add(k);
        text = renderSequenceText(tl, frames, options, forced);
        continue;
      }
      // A segment its sender could not send in the state the engine reached: the segments of the other side that put
      // it there were still in flight (a capture point sees one side's segments later than they were sent). Send it
      // crossing them (`&`), one more segment back each time, up to MAX_CROSSING.
      const depth = k >= 0 && STATE_ERRORS.has((e as WiregramError).code) ? (crossDepth.get(k) ?? 0) : MAX_CROSSING;
      if (depth < MAX_CROSSING && k - depth >= 1) {
        crossDepth.set(k, depth + 1);
        concurrent.add(k - depth);
        text = renderSequenceText(tl, frames, options, forced);
        continue;
      }
      const why = e instanceof WiregramError ? e.message : String(e);
      if (e instanceof WiregramError && (e.code === 'too-large' || e.code === 'too-many-segments')) {
        // Not a protocol problem: the stream is longer than one diagram may be (a bound on work and output).
        return `# note: this stream is too long for one wiregram diagram (${sanitizeComment(e.reason)}); the text is complete, but check and render need a part of it: keep the segments to draw, or import fewer (maxSegments)\n${text}`;
      }
      return `# note: wiregram's engine does not accept this stream as written (${sanitizeComment(why)}); edit the marked line\n${text}`;
    }
    let changed = false;
    compiled.segments.forEach((c, i) => {
      const s = tl.segments[i];
      if (!s) return;
      if (num(c.seq) !== num(s.seq) && !forced.seq.has(i)) {
        forced.seq.add(i);
        changed = true;
      }
      if (s.ack && c.ack && num(c.ack) !== num(s.ack) && !forced.ack.has(i)) {
        forced.ack.add(i);
        changed = true;
      }
    });
    if (!changed) break;
    text = renderSequenceText(tl, frames, options, forced);
  }
  return text;
}

const MAX_ROUNDS = 200;
/** How many earlier segments a refused one may be sent alongside (crossing the other side's segments in flight). */
const MAX_CROSSING = 4;
/** The engine's refusals of a segment in the sender's current state (not of its numbers or its syntax). */
const STATE_ERRORS = new Set(['data-after-fin', 'fin-in-state', 'no-connection', 'fin-from-closed', 'rst-without-connection', 'rst-ack-nothing']);

/** The segment index written on a 1-based line of the rendered text, or -1. */
function segmentAtLine(text: string, line: number | null): number {
  if (line === null) return -1;
  const lines = text.split('\n');
  let k = -1;
  for (let i = 0; i < lines.length && i < line; i++) if (SEGMENT_LINE.test(lines[i]!)) k++;
  return SEGMENT_LINE.test(lines[line - 1] ?? '') ? k : -1;
}

const SEGMENT_LINE = /^(& )?\S+ -> \S+: /;
