/**
 * Scene → element description (`SvgNode` tree). This is the single place that decides the markup; the string
 * path (`serialize`) and the DOM path (svg.js, `dom.ts`) both draw exactly this tree, so they cannot diverge.
 */
import { WiregramError } from '@wiregram/core';
import { AUTHOR_TINT, authorPaint, type Role, type Scene, type SceneItem } from '@wiregram/layout';
import { DIAGRAM_CLASS, PINNED_CLASS, resolvedStylesheet, stylesheet, type StyleMode, type ThemeMode } from './theme.js';
import { checkDarkSelector } from './selector.js';
import { cleanText, escapeXml, openTag, serialize, type SvgNode } from './xml.js';

export interface SceneSvgOptions {
  /**
   * Prefix of every id in the diagram (the root's id itself). Default: `wg-` + a hash of the rendered content,
   * so the same diagram always gets the same ids and different diagrams on one page differ. A page that shows
   * the same diagram twice should pass a counter-based prefix (the Markdown plugins do).
   */
  idPrefix?: string;
  /** `auto` (default): light, dark under `prefers-color-scheme: dark` (or under `darkClass`). */
  theme?: ThemeMode;
  /** CSS class on an ancestor (e.g. `dark` on `<html>`) that switches to the dark palette instead of the media query. */
  darkClass?: string;
  /**
   * CSS selector for an ancestor that switches to the dark palette instead of the media query, e.g.
   * `[data-theme='dark']` (Docusaurus, Starlight) or `html.dark`; a selector list (`a, b`) works. Validated:
   * text that could leave the stylesheet (`{ } < ; @ \ /`, unbalanced quotes or brackets) is refused.
   * May be combined with `darkClass` (dark under either).
   */
  darkSelector?: string;
  /**
   * `inline` (default): the diagram carries its own `<style>` — a self-contained SVG, byte-identical to what
   * wiregram always wrote. `page`: no `<style>`; the diagram is styled by the page stylesheet
   * (`pageStylesheet`), which the page must carry once (the Markdown plugins, host integrations and the
   * browser runtime emit it). A pinned `theme` then shows as a class on the root (`wg-light` / `wg-dark`).
   * `resolved`: a self-contained SVG whose `<style>` holds the colours themselves — no custom properties, no
   * media query, no color-mix — for rasterisers and converters that ignore CSS variables (resvg and so the PNG
   * output, rsvg-convert, Typst, Inkscape). One palette: `dark` if `theme` is dark, else light.
   */
  styles?: StyleMode;
  /**
   * Step-by-step reveal (slides): the items of each step — a segment, its label, the state changes it causes,
   * as layout numbered them for `wiregram deck --steps` — are wrapped in `<g class="wg-step" data-wg-step="k">`
   * (k from 1; what is always shown stays outside), and the root carries `data-wg-steps` (the last step). Nothing
   * is hidden by default: a slide tool (reveal.js fragments, Slidev clicks), the CSS custom property
   * `--wg-shown: k` on an ancestor (steps above k get opacity 0) or the browser package's `steps()` hides them,
   * so a page without script shows every step.
   */
  steps?: boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
// Author colours were validated by core; checked again because they end up inside a style attribute.

function bad(reason: string, expected: string, hint: string): never {
  throw new WiregramError({ code: 'invalid-svg-option', reason, expected, hint });
}

/** Compact, deterministic number text: integers as is, otherwise two decimals without trailing zeros. */
export function num(n: number): string {
  if (!Number.isFinite(n)) bad(`a scene coordinate is ${n}`, 'finite numbers', 'this is a layout bug; please report it with the source');
  if (Number.isInteger(n)) return String(n);
  const k = Math.round(n * 100);
  if (k === 0) return '0';
  // String(k / 100), written from the integer: k / 100 has at most 15 significant digits here, so the shortest
  // text that reads back as that double is that decimal itself (no trailing zeros). Number → string of a
  // fraction costs several times more.
  if (k > -1e14 && k < 1e14) {
    const a = k < 0 ? -k : k;
    const cents = a % 100;
    const whole = (a - cents) / 100;
    const sign = k < 0 ? '-' : '';
    if (cents === 0) return sign + whole;
    if (cents % 10 === 0) return sign + whole + '.' + cents / 10;
    return sign + whole + (cents < 10 ? '.0' : '.') + cents;
  }
  return String(k / 100);
}

function points(pts: Array<[number, number]>): string {
  let s = '';
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] as [number, number];
    s += (i ? ' ' : '') + num(p[0]) + ',' + num(p[1]);
  }
  return s;
}

