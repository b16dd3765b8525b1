export * from './scene.js';
export { FONT, measureText, fontExtents, type FontWeight } from './font/measure.js';
export { themes, paintFor, rolePaint, ROLE_PAINT, AUTHOR_TINT, authorPaint, type Paint } from './theme.js';
export { layoutTimeline, type TimingLayoutOptions } from './timing/layout.js';
export { anchorShift, textBox, itemBox, boxesOverlap, segmentHitsBox, lineCrossing, type Box, type Segment2 } from './geometry.js';
export { layoutHeader, type HeaderLayoutOptions } from './header/index.js';
export { layoutSource, type LayoutSourceOptions } from './source.js';
export { attachSegmentHeaders } from './header/attach.js';
export { layoutSourceWithModel, type LayoutSourceResult } from './compile.js';
