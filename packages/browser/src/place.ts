/**
 * What replaces a block on the page: a `<figure class="wiregram wiregram-LANGUAGE">` holding the SVG, or a
 * `<div class="wiregram wiregram-error" role="alert">` (the classes the Markdown plugins use) with the same title, code frame and hint the Markdown plugins
 * show. Author text only ever reaches the page as text nodes and attribute values, never as markup.
 */
import type { DiagramLanguage, WiregramError } from '@wiregram/core';
import { ERROR_BOX_STYLE, ERROR_FRAME_STYLE, errorBoxParts, type SvgNode } from '@wiregram/svg';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The renderer's element description as live SVG elements. Built directly rather than parsed from the SVG
 * string: parsing markup (innerHTML, DOMParser) measured 3–10× slower than the rendering itself for a page of
 * 100 diagrams. Text goes in as text nodes, attribute values through setAttribute — never as markup.
 */
function build(doc: Document, node: SvgNode): SVGElement {
  const el = doc.createElementNS(SVG_NS, node.name);
  // Indexed loops, not for-of with destructuring: most of these calls run before V8 has optimized anything
  // (100 figures, once each), where the iterator protocol costs a third of building the outer figures.
  const attrs = node.attrs;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i]!;
    // `xmlns` is the element's namespace in a DOM, not an attribute to set.
    if (a[0] !== 'xmlns') el.setAttribute(a[0], a[1]);
  }
  const children = node.children;
  if (typeof children === 'string') el.textContent = children;
  else
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : build(doc, c));
    }
  return el;
}

/** A drawn figure, or one whose drawing waits (`fill` draws it; calling it again does nothing). */
export interface DiagramFigure {
  figure: HTMLElement;
  fill: () => void;
}

/**
 * The figure for one rendered diagram. The outer `<svg>` (its size, viewBox, class, title and description:
 * `outer`, the diagram's description without its drawing) is made at once; the drawing inside it (from `full()`,
 * the whole description) when `fill()` is called — at once, or when the figure nears the viewport (lazy.ts).
 * The box has its final size either way (the width/height attributes with the page stylesheet's
 * `max-width: 100%; height: auto`), so nothing on the page moves when the drawing arrives.
 */
export function diagramFigure(doc: Document, outer: SvgNode, full: () => SvgNode, language: DiagramLanguage, scope: string): DiagramFigure {
  const figure = doc.createElement('figure');
  figure.className = `wiregram wiregram-${language}`;
  // As attributes (the text `style.margin = '1em 0'` gave), not through the CSSOM or classList: cheaper per figure.
  figure.setAttribute('style', 'margin: 1em 0px;');
  // A figure waiting to be drawn (lazy.ts) costs the browser nothing; eager ones away from the viewport get
  // content-visibility with their measured size (lazy.ts, drawAll) — never the viewBox size, which is wrong on a
  // screen narrower than the diagram and leaves out the inline SVG's line gap.
  // The page stylesheet of this dark-mode setting styles diagrams with its class (see styles.ts), after their own.
  const attrs = outer.attrs.map((a): [string, string] => (a[0] === 'class' ? [a[0], `${a[1]} ${scope}`] : a));
  if (!attrs.some((a) => a[0] === 'class')) attrs.push(['class', scope]);
  const root = build(doc, { ...outer, attrs });
  figure.appendChild(root);
  let filled = false;
  const fill = () => {
    if (filled) return;
    filled = true;
    const tree = full();
    // Attributes that depend on the drawing (none today; a later option may add one) join the outer ones.
    for (const [k, v] of tree.attrs) if (k !== 'xmlns' && !root.hasAttribute(k)) root.setAttribute(k, v);
    if (typeof tree.children === 'string') return;
    // Everything after the leading <title>/<desc> the outer <svg> already has, drawn into a fragment and put in
    // place at once: one insertion for the page to restyle.
    const have = typeof outer.children === 'string' ? 0 : outer.children.length;
    const frag = doc.createDocumentFragment();
    for (const c of tree.children.slice(have)) frag.appendChild(typeof c === 'string' ? doc.createTextNode(c) : build(doc, c));
    root.appendChild(frag);
  };
  return { figure, fill };
}

/** The in-page error box for a block that could not be drawn. */
export function errorElement(doc: Document, error: WiregramError, language: DiagramLanguage, source: string): HTMLElement {
  const parts = errorBoxParts(error, language, source, { title: error.position, frame: null, text: null });
  const box = doc.createElement('div');
  box.className = 'wiregram wiregram-error';
  box.setAttribute('role', 'alert');
  box.setAttribute('style', ERROR_BOX_STYLE);
  const title = doc.createElement('strong');
  title.textContent = parts.title;
  const frame = doc.createElement('pre');
  frame.setAttribute('style', ERROR_FRAME_STYLE);
  frame.textContent = parts.frame;
  box.append(title, frame);
  if (parts.hint) {
    const hint = doc.createElement('div');
    hint.textContent = `hint: ${parts.hint}`;
    box.appendChild(hint);
  }
  return box;
}