// Which channel an author colour paints is layout's decision (shared with the PDF backend); only the CSS is
// written here. The first declaration is the fallback for renderers without color-mix().
const TINT = Math.round(AUTHOR_TINT * 100) + '%';
// Resolved (no custom properties): the same tint as the author colour at AUTHOR_TINT opacity over the background.
function colourStyle(item: SceneItem, resolved: boolean): string | null {
  const author = authorPaint(item);
  if (!author) return null;
  const { color: c, target } = author;
  if (target === 'tint') return resolved ? `fill:${c};fill-opacity:${AUTHOR_TINT}` : `fill:${c};fill:color-mix(in srgb,${c} ${TINT},var(--wg-bg))`;
  return target === 'fill' ? `fill:${c}` : `stroke:${c}`;
}

/**
 * Typography and dashes are written as CSS in the `style` attribute, never as presentation attributes: a host's
 * utility-CSS engine (UnoCSS/Tailwind attributify, as in Slidev) reads `font-size="14"` or
 * `stroke-dasharray="4 3"` as utility classes and overrides them (`font-size: 3.5rem`); a `style` attribute is
 * not matched, and it outranks any stylesheet rule of the page.
 *
 * The one decision of an item's markup: its element name, returned, and its attributes, pushed onto `a` as
 * name, value, name, value, … (a flat list reused across items: no pair arrays per element). The element tree
 * (`itemNode`) and the string writer (`itemXml`) are both made from it; a `text` item's children are its
 * `title` (a tooltip, when elided) and its text.
 */
function itemAttrs(item: SceneItem, resolved: boolean, a: string[]): string {
  a.push('class', 'wg-' + item.role);
  let name: string;
  let css = '';
  switch (item.type) {
    case 'rect':
      name = 'rect';
      a.push('x', num(item.x), 'y', num(item.y), 'width', num(Math.max(0, item.width)), 'height', num(Math.max(0, item.height)));
      if (item.rx) a.push('rx', num(item.rx));
      css = dashCss(item.dash);
      break;
    case 'line':
      name = 'line';
      a.push('x1', num(item.x1), 'y1', num(item.y1), 'x2', num(item.x2), 'y2', num(item.y2));
      css = dashCss(item.dash);
      break;
    case 'polygon':
      name = 'polygon';
      a.push('points', points(item.points));
      break;
    case 'polyline':
      name = 'polyline';
      a.push('points', points(item.points));
      css = dashCss(item.dash);
      break;
    case 'text':
      name = 'text';
      a.push('x', num(item.x), 'y', num(item.y));
      css = 'font-size:' + num(item.fontSize) + 'px;';
      if (item.fontWeight === 'bold') css += 'font-weight:bold;';
      if (item.anchor !== 'start') css += 'text-anchor:' + item.anchor + ';';
      if (item.rotate) a.push('transform', 'rotate(' + num(item.rotate) + ' ' + num(item.x) + ' ' + num(item.y) + ')');
      break;
    default:
      return bad(`unknown scene item type ${(item as { type: string }).type}`, 'rect, line, polygon, polyline or text', 'this is a layout bug');
  }
  const colour = item.color === undefined ? null : colourStyle(item, resolved);
  if (colour) css += colour;
  else if (css.length && css.charCodeAt(css.length - 1) === 59 /* ; */) css = css.slice(0, -1);
  if (css) a.push('style', css);
  return name;
}

