/**
 * In what order a reader is told the state changes of a Timeline (the accessible `<desc>`, any text rendering).
 * A change caused by a segment is best told with that segment ("a sends SYN to b; b enters SYN_RCVD"), but a
 * delayed segment is sent long before it arrives: told at its sending, the change would come before changes of the
 * same endpoint that happened earlier (b's LISTEN after a reset, while the SYN was still on its way). Such a change
 * is told on its own, at the instant it happens. The decision is the data's, so every renderer tells the same story.
 */
import type { StateChange, Timeline } from './timeline.js';

export interface StateNarration {
  /** Changes told together with the segment that caused them, by segment index, in the Timeline's order. */
  withSegment: Map<number, StateChange[]>;
  /** Changes told on their own at their instant: user calls and timers, and caused changes that cannot wait. */
  alone: StateChange[];
}

export function narrateStates(timeline: Timeline): StateNarration {
  const withSegment = new Map<number, StateChange[]>();
  const alone: StateChange[] = [];
  const states = timeline.states;
  /** For each change: the segment it is told with, or null (told alone, or an initial state). */
  const toldWith: Array<number | null> = [];
  states.forEach((s, i) => {
    toldWith.push(null);
    if (s.from === null) return;
    const seg = s.cause === null ? undefined : timeline.segments[s.cause];
    if (!seg || overtakes(states, toldWith, i, seg.index, seg.sentAt)) {
      alone.push(s);
      return;
    }
    toldWith[i] = seg.index;
    const list = withSegment.get(seg.index);
    if (list) list.push(s);
    else withSegment.set(seg.index, [s]);
  });
  return { withSegment, alone };
}

/**
 * Whether change i, told with segment `seg` at `toldAt`, would come before an earlier change of the same endpoint
 * (one that happens after `toldAt`, and is not told with the same segment, just before it).
 */
function overtakes(states: readonly StateChange[], toldWith: ReadonlyArray<number | null>, i: number, seg: number, toldAt: number): boolean {
  const s = states[i]!;
  for (let j = 0; j < i; j++) {
    const o = states[j]!;
    if (o.participant === s.participant && o.from !== null && toldWith[j] !== seg && o.at > toldAt && o.at <= s.at) return true;
  }
  return false;
}
