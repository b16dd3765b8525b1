/**
 * @wiregram/sanitize — what a custom `renderer` of the Markdown plugins returns is untrusted markup: it is
 * parsed as HTML (parse5, through hast-util-from-html: the same case folding and foreign-content rules a
 * browser applies, so `<SCRIPT>` and `<foreignobject>` are recognised for what they are) and cleaned by
 * hast-util-sanitize with an SVG allowlist. wiregram's own renderer escapes every author text and is not
 * re-parsed (the fast default path).
 */
import type { Element, ElementContent, Nodes, Properties, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { sanitize, type Schema } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';

/** A fragment reference (`#id`): the only link target an inline diagram may have. */
const LOCAL = /^#/;

const SHARED = [
  'id', 'className', 'style', 'transform', 'role', 'ariaLabel', 'ariaLabelledBy', 'ariaDescribedBy', 'ariaHidden', 'tabIndex', 'lang', 'dir',
  'fill', 'fillOpacity', 'fillRule', 'clipRule', 'stroke', 'strokeWidth', 'strokeDashArray', 'strokeDashOffset', 'strokeLineCap',
  'strokeLineJoin', 'strokeMiterLimit', 'strokeOpacity', 'opacity', 'color', 'visibility', 'display', 'vectorEffect', 'paintOrder',
  'fontFamily', 'fontSize', 'fontStyle', 'fontWeight', 'fontVariant', 'textAnchor', 'dominantBaseline', 'alignmentBaseline',
  'baselineShift', 'letterSpacing', 'wordSpacing', 'textDecoration', 'writingMode', 'xmlSpace',
  'clipPath', 'mask', 'filter', 'markerStart', 'markerMid', 'markerEnd', 'shapeRendering', 'textRendering',
  'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'width', 'height', 'points', 'd', 'dx', 'dy', 'rotate',
  'textLength', 'lengthAdjust', 'pathLength', 'offset', 'stopColor', 'stopOpacity',
  'data*',
  ['href', LOCAL],
  ['xLinkHref', LOCAL],
] as const;

/**
 * Static SVG only: shapes, text, paint servers, markers, clips and `<use>` of a local id. Left out: script,
 * foreignObject (HTML inside SVG), the animation elements (`<animate attributeName="href">` rewrites a link
 * into `javascript:`), `<a>`, `<image>`, `<iframe>`, event handler attributes, and any link or resource that is
 * not a `#fragment` of the document.
 */
export const SVG_SCHEMA: Schema = {
  allowComments: false,
  allowDoctypes: false,
  // Ids are the diagram's own (`wg-<hash>-…`, scoped CSS and aria references depend on them): no prefix.
  clobber: [],
  clobberPrefix: '',
  ancestors: {},
  protocols: {},
  required: {},
  tagNames: [
    'svg', 'g', 'defs', 'title', 'desc', 'style', 'symbol', 'use', 'switch',
    'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'path',
    'text', 'tspan', 'textPath',
    'marker', 'clipPath', 'mask', 'pattern', 'linearGradient', 'radialGradient', 'stop',
  ],
  // Removed with everything inside (other unknown elements are unwrapped: their allowed children stay).
  strip: ['script', 'foreignObject', 'animate', 'animateMotion', 'animateTransform', 'animateColor', 'set', 'iframe', 'object', 'embed', 'image', 'noscript', 'template', 'mpath'],
  attributes: {
    '*': [...SHARED] as Schema['attributes'] extends Record<string, infer D> | null | undefined ? D : never,
    svg: ['viewBox', 'preserveAspectRatio', 'xmlns', 'xmlnsXLink', 'version'],
    symbol: ['viewBox', 'preserveAspectRatio'],
    marker: ['viewBox', 'preserveAspectRatio', 'markerWidth', 'markerHeight', 'markerUnits', 'refX', 'refY', 'orient'],
    pattern: ['viewBox', 'preserveAspectRatio', 'patternUnits', 'patternContentUnits', 'patternTransform'],
    clipPath: ['clipPathUnits'],
    mask: ['maskUnits', 'maskContentUnits'],
    linearGradient: ['gradientUnits', 'gradientTransform', 'spreadMethod'],
    radialGradient: ['gradientUnits', 'gradientTransform', 'spreadMethod', 'fx', 'fy', 'fr'],
    textPath: ['startOffset', 'method', 'spacing', 'side'],
  },
};

/**
 * CSS a diagram may carry (its `<style>` and `style` attributes): no `@import`, no `url()` that leaves the
 * document, nothing escaped (a backslash can spell either), no legacy script hooks. Anything else is dropped
 * whole rather than repaired.
 */
export function safeCss(css: string): boolean {
  if (/[\\]|@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding/i.test(css)) return false;
  for (const m of css.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) if (!LOCAL.test(m[2]!.trim())) return false;
  // A `url(` the pattern above could not read (unbalanced quotes, …) is refused too.
  const urls = css.match(/url\s*\(/gi)?.length ?? 0;
  const read = [...css.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].length;
  return urls === read;
}

/** Elements whose whitespace-only text matters; elsewhere it is formatting (React warns about it in SVG). */
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'textPath', 'title', 'desc', 'style']);