function dashCss(d: number[] | undefined): string {
  if (!d || !d.length) return '';
  let s = 'stroke-dasharray:';
  for (let i = 0; i < d.length; i++) s += (i ? ' ' : '') + num(d[i]!);
  return s + ';';
}

// Reused by itemNode/itemXml (synchronous, never re-entered): the attribute list of the item being written.
const scratch: string[] = [];

function itemNode(item: SceneItem, resolved: boolean): SvgNode {
  scratch.length = 0;
  const name = itemAttrs(item, resolved, scratch);
  const attrs: Array<[string, string]> = [];
  for (let i = 0; i < scratch.length; i += 2) attrs.push([scratch[i]!, scratch[i + 1]!]);
  let children: SvgNode['children'] = [];
  if (item.type === 'text') {
    // An elided label carries its full text as a tooltip (`<title>` child), as SVG 2 allows on any element.
    children = item.title ? [{ name: 'title', attrs: [], children: cleanText(item.title) }, cleanText(item.text)] : cleanText(item.text);
  }
  return { name, attrs, children };
}

/** `serialize(itemNode(item))` without the node: the string path writes each item straight from the Scene. */
function itemXml(item: SceneItem, resolved: boolean): string {
  scratch.length = 0;
  const name = itemAttrs(item, resolved, scratch);
  let out = '<' + name;
  for (let i = 0; i < scratch.length; i += 2) {
    const k = scratch[i]!;
    // Every other value is made of `num` text (digits, `-`, `.`, spaces, commas, `rotate(…)`): nothing to escape.
    out += ' ' + k + '="' + (k === 'class' || k === 'style' ? escapeXml(scratch[i + 1]!) : scratch[i + 1]) + '"';
  }
  if (item.type !== 'text') return out + '/>';
  const text = escapeXml(item.text);
  if (item.title) return out + '><title>' + escapeXml(item.title) + '</title>' + text + '</text>';
  return text === '' ? out + '/>' : out + '>' + text + '</text>';
}

// FNV-1a over the serialized body and the settings: content-derived ids without randomness (deterministic
// builds). The body never contains the id itself, so it can be hashed before the id exists.
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36).padStart(7, '0');
}

/** Validates the options; returns the dark selector's parts (empty without one). */
export function checkOptions(options: SceneSvgOptions): string[] {
  if (options.idPrefix !== undefined && !IDENT.test(options.idPrefix))
    bad(`idPrefix "${options.idPrefix}" is not usable as an id`, 'a letter or _, then letters, digits, - or _ (at most 64)', 'e.g. idPrefix: "fig-3"');
  if (options.darkClass !== undefined && options.darkClass !== '' && !IDENT.test(options.darkClass))
    bad(`darkClass "${options.darkClass}" is not a CSS class name`, 'a letter or _, then letters, digits, - or _', 'e.g. darkClass: "dark"');
  if (options.theme !== undefined && options.theme !== 'auto' && options.theme !== 'light' && options.theme !== 'dark')
    bad(`theme "${String(options.theme)}" is unknown`, 'auto, light or dark', 'omit it to follow the reader\'s colour scheme');
  if (options.steps !== undefined && typeof options.steps !== 'boolean')
    bad(`steps ${JSON.stringify(options.steps)} is not true or false`, 'true or false', 'steps: true numbers each segment for step-by-step reveal');
  if (options.styles !== undefined && options.styles !== 'inline' && options.styles !== 'page' && options.styles !== 'resolved')
    bad(`styles "${String(options.styles)}" is unknown`, 'inline, page or resolved', 'omit it for a self-contained SVG');
  return options.darkSelector !== undefined && options.darkSelector !== '' ? checkDarkSelector(options.darkSelector) : [];
}

/**
 * The layout measured with `family`; readers without it still get a sans-serif (CJK-capable on most systems).
 * The stack is written into a `style` attribute, so only plain family names pass (letters, digits, spaces,
 * `-`, `_`); anything else could end the declaration.
 */
