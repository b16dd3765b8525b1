/**
 * What a Markdown host (remark-wiregram, markdown-it-wiregram) shows in place of a block that could not be
 * drawn: a box with a title, the code frame and the hint. Both hosts build their markup (hast, an HTML string)
 * from the one description `errorBoxTree` returns, so the box reads and looks the same wherever a page is built.
 *
 * It must survive every host as it is:
 * - themed without a stylesheet: inline styles only, text in the page's own colour (`inherit`), the border red
 *   and the backgrounds translucent, so it reads on a light page and on a dark one, toggle or media query alike;
 * - no `<pre>`/`<code>`: highlighters (Shiki, Expressive Code, Prism) restyle those, add copy buttons and
 *   frames; the code frame is a `<div>` with `white-space:pre-wrap` (long lines wrap rather than hide);
 * - no file paths: readers see line and column; the build log names the file.
 */
import { formatCodeFrame, type DiagramLanguage, type Position, type WiregramError } from '@wiregram/core';
import type { SvgNode } from './xml.js';

export const ERROR_BOX_STYLE =
  'border:1px solid #d32f2f;border-left-width:4px;border-radius:6px;background:rgba(211,47,47,0.08);color:inherit;' +
  'padding:0.75em 1em;margin:1em 0;font-size:0.9em;line-height:1.5;text-align:left;overflow:hidden';
export const ERROR_FRAME_STYLE =
  'white-space:pre-wrap;overflow-wrap:anywhere;background:rgba(127,127,127,0.14);color:inherit;border-radius:4px;padding:0.5em 0.75em;' +
  'margin:0.5em 0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:0.9em;line-height:1.45';
const TITLE_STYLE = 'margin:0;font-weight:600;color:inherit';
const HINT_STYLE = 'margin:0;color:inherit';

export interface ErrorBoxParts {
  /** `wiregram: tcp-sequence block could not be drawn (line 7, column 3)`. */
  title: string;
  /** The code frame, without the hint (shown on its own line). */
  frame: string;
  hint: string | null;
}

export interface ErrorBoxPlace {
  /** Where the title says the problem is, in the document (null: not said). */
  title: { start: { line: number; column: number } } | null;
  /** The error's position in the document, for a frame of the document's own lines (else the block's). */
  frame: Position | null;
  /** The document's text, when the host has it. */
  text: string | null;
}

export function errorBoxParts(error: WiregramError, language: DiagramLanguage, block: string, place: ErrorBoxPlace): ErrorBoxParts {
  const where = place.title ? ` (line ${place.title.start.line}, column ${place.title.start.column})` : '';
  const bare = { reason: error.reason, expected: error.expected, hint: null };
  const frame =
    place.frame && place.text
      ? formatCodeFrame({ ...bare, position: place.frame }, place.text)
      : formatCodeFrame({ ...bare, position: error.position }, block);
  return { title: `wiregram: ${language} block could not be drawn${where}`, frame, hint: error.hint };
}

/**
 * The box as an element description (HTML elements; text unescaped): a `<figure>` with `classes`, the title,
 * the frame, the hint and the caption. Every element has text, so HTML serializers never self-close one.
 */
export function errorBoxTree(parts: ErrorBoxParts, code: string, classes: readonly string[], caption: string | null): SvgNode {
  const children: SvgNode[] = [
    { name: 'p', attrs: [['class', 'wiregram-error-title'], ['style', TITLE_STYLE]], children: parts.title },
    { name: 'div', attrs: [['class', 'wiregram-error-frame'], ['style', ERROR_FRAME_STYLE]], children: parts.frame },
  ];
  if (parts.hint) children.push({ name: 'p', attrs: [['class', 'wiregram-error-hint'], ['style', HINT_STYLE]], children: `Hint: ${parts.hint}` });
  if (caption) children.push({ name: 'figcaption', attrs: [], children: caption });
  return {
    name: 'figure',
    attrs: [['class', [...classes, 'wiregram-error'].join(' ')], ['role', 'alert'], ['data-wiregram-error', code], ['style', ERROR_BOX_STYLE]],
    children,
  };
}
