/**
 * The syntax tree of a `tcp-sequence` block. Every node carries the source position it came from so the engine
 * can point at the exact word it objects to.
 */
import type { Position } from '../errors.js';
import type { TcpFlag, TcpState } from '../timeline.js';

export interface NodeBase {
  position: Position;
}

/** An identifier or a quoted string as written, with its own position. */
export interface Word extends NodeBase {
  type: 'word';
  value: string;
}

/**
 * A sequence value: `x`, `x+1`, `u-2`, `1000`, `0xffffffff`. `forced` is a trailing `!` (draw it even if the
 * protocol says it cannot happen).
 */
export interface SeqValue extends NodeBase {
  type: 'seq-value';
  symbol: string | null;
  /** For a symbol: the offset from it; for a number: the number itself (0 … 2^32-1). */
  offset: number;
  text: string;
  forced: boolean;
}

export interface Assignment extends NodeBase {
  type: 'assignment';
  participant: Word;
  value: SeqValue;
}

export interface StateAssignment extends NodeBase {
  type: 'state-assignment';
  participant: Word;
  state: TcpState;
}

export interface OptionEntry extends NodeBase {
  type: 'option-entry';
  key: string;
  value: string;
}

export interface TitleStatement extends NodeBase {
  type: 'title';
  text: string;
}

export interface ParticipantStatement extends NodeBase {
  type: 'participant';
  id: Word;
  label: string | null;
  address: string | null;
  port: number | null;
  /** A forged source address: nothing it "receives" reaches anyone; it holds no TCP state. */
  spoofed: boolean;
  /** SYN queue length for a listener (`backlog=4`). */
  backlog: number | null;
  /** Default advertised window for this endpoint's segments. */
  window: number | null;
  /** Listening from the start (a passive open before the first segment). */
  listen: boolean;
}

export interface IsnStatement extends NodeBase {
  type: 'isn';
  assignments: Assignment[];
}

/** `seq client=u server=v`: name the next sequence number of each endpoint. */
export interface SeqStatement extends NodeBase {
  type: 'seq';
  assignments: Assignment[];
}

export interface OptionStatement extends NodeBase {
  type: 'option';
  entries: OptionEntry[];
}

/** `state client=ESTABLISHED server=ESTABLISHED`: start (or put) endpoints in a state. */
export interface StateStatement extends NodeBase {
  type: 'state';
  assignments: StateAssignment[];
}

export interface ListenStatement extends NodeBase {
  type: 'listen';
  participants: Word[];
}

export type SegmentAttributeKey =
  | 'seq'
  | 'ack'
  | 'win'
  | 'mss'
  | 'ws'
  | 'ts'
  | 'len'
  | 'delay'
  | 'note'
  | 'sack_perm'
  | 'lost'
  | 'stale'
  | 'retransmit'
  | 'keepalive'
  | 'force'
  | 'hide'
  /** `t=0.000831`: the real time of the segment, in seconds (an imported capture's frame.time_relative). */
  | 'time';

export interface SegmentAttribute extends NodeBase {
  type: 'attribute';
  key: SegmentAttributeKey;
  /** Numbers for win/mss/ws/ts/len/delay/time, a SeqValue for seq/ack, text for note/hide, null for bare words. */
  value: SeqValue | number | string | null;
}

export interface FlagNode extends NodeBase {
  type: 'flag';
  flag: TcpFlag;
}

export type ArrowKind = '->' | '->>' | '-->' | '-->>' | '-x' | '--x' | '-)' | '--)' | '<->';

export interface SegmentStatement extends NodeBase {
  type: 'segment';
  from: Word;
  to: Word;
  arrow: ArrowKind;
  /** `&` prefix: sent at the same instant as the previous segment. */
  concurrent: boolean;
  flags: FlagNode[];
  attributes: SegmentAttribute[];
  payload: Word | null;
}

export interface NoteStatement extends NodeBase {
  type: 'note';
  placement: 'over' | 'left' | 'right';
  participants: Word[];
  text: string;
}

export interface DividerStatement extends NodeBase {
  type: 'divider';
  text: string;
  /** `client <-> server: 数据传输` draws a two-headed exchange between two lifelines. */
  participants: Word[];
}

/**
 * `crash A` (or `reboot A`): A loses every TCB at once without sending anything (RFC 9293 §3.5.1's "failure or
 * reboot that resulted in loss of memory"); its peers keep their state. A's next OPEN is a new incarnation.
 */
export interface CrashStatement extends NodeBase {
  type: 'crash';
  participants: Word[];
}

export interface TimeoutStatement extends NodeBase {
  type: 'timeout';
  participant: Word;
  label: string | null;
}

/**
 * `wait 2`, `wait 2MSL`, `wait RTO`, `wait 7200s`. `amount` is in one-way trip units, a multiple of MSL/RTO, or
 * (unit `seconds`, written with s, ms, min or h) wall-clock seconds.
 */
export interface WaitStatement extends NodeBase {
  type: 'wait';
  amount: number;
  unit: 'trip' | 'msl' | 'rto' | 'seconds';
  /** For a wall-clock wait: the duration as written, for the bracket label (`7200 s`, `200 ms`). */
  label?: string;
}

export interface HeaderStatement extends NodeBase {
  type: 'header';
  /** 1-based segment number as written; null = the previous segment. */
  segment: number | null;
}

export interface CaptureStatement extends NodeBase {
  type: 'capture';
  path: Word;
  stream: number;
  /**
   * `stream 127.0.0.1:50762,127.0.0.1:18080`: the stream chosen by its endpoints instead of its number, as written;
   * the compile entry reads it with the capture package's selector grammar.
   */
  selector?: Word;
}

export interface ParStatement extends NodeBase {
  type: 'par';
  label: string | null;
  branches: Statement[][];
}

/** `loop 3 [label]` … `end`: the body runs 3 times (Mermaid's loop; without a number it runs once). */
export interface LoopStatement extends NodeBase {
  type: 'loop';
  count: number;
  label: string | null;
  body: Statement[];
}

export interface AutonumberStatement extends NodeBase {
  type: 'autonumber';
}

export type Statement =
  | TitleStatement
  | ParticipantStatement
  | IsnStatement
  | SeqStatement
  | OptionStatement
  | StateStatement
  | ListenStatement
  | CrashStatement
  | SegmentStatement
  | NoteStatement
  | DividerStatement
  | TimeoutStatement
  | WaitStatement
  | HeaderStatement
  | CaptureStatement
  | ParStatement
  | LoopStatement
  | AutonumberStatement;

export interface SequenceDocument extends NodeBase {
  type: 'document';
  statements: Statement[];
}
