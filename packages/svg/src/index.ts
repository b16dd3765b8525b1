/**
 * @wiregram/svg — Scene → SVG. `renderSvg(source)` is the whole synchronous path text → SVG string.
 *
 * In Node the markup is written as a string straight from the element description (svg.js + svgdom measured
 * ~0.7 ms for a 100-element figure, more than the whole 1 ms budget); `@wiregram/svg/dom` draws the same
 * description into a live DOM with svg.js, and is a separate entry so the string path never loads svg.js.
 * See README.md for the measurements.
 */
export type { SceneSvgOptions } from './describe.js';
export type { SvgNode } from './xml.js';
export { describeScene, shortHash } from './describe.js';
export { escapeXml, serialize } from './xml.js';
export { CSS_VARS, DIAGRAM_CLASS, PINNED_CLASS, type StyleMode, type ThemeMode } from './theme.js';
export { insertFirstChild, PAGE_STYLE_CLASS, pageStylesheet, pageStyleTree, type PageStyleOptions } from './page-style.js';
export { checkDarkSelector } from './selector.js';
export { ERROR_BOX_STYLE, ERROR_FRAME_STYLE, errorBoxParts, errorBoxTree, type ErrorBoxParts, type ErrorBoxPlace } from './error-box.js';
export { failsStrict, formatBlockReport, logBlockReport, logPath, strictFailureError, strictFailureMessage, strictFailures, strictMode, type BlockReport, type ReportLog } from './report.js';

export type { SvgOptions } from './pipeline.js';
export { blockIdPrefix, DEFAULT_MAX_PAGE_BYTES, markdownHost, type BlockRenderOptions, type MarkdownHost, type MarkdownHostOptions, type PluginStyles } from './host.js';
export { render, renderedTreeWith, renderSvg, sceneToSvg, type RenderResult } from './render.js';
export type { TreeBuilder } from './describe.js';
