/**
 * SVG → hast, two ways:
 *
 * - `svgTreeToHast`: the built-in renderer's element description (`render(...).tree`) mapped straight to hast
 *   elements — the fast default path; wiregram's own renderer escapes every author text.
 * - `svgToHast`: SVG markup from anywhere else (a custom `renderer`), parsed as a browser would and cleaned by
 *   `@wiregram/sanitize` (hast-util-sanitize with an SVG allowlist). A custom renderer's tree is cleaned the
 *   same way (see index.ts).
 *
 * Either way the result is a tree of hast elements (never a raw `html` node), which is what lets the figure
 * survive remark-rehype without `allowDangerousHtml`, MDX, Docusaurus and Astro.
 */
import type { Element, ElementContent, Properties, Text } from 'hast';
import { find, svg as svgSchema } from 'property-information';
import { sanitizeSvg } from '@wiregram/sanitize';

export class SvgSyntaxError extends Error {
  override readonly name = 'SvgSyntaxError';
  constructor(reason: string, readonly offset: number) {
    super(`${reason} at offset ${offset}`);
  }
}

/** Untrusted SVG markup → its sanitized `<svg>` element (throws when no `<svg>` survives). */
export function svgToHast(source: string): Element {
  return sanitizeSvg(source);
}

/** Elements whose whitespace-only text matters; elsewhere it is formatting and dropped (React warns about it). */
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'textPath', 'title', 'desc', 'style']);

// Attribute name → hast property info; the renderer uses a few dozen names, so look each up once.
const INFO = new Map<string, ReturnType<typeof find>>();
function infoOf(name: string): ReturnType<typeof find> {
  let info = INFO.get(name);
  if (!info) INFO.set(name, (info = find(svgSchema, name)));
  return info;
}

function toProperties(attrs: Array<[string, string]>): Properties {
  const properties: Properties = {};
  for (const [name, value] of attrs) {
    const info = infoOf(name);
    if (info.spaceSeparated && !info.commaSeparated) {
      properties[info.property] = value.split(/[ \t\n\r\f]+/).filter(Boolean);
    } else {
      properties[info.property] = value;
    }
  }
  return properties;
}

/** An element description as `render` of `@wiregram/svg` returns it (`RenderResult.tree`). */
export interface SvgTreeNode {
  name: string;
  attrs: Array<[string, string]>;
  children: Array<SvgTreeNode | string> | string;
}

/**
 * The renderer's element description → hast, without serialising and re-parsing the SVG (re-parsing cost ~5×
 * more). No filtering here: a tree from anything but the built-in renderer goes through `sanitizeSvg` after.
 * Iterative: a tree handed in by a custom renderer may be of any depth.
 */
export function svgTreeToHast(node: SvgTreeNode): Element {
  if (!node || node.name !== 'svg') throw new SvgSyntaxError('no <svg> root element', 0);
  const root = shell(node);
  const stack: Array<[SvgTreeNode, Element]> = [[node, root]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    const keepBlank = TEXT_ELEMENTS.has(from.name);
    const c = from.children;
    if (typeof c === 'string') {
      if (c !== '' && (keepBlank || c.trim() !== '')) to.children.push({ type: 'text', value: c });
      continue;
    }
    for (const child of c) {
      if (typeof child === 'string') {
        if (child === '' || (!keepBlank && child.trim() === '')) continue;
        const last = to.children[to.children.length - 1];
        if (last && last.type === 'text') (last as Text).value += child;
        else to.children.push({ type: 'text', value: child });
      } else {
        const element = shell(child);
        to.children.push(element);
        stack.push([child, element]);
      }
    }
  }
  return root;
}

function shell(node: SvgTreeNode): Element {
  return { type: 'element', tagName: node.name, properties: toProperties(node.attrs), children: [] };
}

/** Plain text of a hast subtree (for the `<title>` used as an `alt`), without recursion. */
export function textOf(node: ElementContent): string {
  let out = '';
  const stack: ElementContent[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') out += n.value;
    else if (n.type === 'element') for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** First descendant element with this tag name (document order), without recursion. */
export function findElement(node: Element, tagName: string): Element | null {
  const stack: ElementContent[] = [];
  for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type !== 'element') continue;
    if (n.tagName === tagName) return n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return null;
}
