/**
 * A capture as editable `tcp-sequence` text. It meets the engine here, at the compile entry: the capture package
 * writes the text, the engine checks it, and neither imports the other.
 */
import { WiregramError } from '../errors.js';
import type { Timeline } from '../timeline.js';
import { renderSequenceText, sanitizeComment, type SequenceTextOptions } from '../capture/export.js';
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
  return timelineToSequenceText(timelineFromScan(scan, options), scan.packets.map((p) => p.frame), options);
}

/** The text form of a Timeline made from a capture (see `captureToSequenceText`). */
export function timelineToSequenceText(tl: Timeline, frames: readonly number[] | null = null, options: SequenceTextOptions = {}): string {
  const abs = options.numbering === 'absolute';
  const num = (v: { offset: number; relative: number }) => (abs ? v.offset : v.relative);
  const forced = { seq: new Set<number>(), ack: new Set<number>() };
  let text = renderSequenceText(tl, frames, options, forced);
  // Compile what we wrote with the real engine and pin every number it would compute differently. Two rounds
  // suffice: pinning one number only ever changes that segment's value.
  for (let round = 0; round < 2; round++) {
    let compiled: Timeline;
    try {
      compiled = compileSequence(text);
    } catch (e) {
      if (round > 0) break;
      const why = e instanceof WiregramError ? e.message : String(e);
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
    const next = renderSequenceText(tl, frames, options, forced);
    try {
      compileSequence(next);
      text = next;
    } catch {
      break; // keep the last text the engine accepted
    }
  }
  return text;
}

