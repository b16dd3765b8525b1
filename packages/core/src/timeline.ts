/**
 * The Timeline: what the protocol core computes from a `tcp-sequence` block (or a capture) and what every
 * timing-diagram layout draws. It holds numbers and states, never a pixel.
 *
 * Time is abstract: one one-way trip is 1 unit unless the author says otherwise, so segments sent at the same
 * instant, or overtaking each other, cross. Captured streams also carry real timestamps (`time`).
 */
import type { Diagnostic, Position } from './errors.js';

export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RCVD',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

/** In the order Wireshark prints them inside `[…]`; AE is AccECN's bit (RFC 9768, the former NS). */
export const TCP_FLAGS = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'] as const;
export type TcpFlag = (typeof TCP_FLAGS)[number];

export type LabelStyle = 'textbook' | 'flags' | 'wireshark';
export type StateNameStyle = 'underscore' | 'hyphen';
export type Numbering = 'relative' | 'absolute';
/** The TCP stream graphs (issue 17), named as Wireshark's: layouts over the same Timeline (graph.ts). */
export const STREAM_GRAPHS = ['stevens', 'tcptrace', 'throughput', 'rtt', 'window'] as const;
export type StreamGraphKind = (typeof STREAM_GRAPHS)[number];
export type TimingLayout = 'states' | 'lifeline' | 'flow' | StreamGraphKind;
/** Every timing layout: the sequence diagrams, then the stream graphs. */
export const TIMING_LAYOUTS = ['states', 'lifeline', 'flow', ...STREAM_GRAPHS] as const;

/**
 * A sequence or acknowledgement number. Symbolic (`x+1`: symbol `x`, offset 1) or numeric
 * (symbol null, offset = the absolute value modulo 2^32). `relative` is the distance from the sender's ISN
 * (for an ack: from the peer's ISN), as Wireshark's relative numbers show it.
 */
export interface SeqNumber {
  symbol: string | null;
  offset: number;
  relative: number;
}

export interface TcpOption {
  kind: 'MSS' | 'WS' | 'SACK_PERM' | 'SACK' | 'TS' | 'NOP' | 'EOL' | 'UNKNOWN';
  /** MSS bytes, window-scale shift, TS value; absent for NOP/EOL/SACK_PERM. */
  value?: number;
  /** TS echo reply. */
  echo?: number;
  /** SACK blocks, [left, right) as relative numbers. */
  blocks?: Array<[number, number]>;
  /** Raw option kind number for UNKNOWN. */
  code?: number;
}

export type SegmentMarkKind =
  | 'retransmission'
  | 'override'
  | 'duplicate-ack'
  | 'zero-window'
  | 'keepalive'
  | 'keepalive-ack'
  | 'reset'
  | 'stale'
  | 'out-of-window'
  | 'spoofed'
  /** Data up to the right edge of the receiver's window (`[TCP Window Full]`). */
  | 'window-full'
  /** A SYN that reuses the ports of an earlier connection (`[TCP Port numbers reused]`). */
  | 'reused-ports'
  /** Arrived but discarded by the receiver (a full SYN queue, a spoofed address that does not exist). */
  | 'dropped'
  /** Data that arrives after data sent later (Wireshark's `[TCP Out-Of-Order]`). */
  | 'out-of-order'
  /** One byte pushed into a zero window to see whether it opened (`[TCP ZeroWindowProbe]`). */
  | 'zero-window-probe'
  /** The receiver's answer to a zero-window probe, the window still closed (`[TCP ZeroWindowProbeAck]`). */
  | 'zero-window-probe-ack'
  /** A pure ACK that only changes the advertised window (`[TCP Window Update]`). */
  | 'window-update'
  /** The sequence number jumps ahead: a segment before it was not captured (`[TCP Previous segment not captured]`). */
  | 'previous-segment-lost'
  /** Acknowledges a segment the capture does not contain (`[TCP ACKed unseen segment]`). */
  | 'acked-unseen';

export interface SegmentMark {
  kind: SegmentMarkKind;
  /** Short text a layout may show next to the label, e.g. `retransmission`, `seq overridden`. */
  text: string;
  /** A duplicate ACK's number (#1, #2 …) and the frame of the ACK it repeats, as Wireshark counts them. */
  dupAck?: { num: number; frame: number };
}

export interface Participant {
  /** Identifier used in the source (`client`). */
  id: string;
  /** Display name (`客户端`); equals id when no alias was given. */
  label: string;
  address: string | null;
  port: number | null;
  position: Position | null;
}

