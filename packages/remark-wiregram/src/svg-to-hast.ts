/**
 * SVG text → hast, synchronously and without a general HTML parser. The input is wiregram's own SVG (a small,
 * well-formed XML grammar: elements, double- or single-quoted attributes, text, the five XML entities and
 * numeric references), so a tiny parser is enough and keeps the plugin free of parse5.
 *
 * The result is a tree of hast elements (never a raw `html` node), which is what lets the figure survive
 * remark-rehype without `allowDangerousHtml`, MDX, Docusaurus and Astro. As a belt to the renderer's braces,
 * anything active is dropped on the way: `script`/`foreignObject` elements, `on*` attributes and links that do
 * not point inside the document.
 */
import type { Element, ElementContent, Properties, Text } from 'hast';
import { find, svg as svgSchema } from 'property-information';

export class SvgSyntaxError extends Error {
  override readonly name = 'SvgSyntaxError';
  constructor(reason: string, readonly offset: number) {
    super(`${reason} at offset ${offset}`);
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);/g, (all, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      // Out-of-range or surrogate code points would make invalid text: use the replacement character.
      if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED[body] ?? all;
  });
}

// Sticky: they match exactly at lastIndex, so the parser never copies the rest of the document.
const TAG_NAME = /<([A-Za-z_][\w:.-]*)/y;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

/** Elements whose whitespace-only text matters; elsewhere it is formatting and dropped (React warns about it). */
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'textPath', 'title', 'desc', 'style']);
const DROPPED_ELEMENTS = new Set(['script', 'foreignObject', 'iframe', 'object', 'embed']);

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
    const lower = name.toLowerCase();
    if (lower.startsWith('on')) continue;
    if ((lower === 'href' || lower === 'xlink:href' || lower === 'src') && !value.trim().startsWith('#')) continue;
    const info = infoOf(name);
    if (info.spaceSeparated && !info.commaSeparated) {
      properties[info.property] = value.split(/[ \t\n\r\f]+/).filter(Boolean);
    } else {
      properties[info.property] = value;
    }
  }
  return properties;
}

/** Parse one SVG document (its root element; an XML declaration, doctype and comments around it are skipped). */
export function svgToHast(source: string): Element {
  let i = 0;
  const n = source.length;
  const root: Element = { type: 'element', tagName: '#root', properties: {}, children: [] };
  // Open elements; `dropped` counts how many of them are being skipped (a script and everything inside).
  const stack: Array<{ element: Element; dropped: boolean }> = [{ element: root, dropped: false }];
  const top = () => stack[stack.length - 1]!;

  const pushText = (value: string) => {
    const parent = top();
    if (parent.dropped || parent.element === root) return;
    if (!TEXT_ELEMENTS.has(parent.element.tagName) && value.trim() === '') return;
    const last = parent.element.children[parent.element.children.length - 1];
    if (last && last.type === 'text') (last as Text).value += value;
    else parent.element.children.push({ type: 'text', value });
  };

  while (i < n) {
    const lt = source.indexOf('<', i);
    if (lt === -1) {
      pushText(decodeEntities(source.slice(i)));
      break;
    }
    if (lt > i) pushText(decodeEntities(source.slice(i, lt)));
    i = lt;
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end === -1) throw new SvgSyntaxError('unterminated comment', i);
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i + 9);
      if (end === -1) throw new SvgSyntaxError('unterminated CDATA section', i);
      pushText(source.slice(i + 9, end));
      i = end + 3;
    } else if (source.startsWith('<?', i) || source.startsWith('<!', i)) {
      const end = source.indexOf('>', i);
      if (end === -1) throw new SvgSyntaxError('unterminated declaration', i);
      i = end + 1;
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      if (end === -1) throw new SvgSyntaxError('unterminated end tag', i);
      const name = source.slice(i + 2, end).trim();
      const open = top();
      if (stack.length === 1 || open.element.tagName !== name) throw new SvgSyntaxError(`unexpected </${name}>`, i);
      stack.pop();
      i = end + 1;
    } else {
      // Start tag: name, attributes, optional self-closing slash.
      TAG_NAME.lastIndex = i;
      const nameMatch = TAG_NAME.exec(source);
      if (!nameMatch) throw new SvgSyntaxError('invalid tag', i);
      const tagName = nameMatch[1]!;
      i += nameMatch[0].length;
      const attrs: Array<[string, string]> = [];
      let selfClosing = false;
      for (;;) {
        while (i < n && /\s/.test(source[i]!)) i++;
        if (i >= n) throw new SvgSyntaxError('unterminated start tag', i);
        if (source[i] === '>') {
          i++;
          break;
        }
        if (source.startsWith('/>', i)) {
          selfClosing = true;
          i += 2;
          break;
        }
        ATTRIBUTE.lastIndex = i;
        const attr = ATTRIBUTE.exec(source);
        if (!attr) throw new SvgSyntaxError('invalid attribute', i);
        attrs.push([attr[1]!, decodeEntities(attr[2] ?? attr[3] ?? '')]);
        i += attr[0].length;
      }
      const parent = top();
      const dropped = parent.dropped || DROPPED_ELEMENTS.has(tagName);
      const element: Element = { type: 'element', tagName, properties: dropped ? {} : toProperties(attrs), children: [] };
      if (!dropped && (parent.element !== root || root.children.length === 0)) {
        parent.element.children.push(element);
      }
      if (!selfClosing) stack.push({ element, dropped });
    }
  }
  if (stack.length !== 1) throw new SvgSyntaxError(`unclosed <${top().element.tagName}>`, n);
  const svg = root.children[0];
  if (!svg || svg.type !== 'element' || svg.tagName !== 'svg') throw new SvgSyntaxError('no <svg> root element', 0);
  return svg;
}

/** An element description as `render` of `@wiregram/svg` returns it (`RenderResult.tree`). */
export interface SvgTreeNode {
  name: string;
  attrs: Array<[string, string]>;
  children: Array<SvgTreeNode | string> | string;
}

/**
 * The renderer's element description → hast, without serialising and re-parsing the SVG: the same tree
 * `svgToHast(render(...).svg)` gives (tested), with the same filter, at a fraction of the cost.
 */
export function svgTreeToHast(node: SvgTreeNode): Element {
  if (!node || node.name !== 'svg') throw new SvgSyntaxError('no <svg> root element', 0);
  return treeElement(node);
}

function treeElement(node: SvgTreeNode): Element {
  const element: Element = { type: 'element', tagName: node.name, properties: toProperties(node.attrs), children: [] };
  const keepBlank = TEXT_ELEMENTS.has(node.name);
  const c = node.children;
  if (typeof c === 'string') {
    if (c !== '' && (keepBlank || c.trim() !== '')) element.children.push({ type: 'text', value: c });
    return element;
  }
  for (const child of c) {
    if (typeof child === 'string') {
      if (child === '' || (!keepBlank && child.trim() === '')) continue;
      const last = element.children[element.children.length - 1];
      if (last && last.type === 'text') (last as Text).value += child;
      else element.children.push({ type: 'text', value: child });
    } else if (!DROPPED_ELEMENTS.has(child.name)) {
      element.children.push(treeElement(child));
    }
  }
  return element;
}

/** Plain text of a hast subtree (for the `<title>` used as an `alt`). */
export function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

/** First descendant element with this tag name. */
export function findElement(node: Element, tagName: string): Element | null {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === tagName) return child;
    const inner = findElement(child, tagName);
    if (inner) return inner;
  }
  return null;
}
