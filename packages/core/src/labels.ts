/**
 * Label, state and number formatting shared by the engine (which stores `Segment.label`) and by layouts that want
 * a different style for the same Timeline.
 */
import { TCP_FLAGS, type LabelStyle, type Numbering, type Segment, type SegmentMarkKind, type SeqNumber, type StateNameStyle, type TcpState, type Timeline } from './timeline.js';

/**
 * `x`, `x+1`, `u-2` for symbolic numbers, the plain value for numeric ones. With `numbering: 'relative'` the
 * distance from the ISN (Wireshark's relative numbers) is shown instead, where one is known.
 */
export function formatSeq(n: SeqNumber, numbering: Numbering = 'absolute'): string {
  if (numbering === 'relative' && n.relative >= 0 && Number.isFinite(n.relative)) return String(n.relative);
  if (n.symbol === null) return String(n.offset);
  if (n.offset === 0) return n.symbol;
  return n.offset > 0 ? `${n.symbol}+${n.offset}` : `${n.symbol}${n.offset}`;
}

/** `SYN_SENT` or `SYN-SENT` (RFC 9293 writes hyphens, most textbooks and `netstat` underscores). */
export function formatState(state: TcpState, stateNames: StateNameStyle | '_' | '-' = 'underscore'): string {
  return stateNames === 'hyphen' || stateNames === '-' ? state.replace(/_/g, '-') : state;
}

function orderedFlags(segment: Segment): string[] {
  // Most segments already list their flags in canonical order; only sort when they do not.
  const flags = segment.flags;
  let last = -1;
  for (const f of flags) {
    const i = TCP_FLAGS.indexOf(f);
    if (i < last) return TCP_FLAGS.filter((g) => flags.includes(g));
    last = i;
  }
  return flags;
}

function hidden(segment: Segment, field: string): boolean {
  return segment.hidden?.includes(field as 'seq') ?? false;
}

function optionText(segment: Segment, style: LabelStyle, numbering: Numbering = 'relative'): string[] {
  const out: string[] = [];
  // SACK edges are kept relative; absolute numbering adds back the acknowledgment field's base.
  const sackBase = numbering === 'absolute' && segment.ack ? (segment.ack.offset - segment.ack.relative) >>> 0 : 0;
  for (const o of segment.options) {
    if (style === 'wireshark') {
      if (o.kind === 'SACK') for (const [l, r] of o.blocks ?? []) out.push(`SLE=${(l + sackBase) >>> 0} SRE=${(r + sackBase) >>> 0}`);
      if (o.kind === 'MSS') out.push(`MSS=${o.value}`);
      else if (o.kind === 'WS') out.push(`WS=${2 ** (o.value ?? 0)}`);
      else if (o.kind === 'SACK_PERM') out.push('SACK_PERM');
      else if (o.kind === 'TS') out.push(`TSval=${o.value ?? 0} TSecr=${o.echo ?? 0}`);
    } else {
      if (o.kind === 'MSS') out.push(`mss=${o.value}`);
      else if (o.kind === 'WS') out.push(`ws=${o.value}`);
      else if (o.kind === 'SACK_PERM') out.push('sack_perm');
      else if (o.kind === 'TS') out.push(`ts=${o.value ?? 0}`);
    }
  }
  return out;
}

/** The retransmission mark's text for Wireshark's fast and spurious retransmissions. */
export const FAST_RETRANSMISSION = 'fast retransmission';
export const SPURIOUS_RETRANSMISSION = 'spurious retransmission';

type AnalysisKind = SegmentMarkKind | 'retransmission';

/**
 * Wireshark's bracketed analysis prefixes in the order the Info column shows them. packet-tcp.c prints them group by
 * group (reused ports, retransmission, lost, window, keep-alive, dup ACK, zero window), each with
 * `col_prepend_fence_fstr`, so the last printed stands first.
 */
const ANALYSIS_PREFIXES: ReadonlyArray<readonly [AnalysisKind, string]> = [
  ['zero-window-probe-ack', 'TCP ZeroWindowProbeAck'],
  ['zero-window', 'TCP ZeroWindow'],
  ['zero-window-probe', 'TCP ZeroWindowProbe'],
  ['duplicate-ack', 'TCP Dup ACK'],
  ['keepalive-ack', 'TCP Keep-Alive ACK'],
  ['keepalive', 'TCP Keep-Alive'],
  ['window-full', 'TCP Window Full'],
  ['window-update', 'TCP Window Update'],
  ['acked-unseen', 'TCP ACKed unseen segment'],
  ['previous-segment-lost', 'TCP Previous segment not captured'],
  ['out-of-order', 'TCP Out-Of-Order'],
  ['retransmission', 'TCP Retransmission'],
  ['reused-ports', 'TCP Port numbers reused'],
];