export interface Segment {
  /** 0-based, in order of sending. */
  index: number;
  from: string;
  to: string;
  flags: TcpFlag[];
  seq: SeqNumber;
  /** null when the ACK flag is not set. */
  ack: SeqNumber | null;
  len: number;
  window: number | null;
  options: TcpOption[];
  payload: string | null;
  sentAt: number;
  /** For a lost segment: where it is lost (the cross), before the receiver. */
  arrivesAt: number;
  lost: boolean;
  retransmission: boolean;
  retransmissionOf: number | null;
  /**
   * Fields the author set by hand to a value other than the one the engine computes (`seq`, `ack`, `win`). Data
   * (`len=100`), options (`mss=1460`) and a `seq=` that only names the computed number are not overrides.
   */
  overrides: string[];
  marks: SegmentMark[];
  /** Formatted in the diagram's label style, e.g. `SYN, ACK, seq=y, ack=x+1`. */
  label: string;
  /** Fields the author chose not to show in the label (`hide=seq`, `option pure-ack-seq=hide`). */
  hidden?: Array<'seq' | 'ack' | 'win' | 'len'>;
  /** Free text the author attached to the segment. */
  note: string | null;
  /** Real timestamp in seconds from the start of the capture; null for authored diagrams. */
  time: number | null;
  /** `time` exact to the capture's resolution, as decimal seconds (a double loses nanoseconds past 2^53 ns). */
  timeText?: string;
  /** The urgent pointer of a segment with URG (Wireshark's `Urg=`). */
  urgent?: number;
  position: Position | null;
}

export interface StateChange {
  participant: string;
  at: number;
  /** null for an endpoint's initial state. */
  from: TcpState | null;
  to: TcpState;
  /** The segment whose sending or arrival caused the change; null for a user call or timer. */
  cause: number | null;
  /** Why, in words: `passive open`, `2MSL expired`, `close()`. */
  reason: string | null;
  position: Position | null;
}

export interface Timer {
  participant: string;
  kind: 'TIME_WAIT' | 'RTO' | 'keepalive' | 'custom';
  /** `2MSL`, `RTO`, `keepalive`. */
  label: string;
  start: number;
  end: number;
  /** True when the timer ran out (TIME_WAIT → CLOSED, retransmission fired). */
  expired: boolean;
  /** True when this timer restarts an earlier one (a resent FIN restarting 2MSL). */
  restarted: boolean;
  position: Position | null;
}

export interface Note {
  text: string;
  /** One participant (left of/right of/over it) or two (spanning). */
  participants: string[];
  placement: 'over' | 'left' | 'right';
  at: number;
  position: Position | null;
}

export interface Divider {
  text: string;
  at: number;
  position: Position | null;
  /**
   * Empty for a full-width divider (`== 数据传输 ==`); two participant ids for an exchange drawn as a
   * two-headed horizontal arrow between their lifelines (`client <-> server: 数据传输`, as the seed figures do).
   */
  participants?: string[];
  /** A run of segments folded by `option elide` (drawn by the layout in their place), not the author's divider. */
  gap?: boolean;
}

/**
 * `crash A`: at `at` the host lost every connection (TCB) without sending anything — RFC 9293 §3.5.1's crash or
 * reboot. Its peers keep their state; what happens next (half-open connection discovery) is ordinary segments.
 */
export interface Crash {
  participant: string;
  at: number;
  position: Position | null;
}

/** A `header` statement inside `tcp-sequence`: draw segment N's header with its values. */
export interface HeaderRequest {
  segment: number;
  at: number;
  position: Position | null;
}

/**
 * How the sequence layouts treat long runs of unremarkable segments: `auto` folds them when the diagram is long
 * (more than ELIDE_AUTO_MIN segments), `on` always, `off` never (the default).
 */
export const ELIDE_MODES = ['auto', 'on', 'off'] as const;
export type ElideMode = (typeof ELIDE_MODES)[number];

export interface DiagramOptions {
  labelStyle: LabelStyle;
  stateNames: StateNameStyle;
  numbering: Numbering;
  layout: TimingLayout;
  /** `option elide=…`: fold runs of unremarkable segments into one labelled gap (see ELIDE_MODES). */
  elide?: ElideMode;
  /** Any other `option key=value` the author set, for layouts to read. */
  extra: Record<string, string>;
}

export interface Timeline {
  kind: 'timeline';
  title: string | null;
  participants: Participant[];
  segments: Segment[];
  /** Every state an endpoint enters, its initial state included (from null, at 0). Sorted by `at`. */
  states: StateChange[];
  timers: Timer[];
  /** Hosts that crashed (`crash A`); absent when none did (and for captures). */
  crashes?: Crash[];
  notes: Note[];
  dividers: Divider[];
  headers: HeaderRequest[];
  options: DiagramOptions;
  /** The last instant anything happens at. */
  duration: number;
  warnings: Diagnostic[];
}
