export * from './scene.js';
export { FONT, measureText, fontExtents, type FontWeight } from './font/measure.js';
export { themes, paintFor, rolePaint, ROLE_PAINT, type Paint } from './theme.js';
export { layoutTimeline, describe as describeTimeline, type TimingLayoutOptions } from './timing/layout.js';
export { textBox, itemBox, boxesOverlap, segmentHitsBox, lineCrossing, type Box, type Segment2 } from './geometry.js';
export { layoutHeader, type HeaderLayoutOptions } from './header/index.js';
export { layoutSource, type LayoutSourceOptions } from './source.js';
export { attachSegmentHeaders } from './header/attach.js';
export { layoutSourceWithModel, type LayoutSourceResult } from './compile.js';
