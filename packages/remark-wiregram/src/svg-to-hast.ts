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
import type { TreeBuilder } from '@wiregram/svg';

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

/** What the mapping needs of property-information's answer, in one shape (its `Info` objects come in many). */
interface HastName {
  property: string;
  /** A space-separated list (`class`, `aria-labelledby`): the value becomes an array of tokens. */
  spaced: boolean;
}
// Attribute name → hast property; the renderer uses a few dozen names, so look each up once. Bounded: a custom
// renderer's tree may bring any number of names.
const NAMES = new Map<string, HastName>();
function hastName(name: string): HastName {
  let known = NAMES.get(name);
  if (!known) {
    const info = find(svgSchema, name);
    known = { property: info.property, spaced: Boolean(info.spaceSeparated && !info.commaSeparated) };
    if (NAMES.size < 512) NAMES.set(name, known);
  }
  return known;
}

const WHITESPACE = /[ \t\n\r\f]/;
function setProperty(properties: Properties, name: string, value: string): void {
  const known = hastName(name);
  properties[known.property] = !known.spaced ? value : WHITESPACE.test(value) ? value.split(/[ \t\n\r\f]+/).filter(Boolean) : value === '' ? [] : [value];
}

function toProperties(attrs: Array<[string, string]>): Properties {
  const properties: Properties = {};
  for (const [name, value] of attrs) setProperty(properties, name, value);
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
      pushText(to.children, c, keepBlank);
      continue;
    }
    for (const child of c) {
      if (typeof child === 'string') pushText(to.children, child, keepBlank);
      else {
        const element = shell(child);
        to.children.push(element);
        stack.push([child, element]);
      }
    }
  }
  return root;
}

/**
 * The same mapping as `svgTreeToHast`, as a builder (`renderedTreeWith` of @wiregram/svg): the built-in
 * renderer's hast is made straight from its layout, with no element description in between. Its children
 * arrays are fresh per element (see `TreeBuilder`), so they become the hast children as they are unless a text
 * has to be dropped or joined.
 */
export const HAST_BUILDER: TreeBuilder<Element, Text> = {
  element(name, attrs, children) {
    const properties: Properties = {};
    for (let i = 0; i < attrs.length; i += 2) setProperty(properties, attrs[i]!, attrs[i + 1]!);
    return { type: 'element', tagName: name, properties, children: kept(children, TEXT_ELEMENTS.has(name)) };
  },
  text: (value) => ({ type: 'text', value }),
};

/** `children` as `pushText` would keep them: the same array when nothing is dropped or joined. */
function kept(children: ElementContent[], keepBlank: boolean): ElementContent[] {
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (c.type === 'text' && (dropsText(c.value, keepBlank) || (i > 0 && children[i - 1]!.type === 'text'))) {
      const kids: ElementContent[] = children.slice(0, i);
      for (let j = i; j < children.length; j++) {
        const k = children[j]!;
        if (k.type === 'text') pushText(kids, k.value, keepBlank);
        else kids.push(k);
      }
      return kids;
    }
  }
  return children;
}

/** Whether a text child is left out: empty, or blank outside a text element. */
function dropsText(value: string, keepBlank: boolean): boolean {
  return value === '' || (!keepBlank && value.trim() === '');
}

/** A text child as both mappings keep it: blank text only inside text elements, adjacent texts joined. */
function pushText(kids: ElementContent[], value: string, keepBlank: boolean): void {
  if (dropsText(value, keepBlank)) return;
  const last = kids[kids.length - 1];
  if (last && last.type === 'text') last.value += value;
  else kids.push({ type: 'text', value });
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
