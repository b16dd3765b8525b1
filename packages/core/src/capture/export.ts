/**
 * A captured stream as editable `tcp-sequence` text, or as plain JSON (one object per segment).
 */
import type { Timeline } from '../timeline.js';
import { selectStream, timelineFromScan, type CaptureInput, type CaptureStreamOptions } from './timeline.js';

export interface CaptureJsonSegment {
  src: string;
  dst: string;
  flags: string[];
  seq: number;
  /** null when the ACK flag is not set. */
  ack: number | null;
  len: number;
}

/** One object per segment of the stream, relative numbers unless `numbering: 'absolute'`. */
export function captureToJson(input: CaptureInput, options: CaptureStreamOptions = {}): CaptureJsonSegment[] {
  return timelineToJson(timelineFromScan(selectStream(input, options), options, { lean: true }), options.numbering === 'absolute');
}

/** The JSON form of a Timeline made from a capture. */
export function timelineToJson(tl: Timeline, absolute = false): CaptureJsonSegment[] {
  const name = new Map(tl.participants.map((p) => [p.id, p.label]));
  return tl.segments.map((s) => ({
    src: name.get(s.from) ?? s.from,
    dst: name.get(s.to) ?? s.to,
    flags: [...s.flags],
    seq: absolute ? s.seq.offset : s.seq.relative,
    ack: s.ack ? (absolute ? s.ack.offset : s.ack.relative) : null,
    len: s.len,
  }));
}

export interface SequenceTextOptions extends CaptureStreamOptions {
  /** Shown in the header comment, e.g. the file name. */
  source?: string;
}

/**
 * The `tcp-sequence` text of a Timeline made from a capture, with explicit `seq=`/`ack=` on the segments listed in
 * `forced`. Which numbers need pinning is decided by compiling the text with the engine; that happens at the compile
 * entry (compile/capture-text.ts), since captures and the engine know nothing of each other.
 */
/** Segments whose seq or ack the text pins; `unseen`: acks of bytes the capture never saw, pinned with `!`. */
export interface ForcedNumbers {
  seq: Set<number>;
  ack: Set<number>;
  unseen?: Set<number>;
  /** Segments sent at the same instant as the one before them (`&`): they crossed segments still in flight. */
  concurrent?: Set<number>;
}