/** The text of one prefix: a Dup ACK names the frame it repeats and its number; retransmissions their kind. */
function prefixText(segment: Segment, kind: AnalysisKind, text: string): string {
  if (kind === 'duplicate-ack') {
    const dup = segment.marks.find((m) => m.kind === 'duplicate-ack')?.dupAck;
    return dup ? `${text} ${dup.frame}#${dup.num}` : text;
  }
  if (kind === 'retransmission') {
    const mark = segment.marks.find((m) => m.kind === 'retransmission')?.text;
    if (mark === FAST_RETRANSMISSION) return 'TCP Fast Retransmission';
    if (mark === SPURIOUS_RETRANSMISSION) return 'TCP Spurious Retransmission';
  }
  return text;
}

/**
 * Every analysis prefix that applies to the segment, in the Info column's order. Layouts use it too, so a comment
 * column does not repeat what a `wireshark` label already says.
 */
export function wiresharkPrefixes(segment: Segment): Array<{ kind: AnalysisKind; text: string }> {
  const out: Array<{ kind: AnalysisKind; text: string }> = [];
  // Most segments of a long capture carry no analysis at all.
  if (!segment.retransmission && segment.marks.length === 0) return out;
  for (const [kind, text] of ANALYSIS_PREFIXES) {
    const applies = kind === 'retransmission' ? segment.retransmission : segment.marks.some((m) => m.kind === kind);
    if (applies) out.push({ kind, text: prefixText(segment, kind, text) });
  }
  return out;
}


export interface FormatLabelOptions {
  numbering?: Numbering;
}

/**
 * Format a segment's label: `textbook` (`SYN, ACK, seq=y, ack=x+1`), `flags` (`SYN=1, ACK=1, seq=y, ack=x+1`)
 * or `wireshark` (`54321 → 80 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0`).
 */
export function formatLabel(segment: Segment, timeline: Timeline | null = null, style?: LabelStyle, options: FormatLabelOptions = {}): string {
  const labelStyle = style ?? timeline?.options.labelStyle ?? 'textbook';
  // A style asked for explicitly (a layout re-labelling a diagram) brings its own default numbering.
  const styleDefault: Numbering = labelStyle === 'wireshark' ? 'relative' : 'absolute';
  const inherited = style === undefined || style === timeline?.options.labelStyle ? timeline?.options.numbering : undefined;
  const numbering = options.numbering ?? inherited ?? styleDefault;
  const flags = orderedFlags(segment);
  const hasAck = segment.ack !== null && flags.includes('ACK');
  if (labelStyle === 'wireshark') {
    const from = timeline?.participants.find((p) => p.id === segment.from);
    const to = timeline?.participants.find((p) => p.id === segment.to);
    const parts = [`${from?.port ?? segment.from} → ${to?.port ?? segment.to} [${flags.join(', ')}]`];
    if (!hidden(segment, 'seq')) parts.push(`Seq=${formatSeq(segment.seq, numbering)}`);
    if (hasAck && !hidden(segment, 'ack')) parts.push(`Ack=${formatSeq(segment.ack!, numbering)}`);
    if (!hidden(segment, 'win')) parts.push(`Win=${segment.window ?? 65535}`);
    if (segment.urgent !== undefined && flags.includes('URG')) parts.push(`Urg=${segment.urgent}`);
    if (!hidden(segment, 'len')) parts.push(`Len=${segment.len}`);
    for (const o of optionText(segment, 'wireshark', numbering)) parts.push(o);
    return wiresharkPrefixes(segment)
      .map((p) => `[${p.text}] `)
      .join('') + parts.join(' ');
  }
  const parts: string[] = labelStyle === 'flags' ? flags.map((f) => `${f}=1`) : [...flags];
  if (!hidden(segment, 'seq')) parts.push(`seq=${formatSeq(segment.seq, numbering)}`);
  if (hasAck && !hidden(segment, 'ack')) parts.push(`ack=${formatSeq(segment.ack!, numbering)}`);
  if (segment.len > 0 && !hidden(segment, 'len')) parts.push(`len=${segment.len}`);
  if (segment.overrides.includes('win') && segment.window !== null && !hidden(segment, 'win')) parts.push(`win=${segment.window}`);
  for (const o of optionText(segment, labelStyle)) parts.push(o);
  return parts.join(', ');
}
