/**
 * Colours and the role → paint mapping, shared by the SVG and PDF renderers so they cannot disagree.
 * Dark is designed, not inverted: a near-black blue-grey ground, light-grey ink, and state/flag fills one
 * step above the ground so boxes still read as boxes; signal colours are lighter so they keep their contrast.
 */
import { normalizeColor } from '@wiregram/core';
import type { Palette, Role, SceneItem, ThemeName } from './scene.js';

export const themes: Record<ThemeName, Palette> = {
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    muted: '#5f6b78',
    line: '#2b3137',
    accent: '#0b5cad',
    lost: '#c62828',
    retransmission: '#a35c00',
    override: '#7b3fc4',
    stateFill: '#f4f6f9',
    stateStroke: '#7d8894',
    noteFill: '#fff6d1',
    noteStroke: '#c9a227',
    fieldFill: '#ffffff',
    flagFill: '#eef2f7',
    timer: '#1d7a3a',
    error: '#b3261e',
    errorFill: '#fdecea',
  },
  dark: {
    background: '#15191e',
    foreground: '#e3e8ee',
    muted: '#98a3ae',
    line: '#c8d0d8',
    accent: '#7cb8ff',
    lost: '#ff7a70',
    retransmission: '#f0b35a',
    override: '#c9a4ff',
    stateFill: '#1f262e',
    stateStroke: '#738090',
    noteFill: '#2e2a17',
    noteStroke: '#a58a2c',
    fieldFill: '#1a2027',
    flagFill: '#242c36',
    timer: '#6fd08c',
    error: '#ff7a70',
    errorFill: '#3a1c1b',
  },
};

export interface Paint {
  fill: keyof Palette | 'none';
  stroke: keyof Palette | 'none';
  /** In Scene px; 0 when there is no stroke. */
  strokeWidth: number;
}

const text = (fill: keyof Palette): Paint => ({ fill, stroke: 'none', strokeWidth: 0 });
const line = (stroke: keyof Palette, strokeWidth = 1): Paint => ({ fill: 'none', stroke, strokeWidth });
const box = (fill: keyof Palette, stroke: keyof Palette, strokeWidth = 1): Paint => ({ fill, stroke, strokeWidth });

/** How every role is painted (text roles: fill only). */
export const ROLE_PAINT: Record<Role, Paint> = {
  // Also used for the knock-out rectangles behind arrow labels (the line is interrupted, as in the seeds).
  background: { fill: 'background', stroke: 'none', strokeWidth: 0 },
  title: text('foreground'),
  'participant-box': box('stateFill', 'line', 1.25),
  participant: text('foreground'),
  lifeline: line('muted', 1),
  'state-box': box('stateFill', 'stateStroke', 1),
  state: text('foreground'),
  segment: line('line', 1.4),
  'segment-lost': line('lost', 1.4),
  'segment-retransmission': line('retransmission', 1.4),
  'segment-override': line('override', 1.4),
  arrowhead: { fill: 'line', stroke: 'none', strokeWidth: 0 },
  'arrowhead-retransmission': { fill: 'retransmission', stroke: 'none', strokeWidth: 0 },
  'arrowhead-override': { fill: 'override', stroke: 'none', strokeWidth: 0 },
  'loss-cross': line('lost', 2),
  label: text('foreground'),
  'label-mark': text('accent'),
  timer: line('timer', 1.25),
  'timer-label': text('timer'),
  'note-box': box('noteFill', 'noteStroke', 1),
  note: text('foreground'),
  divider: line('muted', 1),
  'divider-label': text('muted'),
  time: text('muted'),
  'field-box': box('fieldFill', 'line', 1),
  field: text('foreground'),
  'flag-box': box('flagFill', 'line', 1),
  flag: text('foreground'),
  'field-value': text('accent'),
  'field-open': line('line', 1),
  ruler: line('muted', 1),
  'ruler-label': text('muted'),
  'offset-label': text('muted'),
  'error-box': box('errorFill', 'error', 1),
  error: text('error'),
  // Stream graphs: tcptrace's colour code (ACK green, window yellow, SACK purple, retransmission red/orange).
  'graph-axis': line('muted', 1),
  'graph-grid': line('flagFill', 1),
  'graph-tick': text('muted'),
  'graph-axis-title': text('foreground'),
  'graph-legend': text('foreground'),
  'graph-data': line('accent', 1.2),
  'graph-retransmission': line('retransmission', 1.6),
  'graph-syn-fin': line('line', 1.2),
  'graph-ack': line('timer', 1.2),
  'graph-window': line('noteStroke', 1.2),
  'graph-sack': line('override', 1.4),
  'graph-zero-window': line('lost', 1.6),
  'graph-lost': line('lost', 1.6),
  'graph-acked-unseen': line('error', 1.4),
  'graph-throughput': line('accent', 1.4),
  'graph-goodput': line('timer', 1.4),
  'graph-rtt': line('accent', 2.4),
  'graph-rwnd': line('noteStroke', 1.4),
  'graph-in-flight': line('accent', 1.2),
};

/** The palette keys a role paints with. */
export function paintFor(role: Role): Paint {
  return ROLE_PAINT[role] ?? text('foreground');
}

/** The same, resolved to CSS colours of one palette (`null` = nothing to paint); what the PDF backend needs. */
export function rolePaint(
  role: Role,
  palette: Palette,
): { fill: string | null; stroke: string | null; strokeWidth: number } {
  const p = paintFor(role);
  return {
    fill: p.fill === 'none' ? null : palette[p.fill],
    stroke: p.stroke === 'none' ? null : palette[p.stroke],
    strokeWidth: p.strokeWidth,
  };
}

/** Share of an author colour in a tinted box fill (mixed over the theme background). */
export const AUTHOR_TINT = 0.3;

/**
 * Where an item's author colour (`item.color`) goes, decided once so SVG and PDF agree: a box (a role both
 * filled and outlined) has its fill tinted, `AUTHOR_TINT` over the background, so the theme-coloured text inside
 * stays readable in light and dark; text and fill-only shapes (arrowheads) are filled with it; lines stroked.
 */
export function authorColorTarget(item: Pick<SceneItem, 'type' | 'role'>): 'tint' | 'fill' | 'stroke' {
  const p = paintFor(item.role);
  if (p.fill !== 'none' && p.stroke !== 'none') return 'tint';
  if (item.type === 'text' || p.fill !== 'none') return 'fill';
  return 'stroke';
}

/**
 * The author colour an item carries and where it goes, or null. Only colours the core accepts (`#rgb`, `#rrggbb`,
 * CSS names) are drawn, so the SVG and PDF backends agree even on a hand-built Scene.
 */
export function authorPaint(item: Pick<SceneItem, 'type' | 'role' | 'color'>): { color: string; target: 'tint' | 'fill' | 'stroke' } | null {
  const c = item.color;
  if (!c || normalizeColor(c) === null) return null;
  return { color: c, target: authorColorTarget(item) };
}
