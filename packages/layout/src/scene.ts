/**
 * The Scene: positioned primitives that both renderers draw 1:1. Every decision about geometry, wrapping,
 * arrowheads and colours is made here, so SVG and PDF cannot disagree. Units are CSS px (1/96 in);
 * the PDF backend converts to points.
 *
 * Arrowheads and loss crosses are explicit polygons/lines, not SVG markers: no ids to clash across diagrams
 * and nothing the PDF backend has to re-invent.
 */

/** What an item is; renderers turn it into a CSS class (`wg-<role>`) and a palette lookup. */
export type Role =
  | 'background'
  | 'title'
  | 'participant-box'
  | 'participant'
  | 'lifeline'
  | 'state-box'
  | 'state'
  | 'segment'
  | 'segment-lost'
  | 'segment-retransmission'
  | 'segment-override'
  | 'arrowhead'
  /** Arrowheads coloured like their segment (additive: plain `arrowhead` stays the normal segment's head). */
  | 'arrowhead-retransmission'
  | 'arrowhead-override'
  | 'loss-cross'
  | 'label'
  | 'label-mark'
  | 'timer'
  | 'timer-label'
  | 'note-box'
  | 'note'
  | 'divider'
  | 'divider-label'
  | 'time'
  | 'field-box'
  | 'field'
  | 'flag-box'
  | 'flag'
  | 'field-value'
  | 'field-open'
  | 'ruler'
  | 'ruler-label'
  | 'offset-label'
  | 'error-box'
  | 'error'
  // Stream graphs (graph/): frame, text, and one role per series.
  | 'graph-axis'
  | 'graph-grid'
  | 'graph-tick'
  | 'graph-axis-title'
  | 'graph-legend'
  | 'graph-data'
  | 'graph-retransmission'
  | 'graph-syn-fin'
  | 'graph-ack'
  | 'graph-window'
  | 'graph-sack'
  | 'graph-zero-window'
  | 'graph-lost'
  | 'graph-acked-unseen'
  | 'graph-throughput'
  | 'graph-goodput'
  | 'graph-rtt'
  | 'graph-rwnd'
  | 'graph-in-flight';

export interface ItemBase {
  role: Role;
  /**
   * For step-by-step decks: the first step at which the item is shown. 0 = always (frame, participants,
   * initial states); segment i and what it causes = i + 1.
   */
  step: number;
  /** Explicit colour chosen by the author (validated `#rrggbb` or CSS named colour); overrides the palette. */
  color?: string;
}

export interface SceneRect extends ItemBase {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  /** Corner radius. */
  rx: number;
  /** Dashed outline, e.g. for an open-ended (variable-length) field. */
  dash?: number[];
}

export interface SceneLine extends ItemBase {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  dash?: number[];
}

export interface ScenePolygon extends ItemBase {
  type: 'polygon';
  points: Array<[number, number]>;
}

/** An open polyline (brackets, hatching). */
export interface ScenePolyline extends ItemBase {
  type: 'polyline';
  points: Array<[number, number]>;
  dash?: number[];
}

export interface SceneText extends ItemBase {
  type: 'text';
  /** Anchor point; y is the alphabetic baseline. */
  x: number;
  y: number;
  text: string;
  fontSize: number;
  fontWeight: 'normal' | 'bold';
  anchor: 'start' | 'middle' | 'end';
  /** Rotation in degrees about (x, y), clockwise as in SVG; -90 for vertical flag letters read bottom-up. */
  rotate: number;
  /** Measured advance width at fontSize, before rotation (what the layout reserved). */
  width: number;
  /** Ascent and descent at fontSize, for bounding boxes. */
  ascent: number;
  descent: number;
  /** Full text when `text` had to be elided to fit; renderers show it as a tooltip (SVG `<title>`). */
  title?: string;
}

export type SceneItem = SceneRect | SceneLine | ScenePolygon | ScenePolyline | SceneText;

export interface Scene {
  width: number;
  height: number;
  /** Accessible name (`<title>`); the diagram title or a generated one. */
  title: string;
  /** Accessible description (`<desc>`): the segments and states in words. */
  description: string;
  /** Font family name to request; metrics in `SceneText.width` come from this font. */
  fontFamily: string;
  items: SceneItem[];
  /** Number of steps for decks (segments count); 0 for a header layout. */
  steps: number;
}

/** A colour scheme: every role's fill/stroke. Values are CSS colours. */
export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  line: string;
  accent: string;
  lost: string;
  retransmission: string;
  override: string;
  stateFill: string;
  stateStroke: string;
  noteFill: string;
  noteStroke: string;
  fieldFill: string;
  flagFill: string;
  timer: string;
  error: string;
  errorFill: string;
}

export type ThemeName = 'light' | 'dark';
