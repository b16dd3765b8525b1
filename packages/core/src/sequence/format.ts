/**
 * Label, state and number formatting shared by the engine (which stores `Segment.label`) and by layouts that want
 * a different style for the same Timeline.
 */
import { TCP_FLAGS, type LabelStyle, type Numbering, type Segment, type SegmentMarkKind, type SeqNumber, type StateNameStyle, type TcpState, type Timeline } from '../timeline.js';

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

function optionText(segment: Segment, style: LabelStyle): string[] {
  const out: string[] = [];
  for (const o of segment.options) {
    if (style === 'wireshark') {
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

/** Wireshark's bracketed analysis prefixes, most important first: only the first that applies is printed. */
const ANALYSIS_PREFIXES: ReadonlyArray<readonly [SegmentMarkKind | 'retransmission', string]> = [
  ['keepalive', 'TCP Keep-Alive'],
  ['keepalive-ack', 'TCP Keep-Alive ACK'],
  ['retransmission', 'TCP Retransmission'],
  ['out-of-order', 'TCP Out-Of-Order'],
  ['zero-window-probe', 'TCP ZeroWindowProbe'],
  ['zero-window-probe-ack', 'TCP ZeroWindowProbeAck'],
  ['duplicate-ack', 'TCP Dup ACK'],
  ['zero-window', 'TCP ZeroWindow'],
  ['window-update', 'TCP Window Update'],
  ['previous-segment-lost', 'TCP Previous segment not captured'],
  ['acked-unseen', 'TCP ACKed unseen segment'],
];

/**
 * The analysis kind a `wireshark` label spells out in its `[TCP …]` prefix, or null. Layouts use it so a
 * comment column does not repeat what the label already says.
 */
export function wiresharkAnalysis(segment: Segment): { kind: SegmentMarkKind | 'retransmission'; text: string } | null {
  for (const [kind, text] of ANALYSIS_PREFIXES) {
    const applies = kind === 'retransmission' ? segment.retransmission : segment.marks.some((m) => m.kind === kind);
    if (applies) return { kind, text };
  }
  return null;
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
    if (!hidden(segment, 'len')) parts.push(`Len=${segment.len}`);
    for (const o of optionText(segment, 'wireshark')) parts.push(o);
    const analysis = wiresharkAnalysis(segment);
    return (analysis ? `[${analysis.text}] ` : '') + parts.join(' ');
  }
  const parts: string[] = labelStyle === 'flags' ? flags.map((f) => `${f}=1`) : [...flags];
  if (!hidden(segment, 'seq')) parts.push(`seq=${formatSeq(segment.seq, numbering)}`);
  if (hasAck && !hidden(segment, 'ack')) parts.push(`ack=${formatSeq(segment.ack!, numbering)}`);
  if (segment.len > 0 && !hidden(segment, 'len')) parts.push(`len=${segment.len}`);
  if (segment.overrides.includes('win') && segment.window !== null && !hidden(segment, 'win')) parts.push(`win=${segment.window}`);
  for (const o of optionText(segment, labelStyle)) parts.push(o);
  return parts.join(', ');
}