/**
 * After the allowlist: drops unsafe CSS (see safeCss), formatting whitespace and source positions, without
 * recursion (the tree is the renderer's, of any depth).
 */
function tidy(root: Nodes): void {
  const stack: Nodes[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    delete node.position;
    if (node.type !== 'element' && node.type !== 'root') continue;
    if (node.type === 'element' && !TEXT_ELEMENTS.has(node.tagName)) {
      node.children = node.children.filter((c) => c.type !== 'text' || c.value.trim() !== '');
    }
    if (node.type === 'element') {
      const style = node.properties.style;
      if (style !== undefined && !safeCss(String(style))) delete node.properties.style;
      if (node.tagName === 'style') {
        const css = node.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
        if (!safeCss(css)) node.children = [];
        for (const c of node.children) delete c.position;
        continue;
      }
    }
    for (const child of node.children) stack.push(child);
  }
}

/** The first `<svg>` element of a tree, breadth-first, without recursion. */
function firstSvg(root: Nodes): Element | null {
  const queue: Nodes[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    if (node.type === 'element' && node.tagName === 'svg') return node;
    if (node.type === 'element' || node.type === 'root') for (const c of node.children) queue.push(c);
  }
  return null;
}

export class UnsafeRendererOutput extends Error {
  override readonly name = 'UnsafeRendererOutput';
}

/**
 * A custom renderer's SVG (markup, or a hast tree) → the sanitized `<svg>` element. Throws
 * `UnsafeRendererOutput` when nothing that is an `<svg>` survives.
 */
export function sanitizeSvg(input: string | Nodes): Element {
  const tree: Nodes = typeof input === 'string' ? fromHtml(input, { fragment: true }) : lowerCaseNames(input);
  const clean = sanitize(tree, SVG_SCHEMA);
  tidy(clean);
  const svg = firstSvg(clean);
  if (!svg) throw new UnsafeRendererOutput('the renderer returned no <svg> element (or nothing of it was safe to keep)');
  return svg;
}

/**
 * A custom renderer's SVG (markup or tree) → sanitized markup, the `<svg>` element alone: inside an HTML page
 * (`space: 'html'`, default) or as a standalone `.svg` file (`'svg'`).
 */
export function sanitizeSvgHtml(input: string | Nodes, space: 'html' | 'svg' = 'html'): string {
  const root: Root = { type: 'root', children: [sanitizeSvg(input)] };
  return toHtml(root, { space, closeEmptyElements: space === 'svg' });
}

/**
 * A tree built by hand may spell a tag `SCRIPT` or `foreignobject`, which a browser's parser would fold: fold
 * the names the same way before the allowlist compares them (copying, so the caller's tree is left alone).
 */
function lowerCaseNames(node: Nodes): Nodes {
  const copy = (n: Nodes): Nodes => {
    if (n.type !== 'element' && n.type !== 'root') return { ...n } as Nodes;
    const c = { ...n, children: [] as ElementContent[] } as Element | Root;
    if (c.type === 'element') {
      const lower = c.tagName.toLowerCase();
      c.tagName = SVG_CASE.get(lower) ?? lower;
      c.properties = { ...(n as Element).properties } as Properties;
    }
    return c;
  };
  const top = copy(node);
  const stack: Array<[Nodes, Nodes]> = [[node, top]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    if ((from.type !== 'element' && from.type !== 'root') || (to.type !== 'element' && to.type !== 'root')) continue;
    for (const child of from.children) {
      const c = copy(child);
      (to.children as Nodes[]).push(c);
      stack.push([child, c]);
    }
  }
  return top;
}

/** SVG's mixed-case element names (the HTML parser's adjustment table, for the ones that matter here). */
const SVG_CASE = new Map(
  ['clipPath', 'foreignObject', 'linearGradient', 'radialGradient', 'textPath', 'animateMotion', 'animateTransform', 'animateColor'].map((n) => [n.toLowerCase(), n]),
);
