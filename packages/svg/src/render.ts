/** Text → SVG: `render` (with warnings, title, size and tree), `renderSvg` (the string), `sceneToSvg`. */
import type { Diagnostic, DiagramLanguage } from '@wiregram/core';
import { layoutSourceWithModel, type Scene } from '@wiregram/layout';
import { checkSource, guard, layoutOf, seedOf, type SvgOptions } from './pipeline.js';
import { describeParts, partsToTree, partsToTreeWith, partsToXml, type SceneSvgOptions, type SvgParts, type TreeBuilder, type TreeSize } from './describe.js';
import type { SvgNode } from './xml.js';

/** Scene → SVG string (one root `<svg>`, byte-identical for the same scene and options). */
export function sceneToSvg(scene: Scene, options: SceneSvgOptions = {}): string {
  return guard(() => partsToXml(describeParts(scene, options)));
}

/** What `render` returns: the SVG and what a host needs around it, from one parse of the block. */
export interface RenderResult {
  /** The SVG document, byte-identical to `renderSvg(source, options)`. */
  svg: string;
  /**
   * The core's non-fatal findings (an override accepted and marked, a capture frame skipped, …), positions
   * relative to the block's source. Empty for a clean diagram.
   */
  warnings: Diagnostic[];
  /** The accessible name (the `<title>` text): the diagram's title or a generated one — e.g. an `<img alt>`. */
  title: string;
  /** The `viewBox` size in CSS px (also the `width`/`height` attributes). */
  width: number;
  height: number;
  language: DiagramLanguage;
  /**
   * The same SVG as an element description (what `svg` serialises; text and attribute values unescaped), for
   * hosts that build a tree rather than parse markup — e.g. remark-wiregram's hast.
   */
  tree: SvgNode;
}

/**
 * Text → SVG plus the core's warnings, title and size, synchronously and from a single parse — what a Markdown
 * plugin or an editor needs. Bad input throws a `WiregramError`, as `renderSvg` does.
 */
export function render(source: string, options: SvgOptions = {}): RenderResult {
  keptResult ??= new Rendered({ root: { name: 'svg', attrs: [], children: [] }, head: [], items: [], resolved: false, steps: false, bodyXml: null }, [], '', 1, 1, 'tcp-sequence');
  return guard(() => {
    checkSource(source);
    const laid = layoutSourceWithModel(source, options);
    const parts = describeParts(laid.scene, options, () => seedOf(source, options));
    // The numbers exactly as written into the viewBox (rounded, at least 1).
    const size = (name: string) => Number(parts.root.attrs.find(([k]) => k === name)?.[1]);
    const title = parts.head[0]?.children;
    // One form per diagram, made on first read: the text (markdown-it, files) or the element tree (remark's hast).
    return new Rendered(parts, laid.warnings.slice(), typeof title === 'string' ? title : '', size('width'), size('height'), laid.language);
  });
}

/** A `render` result: `svg` and `tree` are made from the parts when first read (a hast host never makes the text). */
class Rendered implements RenderResult {
  private _svg: string | undefined;
  private _tree: SvgNode | undefined;
  constructor(
    /** Read by `svgLengthOf` and `renderedTreeWith` (functions, so bundles that use neither leave them out). */
    readonly _parts: SvgParts,
    readonly warnings: Diagnostic[],
    readonly title: string,
    readonly width: number,
    readonly height: number,
    readonly language: DiagramLanguage,
  ) {}
  get svg(): string {
    return (this._svg ??= partsToXml(this._parts));
  }
  get tree(): SvgNode {
    return (this._tree ??= partsToTree(this._parts));
  }
  /** The text if it was made (else undefined), without making it. */
  get madeSvg(): string | undefined {
    return this._svg;
  }
}

/**
 * One result kept for as long as the module lives, made on the first render: V8 frees the hidden class of
 * Rendered objects at a full GC that finds none alive (between two documents of a host's build) and drops the
 * optimized code that reads them with it, so `render` and `svg` would start cold after each such GC.
 */
let keptResult: Rendered | null = null;

/** A builder that makes no tree: with a `TreeSize`, `partsToTreeWith` then only counts what `serialize` would write. */
const NOTHING: TreeBuilder<null, null> = { element: () => null, text: () => null };

/**
 * The diagram of a `render` result as the host's own tree, made straight from the layout (remark-wiregram's
 * hast): neither the text nor the element description is made. Null for anything `render` did not return
 * (a custom renderer's result). `size` gets the SVG text's length added, counted in the same pass.
 */
export function renderedTreeWith<E, T>(result: unknown, b: TreeBuilder<E, T>, size: TreeSize | null = null): E | null {
  return result instanceof Rendered ? partsToTreeWith(result._parts, b, size) : null;
}

/**
 * The byte length of a renderer result's SVG, without building the text of a `render` result (its parts give
 * the same number); any other result (a custom renderer's string or object) is measured as it is.
 */
export function svgLengthOf(result: unknown): number {
  if (typeof result === 'string') return result.length;
  // Counted from the parts when the text was not made: no text, no tree.
  if (result instanceof Rendered) {
    if (result.madeSvg !== undefined) return result.madeSvg.length;
    const size = { bytes: 0 };
    partsToTreeWith(result._parts, NOTHING, size);
    return size.bytes;
  }
  const svg = (result as { svg?: unknown } | null)?.svg;
  return typeof svg === 'string' ? svg.length : 0;
}

/** Text → SVG string, synchronously: parse, simulate, lay out, render. Bad input throws a `WiregramError`. */
export function renderSvg(source: string, options: SvgOptions = {}): string {
  return guard(() => partsToXml(describeParts(layoutOf(source, options), options, () => seedOf(source, options))));
}
