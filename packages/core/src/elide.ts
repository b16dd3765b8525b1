/**
 * Which segments `option elide` folds (issue 17, item 3): pure data, Timeline → runs. The layout draws the overview
 * (layout/timing/elide.ts); the compile entry asks the same question first, so a captured stream's labels are made
 * only for the segments the overview keeps (a long stream's labels were most of its compile time).
 */
import type { ElideMode, Segment, Timeline } from './timeline.js';

/**
 * The `options.extra` key a captured Timeline carries (the elide mode its labels were made for) when the segments
 * that overview folds were left unlabelled; a layout that draws them after all labels them (layout/timing/elide.ts).
 */
export const ELIDED_LABELS = 'elided-labels';

/** `auto` folds only diagrams longer than this. */
export const ELIDE_AUTO_MIN = 100;
/** Unremarkable segments kept on each side of a marked one, and at both ends of the diagram. */
const CONTEXT = 2;
/** A run shorter than this is drawn: a gap row would not save room. */
const MIN_RUN = 4;

/** Whether a segment is an event the overview must keep (the list, plus what the author asked for). */
function remarkable(s: Segment, caused: Set<number>, pinned: Set<number>): boolean {
  if (s.marks.length > 0 || s.retransmission || s.lost || s.overrides.length > 0 || s.note !== null) return true;
  if (s.flags.includes('SYN') || s.flags.includes('FIN') || s.flags.includes('RST')) return true;
  if (s.window === 0) return true;
  return caused.has(s.index) || pinned.has(s.index);
}

/** Which segments (by position in `timeline.segments`) fold, as runs [first, last]. */
export function elidedRuns(timeline: Timeline, mode: ElideMode | undefined): Array<[number, number]> {
  const segs = timeline.segments;
  if (!mode || mode === 'off' || (mode === 'auto' && segs.length <= ELIDE_AUTO_MIN)) return [];
  const caused = new Set<number>();
  for (const st of timeline.states) if (st.cause !== null && st.from !== null && st.from !== st.to) caused.add(st.cause);
  const pinned = new Set(timeline.headers.map((h) => h.segment));
  const keep = new Uint8Array(segs.length);
  for (let i = 0; i < Math.min(CONTEXT, segs.length); i++) keep[i] = keep[segs.length - 1 - i] = 1;
  // A retransmission brings back its original too: the last segment its sender sent at its sequence number. Only
  // the numbers some retransmission repeats are followed (a map of every segment of a long stream was most of this).
  const resent = new Map<string, Map<number, number>>();
  for (const s of segs) {
    if (s.len > 0 && s.retransmission) {
      let sender = resent.get(s.from);
      if (!sender) resent.set(s.from, (sender = new Map()));
      sender.set(s.seq.offset, -1);
    }
  }
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s.len > 0 && resent.size) {
      const sender = resent.get(s.from);
      const last = sender?.get(s.seq.offset);
      if (last !== undefined) {
        if (s.retransmission && last >= 0) keep[last] = 1;
        sender!.set(s.seq.offset, i);
      }
    }
    if (!remarkable(s, caused, pinned)) continue;
    for (let k = Math.max(0, i - CONTEXT); k <= Math.min(segs.length - 1, i + CONTEXT); k++) keep[k] = 1;
  }
  // Notes and dividers keep the segments around their instant.
  for (const at of [...timeline.notes.map((n) => n.at), ...timeline.dividers.map((d) => d.at)]) {
    segs.forEach((s, i) => {
      if (s.sentAt <= at + 1 && s.arrivesAt >= at - 1) keep[i] = 1;
    });
  }
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < segs.length; ) {
    if (keep[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < segs.length && !keep[j + 1]) j++;
    if (j - i + 1 >= MIN_RUN) runs.push([i, j]);
    i = j + 1;
  }
  return runs;
}
