/**
 * Test helpers for wiregram SVG output: a strict XML parse (any warning or error fails the test), the text
 * items with their boxes (measured with layout's font metrics, rotation included), and the id rules.
 * Shared by packages/svg, packages/layout and the Markdown plugin tests.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fontExtents, measureText } from '@wiregram/layout';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

export function parseSvg(svg: string): Document {
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level: string, message: string) => {
      // U+FFFD is what wiregram substitutes for characters XML forbids: expected, not an encoding problem.
      if (level === 'warning' && /replacement character/i.test(message)) return;
      problems.push(`${level}: ${message}`);
    },
  }).parseFromString(svg, 'image/svg+xml');
  if (problems.length) throw new Error(`SVG is not well-formed XML:\n${problems.join('\n')}`);
  return doc;
}

export function elements(doc: Document | Element, name = '*'): Element[] {
  return Array.from(doc.getElementsByTagName(name)) as Element[];
}

/**
 * One CSS property of an element's `style` attribute (wiregram writes typography and dashes there, not as
 * presentation attributes), or null.
 */
export function styleOf(el: Element, property: string): string | null {
  for (const decl of (el.getAttribute('style') ?? '').split(';')) {
    const colon = decl.indexOf(':');
    if (colon > 0 && decl.slice(0, colon).trim() === property) return decl.slice(colon + 1).trim();
  }
  return null;
}

export interface TextBox {
  text: string;
  /** Full text of an elided label (its `<title>` child). */
  title: string | null;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function ownText(el: Element): string {
  let s = '';
  for (const n of Array.from(el.childNodes)) if (n.nodeType === 3) s += n.nodeValue ?? '';
  return s;
}

/** Every `<text>` of the SVG with its box: advance width from the font metrics, ascent/descent, rotation. */
export function textBoxes(doc: Document): TextBox[] {
  return elements(doc, 'text').map((el) => {
    const text = ownText(el);
    const titleEl = elements(el, 'title')[0];
    const size = parseFloat(styleOf(el, 'font-size') ?? 'NaN');
    const x = Number(el.getAttribute('x'));
    const y = Number(el.getAttribute('y'));
    const w = measureText(text, size, styleOf(el, 'font-weight') === 'bold' ? 'bold' : 'normal');
    const { ascent, descent } = fontExtents(size);
    const anchor = styleOf(el, 'text-anchor') ?? 'start';
    const left = anchor === 'middle' ? -w / 2 : anchor === 'end' ? -w : 0;
    const m = /rotate\((-?[\d.]+)/.exec(el.getAttribute('transform') ?? '');
    const angle = m ? (Number(m[1]) * Math.PI) / 180 : 0;
    const corners = [
      [left, -ascent],
      [left + w, -ascent],
      [left, descent],
      [left + w, descent],
    ].map(([px, py]) => [x + px! * Math.cos(angle) - py! * Math.sin(angle), y + px! * Math.sin(angle) + py! * Math.cos(angle)]);
    const xs = corners.map((c) => c[0]!);
    const ys = corners.map((c) => c[1]!);
    return { text, title: titleEl ? titleEl.textContent : null, x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
  });
}

/** Pairs of boxes that overlap by more than `tolerance` px in both directions. */
export function overlaps<T extends { x1: number; y1: number; x2: number; y2: number }>(boxes: T[], tolerance = 0.5): Array<[T, T]> {
  const out: Array<[T, T]> = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
      const oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
      if (ox > tolerance && oy > tolerance) out.push([a, b]);
    }
  return out;
}

export function viewBox(doc: Document): { x: number; y: number; width: number; height: number } {
  const [x, y, width, height] = (doc.documentElement!.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
  return { x: x!, y: y!, width: width!, height: height! };
}

/** Everything a diagram must never contain (scripts, event handlers, external references, svg.js ids). */
export function unsafeParts(doc: Document): string[] {
  const bad: string[] = [];
  for (const el of elements(doc)) {
    const name = el.localName ?? el.nodeName;
    if (['script', 'foreignObject', 'iframe', 'object', 'embed', 'image', 'use', 'a'].includes(name)) bad.push(`<${name}>`);
    for (const a of Array.from(el.attributes)) {
      if (/^on/i.test(a.name)) bad.push(`${name}@${a.name}`);
      if (/href$/i.test(a.name)) bad.push(`${name}@${a.name}`);
      if (/url\(|javascript:|@import/i.test(a.value)) bad.push(`${name}@${a.name}=${a.value}`);
      if (a.name === 'id' && /^svgjs/i.test(a.value)) bad.push(`svg.js id ${a.value}`);
    }
    if (name === 'style' && /url\(|@import|expression\(/i.test(el.textContent ?? '')) bad.push('external reference in <style>');
  }
  return bad;
}

/** All ids in the document: must be unique and start with `prefix`. */
export function ids(doc: Document): string[] {
  return elements(doc)
    .map((el) => el.getAttribute('id'))
    .filter((v): v is string => v !== null);
}

/** Fenced `tcp-sequence` / `packet-header` blocks of examples/*.md. */
export function exampleBlocks(): Array<{ name: string; language: 'tcp-sequence' | 'packet-header'; source: string }> {
  const out: Array<{ name: string; language: 'tcp-sequence' | 'packet-header'; source: string }> = [];
  let files: string[] = [];
  try {
    files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.md'));
  } catch {
    return out;
  }
  for (const file of files.sort()) {
    const text = readFileSync(join(EXAMPLES, file), 'utf8');
    const re = /^(`{3,}|~{3,})(tcp-sequence|packet-header)\b[^\n]*\n([\s\S]*?)^\1\s*$/gm;
    let m: RegExpExecArray | null;
    let n = 0;
    while ((m = re.exec(text))) out.push({ name: `${file.replace(/\.md$/, '')}-${++n}`, language: m[2] as 'tcp-sequence', source: m[3]! });
  }
  return out;
}
