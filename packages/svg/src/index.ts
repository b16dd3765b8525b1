/**
 * @wiregram/svg — Scene → SVG. `renderSvg(source)` is the whole synchronous path text → SVG string.
 *
 * In Node the markup is written as a string straight from the element description (svg.js + svgdom measured
 * ~0.7 ms for a 100-element figure, more than the whole 1 ms budget); `renderSvgElement` draws the same
 * description into a live DOM with svg.js. See README.md for the measurements.
 */
import { WiregramError } from '@wiregram/core';
import { layoutSource, type LayoutSourceOptions, type Scene } from '@wiregram/layout';
import { describeParts, describeScene, partsToXml, type SceneSvgOptions } from './describe.js';
import { drawInto } from './dom.js';

export type { SceneSvgOptions } from './describe.js';
export type { SvgNode } from './xml.js';
export { describeScene } from './describe.js';
export { escapeXml, serialize } from './xml.js';
export { CSS_VARS } from './theme.js';

/** Everything `layoutSource` accepts (language, style, label style, …) plus the SVG options. */
export type SvgOptions = LayoutSourceOptions & SceneSvgOptions;

/** Scene → SVG string (one root `<svg>`, byte-identical for the same scene and options). */
export function sceneToSvg(scene: Scene, options: SceneSvgOptions = {}): string {
  return guard(() => partsToXml(describeParts(scene, options)));
}

function layoutOf(source: string, options: SvgOptions): Scene {
  if (typeof source !== 'string')
    throw new WiregramError({ code: 'invalid-source', reason: 'the diagram source is not a string', expected: 'the text of a tcp-sequence or packet-header block' });
  return layoutSource(source, options);
}

/** Text → SVG string, synchronously: parse, simulate, lay out, render. Bad input throws a `WiregramError`. */
export function renderSvg(source: string, options: SvgOptions = {}): string {
  return guard(() => partsToXml(describeParts(layoutOf(source, options), options, seedOf(source, options))));
}

/** Scene → a live `<svg>` element appended to `parent`, drawn with svg.js from the same description as `sceneToSvg`. */
export function sceneToSvgElement(scene: Scene, parent: Element, options: SceneSvgOptions = {}): SVGSVGElement {
  return guard(() => drawInto(parent, describeScene(scene, options)));
}

/** Text → a live `<svg>` element appended to `parent` (browser, or Node with an svgdom window registered). */
export function renderSvgElement(source: string, parent: Element, options: SvgOptions = {}): SVGSVGElement {
  return guard(() => {
    const p = describeParts(layoutOf(source, options), options, seedOf(source, options));
    return drawInto(parent, { ...p.root, children: [...p.head, ...p.body] });
  });
}

/** Source + options (keys sorted, functions dropped): what a rendered diagram is a pure function of. */
function seedOf(source: string, options: object): string {
  const keys = Object.keys(options).sort();
  let s = source;
  for (const k of keys) {
    const v = (options as Record<string, unknown>)[k];
    if (typeof v !== 'function' && v !== undefined) s += '\u0000' + k + '=' + JSON.stringify(v);
  }
  return s;
}

// Public functions throw WiregramError only: anything else is wrapped so callers can rely on one type.
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WiregramError) throw e;
    throw new WiregramError({
      code: 'render-failed',
      reason: `could not render the SVG: ${e instanceof Error ? e.message : String(e)}`,
      hint: 'this is a wiregram bug; please report it with the diagram source',
    });
  }
}