export function renderSequenceText(tl: Timeline, frames: readonly number[] | null, options: SequenceTextOptions, forced: ForcedNumbers): string {
  const abs = options.numbering === 'absolute';
  const lines = new TextLines();
  const segs = tl.segments;
  const from = options.source ? ` of ${sanitizeComment(options.source)}` : '';
  lines.push(`# imported by wiregram from TCP stream ${tl.options.extra['stream'] ?? '?'}${from}: ${segs.length} segment${segs.length === 1 ? '' : 's'}`);
  lines.push('# t= is the capture time in seconds from the first packet (Wireshark: frame.time_relative); the flow layout shows it');
  if (tl.title) lines.push(`title ${quote(tl.title)}`);
  // A capture's TIME_WAIT outlasts it (2MSL is minutes): an MSL as long as the stream keeps a late FIN
  // retransmission inside TIME_WAIT, as on the wire.
  const msl = tl.timers.some((t) => t.kind === 'TIME_WAIT') ? ` msl=${Math.min(10_000, segs.length + 1)}` : '';
  lines.push(`option layout=flow labels=wireshark numbering=${abs ? 'absolute' : 'relative'}${msl}`);
  // Each side's usual window (Wireshark's calculated Win=) goes on its participant; segments state only changes.
  const usualWin = new Map<string, number>();
  for (const p of tl.participants) {
    const counts = new Map<number, number>();
    for (const s of segs) if (s.from === p.id && s.window !== null && !s.flags.includes('SYN')) counts.set(s.window, (counts.get(s.window) ?? 0) + 1);
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    if (best) usualWin.set(p.id, best[0]);
  }
  for (const p of tl.participants) {
    const at = p.address !== null && p.port !== null ? ` at ${p.address.includes(':') ? `[${p.address}]` : p.address}:${p.port}` : '';
    const win = usualWin.has(p.id) ? ` win=${usualWin.get(p.id)}` : '';
    lines.push(`participant ${p.id} as ${quote(p.label)}${at}${win}`);
  }
  const ids = tl.participants.map((p) => p.id);
  const handshake = segs.length > 0 && segs[0]!.flags.includes('SYN') && !segs[0]!.flags.includes('ACK');
  // Where each side's numbers start, in the numbering the text uses.
  const isn = new Map<string, number>();
  for (const s of segs) {
    if (!isn.has(s.from)) isn.set(s.from, abs ? (s.seq.offset - s.seq.relative) >>> 0 : 0);
    if (s.ack && !isn.has(s.to)) isn.set(s.to, abs ? (s.ack.offset - s.ack.relative) >>> 0 : 0);
  }
  if (abs && isn.size) lines.push(`isn ${ids.filter((i) => isn.has(i)).map((i) => `${i}=${isn.get(i)}`).join(' ')}`);
  const next = new Map<string, number>();
  if (!handshake && segs.length) {
    lines.push(`state ${ids.map((i) => `${i}=ESTABLISHED`).join(' ')}`);
    // Without the handshake both sides are already one past their (unseen) ISN.
    lines.push(`seq ${ids.map((i) => `${i}=${((isn.get(i) ?? 0) + 1) >>> 0}`).join(' ')}`);
    for (const i of ids) next.set(i, ((isn.get(i) ?? 0) + 1) >>> 0);
  }
  const num = (v: { offset: number; relative: number }) => (abs ? v.offset : v.relative);
  segs.forEach((s, k) => {
    const parts: string[] = [s.flags.length ? s.flags.join(', ') : 'ACK'];
    const seq = num(s.seq);
    const expectSeq = next.get(s.from) ?? isn.get(s.from) ?? 0;
    if (seq !== expectSeq || forced.seq.has(k)) parts.push(`seq=${seq}`);
    if (s.ack) {
      const expectAck = next.get(s.to) ?? isn.get(s.to) ?? 0;
      if (num(s.ack) !== expectAck || forced.ack.has(k)) parts.push(`ack=${num(s.ack)}${forced.unseen?.has(k) ? '!' : ''}`);
    }
    if (s.len > 0) parts.push(`len=${s.len}`);
    for (const o of s.options) {
      if (o.kind === 'MSS' && o.value !== undefined) parts.push(`mss=${o.value}`);
      else if (o.kind === 'WS' && o.value !== undefined) parts.push(`ws=${o.value}`);
      else if (o.kind === 'SACK_PERM') parts.push('sack_perm');
    }
    if (s.window !== null && s.window !== usualWin.get(s.from)) parts.push(`win=${s.window}`);
    if (s.marks.some((m) => m.kind === 'keepalive')) parts.push('keepalive');
    else if (s.retransmission) parts.push('retransmit');
    if (s.time !== null) parts.push(`t=${s.timeText ?? formatTime(s.time)}`);
    const end = (seq + s.len + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0)) >>> 0;
    if (!s.flags.includes('RST') && (!next.has(s.from) || ((end - next.get(s.from)!) | 0) > 0)) next.set(s.from, end);
    const comment = [frames ? `frame ${frames[k]}` : null, ...s.marks.filter((m) => m.kind !== 'reset').map((m) => m.text)]
      .filter(Boolean)
      .join(', ');
    // Sent before the previous segment (from the other side) arrived: the two crossed on the wire (simultaneous
    // open or close). `&` sends it at the same instant, as the capture's Timeline draws it.
    const prev = k > 0 ? segs[k - 1]! : null;
    const crossed = (prev !== null && prev.from !== s.from && prev.arrivesAt > s.sentAt) || forced.concurrent?.has(k) === true;
    lines.push(`${crossed ? '& ' : ''}${s.from} -> ${s.to}: ${parts.join(' ')}${comment ? `  # ${comment}` : ''}`);
  });
  return lines.text();
}

/**
 * Lines joined as they come, 1,024 at a time: a line is a tree of the pieces it was made of until it is joined,
 * and a long stream's lines held as trees until the end were a fifth of an import's memory.
 */
class TextLines {
  private readonly chunks: string[] = [];
  private lines: string[] = [];
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length === 1024) {
      this.chunks.push(this.lines.join('\n'));
      this.lines = [];
    }
  }
  /** Every line, each ended by a newline. */
  text(): string {
    if (this.lines.length) this.chunks.push(this.lines.join('\n'));
    this.lines = [];
    return this.chunks.join('\n') + '\n';
  }
}

/**
 * Seconds with at least microsecond digits (as Wireshark shows them) and nanosecond digits when the capture has
 * them, so the text compiles back to the very same instant.
 */
export function formatTime(t: number): string {
  const ns = t.toFixed(9);
  return ns.endsWith('000') ? ns.slice(0, -3) : ns;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ')}"`;
}

/** Text safe inside a `#` comment line. */
export function sanitizeComment(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').slice(0, 200);
}
