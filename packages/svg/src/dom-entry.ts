/**
 * @wiregram/svg/dom — draws a diagram into a live DOM with svg.js (a browser, or Node with an svgdom window
 * registered via svg.js `registerWindow`). The markup is the same element description `renderSvg` serialises,
 * so both paths agree; this entry is separate so that string rendering never loads svg.js.
 */
import type { Scene } from '@wiregram/layout';
import { describeParts, describeScene, partsToTree, type SceneSvgOptions } from './describe.js';
import { drawInto } from './dom.js';
import { guard, layoutOf, seedOf, type SvgOptions } from './pipeline.js';

/** Scene → a live `<svg>` element appended to `parent`, drawn with svg.js from the same description as `sceneToSvg`. */
export function sceneToSvgElement(scene: Scene, parent: Element, options: SceneSvgOptions = {}): SVGSVGElement {
  return guard(() => drawInto(parent, describeScene(scene, options)));
}

/** Text → a live `<svg>` element appended to `parent` (browser, or Node with an svgdom window registered). */
export function renderSvgElement(source: string, parent: Element, options: SvgOptions = {}): SVGSVGElement {
  return guard(() => drawInto(parent, partsToTree(describeParts(layoutOf(source, options), options, () => seedOf(source, options)))));
}
