export * from './errors.js';
export * from './timeline.js';
export { narrateStates, type StateNarration } from './narration.js';
export * from './header/model.js';
export * from './sequence/index.js';
export * from './compile/index.js';
export { formatLabel, formatSeq, formatState, wiresharkPrefixes, type FormatLabelOptions } from './labels.js';
export * from './header/index.js';
export * from './capture/index.js';
export * from './fence.js';
export * from './host.js';
export * from './graph.js';
export { ELIDE_AUTO_MIN, ELIDED_LABELS, elidedRuns } from './elide.js';
/** "Did you mean" helper for hosts that validate their own options (e.g. @wiregram/layout's option check). */
export { suggest } from './sequence/parser.js';

/** The two fenced-block languages wiregram draws. */
export type DiagramLanguage = 'tcp-sequence' | 'packet-header';
export const DIAGRAM_LANGUAGES: readonly DiagramLanguage[] = ['tcp-sequence', 'packet-header'];
