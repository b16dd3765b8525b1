/**
 * The DOM path: draws the same element description into a live document with svg.js (a browser, or svgdom in
 * Node). Used when a page wants an element rather than a string, e.g. an editor preview.
 */
import { SVG, type Container, type Dom } from '@svgdotjs/svg.js';
import type { SvgNode } from './xml.js';

function build(parent: Dom, node: SvgNode): Dom {
  const el = parent.element(node.name);
  // Set every attribute ourselves, in description order; svg.js would otherwise invent `Svgjs…` ids on demand.
  for (const [k, v] of node.attrs) el.node.setAttribute(k, v);
  if (typeof node.children === 'string') el.words(node.children);
  else
    for (const c of node.children) {
      if (typeof c === 'string') el.node.appendChild(el.node.ownerDocument.createTextNode(c));
      else build(el, c);
    }
  return el;
}

/**
 * Append the described `<svg>` to `parent` (any DOM element; svg.js must be able to see a window — in a
 * browser it does, in Node call svg.js's `registerWindow` with an svgdom window first).
 */
export function drawInto(parent: Element, root: SvgNode): SVGSVGElement {
  const svg = SVG().addTo(parent as unknown as HTMLElement);
  // svg.js puts its own namespace attributes on a root; replace them with exactly ours.
  for (const a of Array.from(svg.node.attributes)) svg.node.removeAttribute(a.name);
  // `xmlns` is implied by the element's namespace in a DOM; setting it as a plain attribute confuses serializers.
  for (const [k, v] of root.attrs) if (k !== 'xmlns') svg.node.setAttribute(k, v);
  if (typeof root.children !== 'string') for (const c of root.children) if (typeof c !== 'string') build(svg as unknown as Container, c);
  return svg.node as unknown as SVGSVGElement;
}