function fontStack(family: string): string {
  const names = cleanText(family || '')
    .split(',')
    // Quotes are dropped, not the name: a family of plain words is valid CSS unquoted.
    .map((f) => f.trim().replace(/^(['"])(.*)\1$/u, '$2').trim())
    .filter((f) => /^[\p{L}\p{N} _-]{1,64}$/u.test(f));
  if (names[names.length - 1] !== 'sans-serif') names.push('sans-serif');
  return names.join(', ');
}

/** The parts of a diagram: the root element without children, its head (title, desc, style) and its body. */
export interface SvgParts {
  root: SvgNode;
  head: SvgNode[];
  /** The Scene's items: the body is written from them in the form the caller wants (`bodyNodes`, `partsToXml`). */
  items: readonly SceneItem[];
  resolved: boolean;
  /** Wrap each step's items in `<g class="wg-step">` (`steps: true`). */
  steps: boolean;
  /**
   * The body, serialized — only when the default id needed it (no idPrefix, no seed); `partsToXml` reuses it.
   * A tree-only caller (remark-wiregram's hast) then never builds the string.
   */
  bodyXml: string | null;
}

/** The font stack of the last Scene's family (every layout writes the same one). */
let lastFamily: string | null = null;
let lastStack = '';

/**
 * `seed`: when the caller knows what the scene was made from (renderSvg: the source text and options), the
 * default id is derived from that instead of the body — the same guarantees, at a fraction of the cost. A
 * function: with an `idPrefix` (the Markdown plugins) no default id, so no seed, is made.
 */
export function describeParts(scene: Scene, options: SceneSvgOptions = {}, seed?: () => string): SvgParts {
  const darkSelectors = checkOptions(options);
  const theme = options.theme ?? 'auto';
  const darkClass = options.darkClass || null;
  const roles = new Set<Role>();
  const resolved = options.styles === 'resolved';
  const steps = options.steps === true;
  const items = scene.items;
  let lastStep = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    roles.add(item.role);
    if (steps) lastStep = Math.max(lastStep, stepOf(item));
  }
  const w = num(Math.max(1, scene.width));
  const h = num(Math.max(1, scene.height));
  const title = cleanText(scene.title || 'wiregram diagram');
  const desc = cleanText(scene.description || '');
  // The same family as the last diagram's (always, for wiregram's layouts): its stack is made once.
  const font = scene.fontFamily === lastFamily ? lastStack : ((lastFamily = scene.fontFamily), (lastStack = fontStack(scene.fontFamily)));
  let bodyXml: string | null = null;
  const id = options.idPrefix ?? 'wg-' + shortHash([theme, darkClass ?? '', ...(darkSelectors.length ? [darkSelectors.join(',')] : []), w, h, title, desc, font, seed ? seed() : (bodyXml = writeBodyXml(items, resolved, steps))].join('\u0000'));
  const head: SvgNode[] = [
    { name: 'title', attrs: [['id', id + '-title']], children: title },
    { name: 'desc', attrs: [['id', id + '-desc']], children: desc },
  ];
  const page = options.styles === 'page';
  if (resolved) head.push({ name: 'style', attrs: [], children: resolvedStylesheet(id, roles, theme === 'dark' ? 'dark' : 'light') });
  else if (!page) head.push({ name: 'style', attrs: [], children: stylesheet(id, roles, theme, darkClass, darkSelectors) });
  const rootClass = page && theme !== 'auto' ? DIAGRAM_CLASS + ' ' + PINNED_CLASS[theme] : DIAGRAM_CLASS;
  const root: SvgNode = {
    name: 'svg',
    attrs: [
      ['xmlns', 'http://www.w3.org/2000/svg'],
      ['id', id],
      ['class', rootClass],
      ['viewBox', `0 0 ${w} ${h}`],
      ['width', w],
      ['height', h],
      ['role', 'img'],
      ['aria-labelledby', id + '-title'],
      ['aria-describedby', id + '-desc'],
      ['style', 'font-family:' + font],
      ...(lastStep > 0 ? ([['data-wg-steps', String(lastStep)]] as Array<[string, string]>) : []),
    ],
    children: [],
  };
  return { root, head, items, resolved, steps, bodyXml };
}

/** An item's step as a reveal order: what is always shown (step 0, or no finite step) is 0. */
function stepOf(item: SceneItem): number {
  return Number.isFinite(item.step) && item.step > 0 ? Math.floor(item.step) : 0;
}

/**
 * With `steps`, each run of consecutive items of one step (k ≥ 1) is wrapped in
 * `<g class="wg-step" data-wg-step="k">`. Runs, not one group per step: the drawing order (what paints over
 * what) stays exactly the layout's. The step numbers are layout's (the ones `wiregram deck --steps` pages by),
 * never decided here.
 */
function stepGroup(step: number): SvgNode {
  // The CSS hook: an ancestor's `--wg-shown: k` shows steps 1…k (opacity 1 for step ≤ k, else 0); unset, it
  // is 9999 and every step shows. Inline, so it needs no stylesheet and works in a self-contained SVG.
  const style = `opacity:clamp(0,calc(var(--wg-shown,9999) - ${step - 1}),1)`;
  return { name: 'g', attrs: [['class', 'wg-step'], ['data-wg-step', String(step)], ['style', style]], children: [] };
}

/** The body as element descriptions (the DOM path, hast), step groups included. */
export function bodyNodes(p: SvgParts): SvgNode[] {
  const out: SvgNode[] = [];
  let group: SvgNode | null = null;
  let groupStep = 0;
  for (const item of p.items) {
    const node = itemNode(item, p.resolved);
    const step = p.steps ? stepOf(item) : 0;
    if (step === 0) {
      group = null;
      out.push(node);
      continue;
    }
    if (!group || groupStep !== step) {
      group = stepGroup(step);
      groupStep = step;
      out.push(group);
    }
    (group.children as SvgNode[]).push(node);
  }
  return out;
}

/** The same body as `serializeAll(bodyNodes(p))`, written straight from the items. */
function writeBodyXml(items: readonly SceneItem[], resolved: boolean, steps: boolean): string {
  let out = '';
  let open = 0;
  for (const item of items) {
    const step = steps ? stepOf(item) : 0;
    if (step !== open) {
      if (open !== 0) out += '</g>';
      if (step !== 0) out += openTag(stepGroup(step)) + '>';
      open = step;
    }
    out += itemXml(item, resolved);
  }
  return open !== 0 ? out + '</g>' : out;
}

/** The whole diagram as an element tree: `<svg>` with `<title>`, `<desc>`, `<style>` (unless `styles: 'page'`) and one element per Scene item. */
export function describeScene(scene: Scene, options: SceneSvgOptions = {}): SvgNode {
  return partsToTree(describeParts(scene, options));
}

/**
 * Makes a host's own tree straight from the parts, without the element description in between (remark's hast).
 * `attrs` is flat (name, value, name, value, …), unescaped, and only valid during the call (copy what you keep).
 * `children` is a fresh array made for this element: the builder may keep it as its node's children.
 */
export interface TreeBuilder<E, T> {
  element(name: string, attrs: readonly string[], children: Array<E | T>): E;
  text(value: string): T;
}

/** What `serialize` would write, counted while a tree is made (`partsToTreeWith`'s `size`): a page budget's bytes. */
export interface TreeSize {
  bytes: number;
}

/** The length of `<name a="v" …` as `openTag` writes it (values escaped). */
function openLength(name: string, flat: readonly string[]): number {
  let n = 1 + name.length;
  for (let i = 0; i < flat.length; i += 2) n += flat[i]!.length + escapeXml(flat[i + 1]!).length + 4;
  return n;
}

/**
 * `node` made by `b`; `children` (already made, and counted) go before the node's own. With `size`, adds what
 * `serialize` writes for the node apart from those children.
 */
function nodeWith<E, T>(node: SvgNode, b: TreeBuilder<E, T>, size: TreeSize | null, children: Array<E | T> = []): E {
  const flat: string[] = [];
  for (const [k, v] of node.attrs) flat.push(k, v);
  const c = node.children;
  let texts = 0;
  if (typeof c === 'string') {
    if (c !== '') {
      if (children.length) children.push(b.text(c));
      else children = [b.text(c)];
      if (size) texts += escapeXml(c).length;
    }
  } else
    for (const child of c) {
      if (typeof child !== 'string') children.push(nodeWith(child, b, size));
      else {
        children.push(b.text(child));
        if (size) texts += escapeXml(child).length;
      }
    }
  if (size) size.bytes += openLength(node.name, flat) + texts + (children.length === 0 ? 2 : 4 + node.name.length);
  return b.element(node.name, flat, children);
}

/**
 * The tree `partsToTree` describes, made by `b`: the same elements, attributes and texts, in the same order.
 * `size` (optional) gets `partsToXml(p).length` added, counted in the same pass — no text, no second walk.
 */
export function partsToTreeWith<E, T>(p: SvgParts, b: TreeBuilder<E, T>, size: TreeSize | null = null): E {
  const children: Array<E | T> = [];
  for (const h of p.head) children.push(nodeWith(h, b, size));
  let group: Array<E | T> | null = null;
  let groupStep = 0;
  const closeGroup = () => {
    if (group) children.push(nodeWith(stepGroup(groupStep), b, size, group));
    group = null;
  };
  let bytes = 0;
  for (const item of p.items) {
    const step = p.steps ? stepOf(item) : 0;
    if (step !== groupStep || step === 0) {
      closeGroup();
      groupStep = step;
      if (step !== 0) group = [];
    }
    scratch.length = 0;
    const name = itemAttrs(item, p.resolved, scratch);
    // Children arrays of their exact size (literals): a tree host keeps them for the whole page, and an array
    // grown by push carries room for 17.
    let kids: Array<E | T> = [];
    if (size) {
      // As `itemXml` writes it: only class and style can need escaping, the rest is number text.
      bytes += 1 + name.length;
      for (let i = 0; i < scratch.length; i += 2) {
        const k = scratch[i]!;
        bytes += k.length + (k === 'class' || k === 'style' ? escapeXml(scratch[i + 1]!).length : scratch[i + 1]!.length) + 4;
      }
    }
    if (item.type === 'text') {
      const text = cleanText(item.text);
      if (item.title) {
        const title = cleanText(item.title);
        const tooltip = b.element('title', [], [b.text(title)]);
        kids = text === '' ? [tooltip] : [tooltip, b.text(text)];
        if (size) bytes += 23 + escapeXml(title).length + escapeXml(text).length; // `><title>…</title>…</text>`
      } else {
        if (text !== '') kids = [b.text(text)];
        if (size) bytes += text === '' ? 2 : 8 + escapeXml(text).length; // `/>` or `>…</text>`
      }
    } else if (size) bytes += 2; // `/>`
    (group ?? children).push(b.element(name, scratch, kids));
  }
  closeGroup();
  if (size) size.bytes += bytes;
  return nodeWith({ ...p.root, children: [] }, b, size, children);
}

/** The parts joined into the one `<svg>` element. */
export function partsToTree(p: SvgParts): SvgNode {
  return { ...p.root, children: [...p.head, ...bodyNodes(p)] };
}

function serializeAll(nodes: SvgNode[]): string {
  let out = '';
  for (const n of nodes) out += serialize(n);
  return out;
}

/** The same tree as a string, written from the parts (the body straight from the Scene, no element tree). */
export function partsToXml(p: SvgParts): string {
  return openTag(p.root) + '>' + serializeAll(p.head) + (p.bodyXml ?? writeBodyXml(p.items, p.resolved, p.steps)) + '</svg>';
}
