/**
 * What a Markdown host (remark-wiregram, markdown-it-wiregram) shows in place of a block that could not be
 * drawn: a red box with a title, the code frame and the hint. The hosts build their own markup (hast, an HTML
 * string) from these parts, so the box reads and looks the same wherever a page is built.
 */
import { formatCodeFrame, type DiagramLanguage, type Position, type WiregramError } from '@wiregram/core';

/** Inline styles: the box must be visible on a page without any wiregram stylesheet. */
export const ERROR_BOX_STYLE =
  'border:2px solid #c62828;border-radius:6px;background:#fff4f4;color:#7f1d1d;padding:0.75em 1em;margin:1em 0;font:14px/1.45 system-ui,sans-serif;text-align:left';
export const ERROR_FRAME_STYLE =
  'background:#fff;color:#222;border:1px solid #f3c4c4;padding:0.5em;overflow:auto;font:12px/1.4 ui-monospace,monospace;margin:0.5em 0';

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
  filename?: string | undefined;
}

export function errorBoxParts(error: WiregramError, language: DiagramLanguage, block: string, place: ErrorBoxPlace): ErrorBoxParts {
  const where = place.title ? ` (line ${place.title.start.line}, column ${place.title.start.column})` : '';
  const bare = { reason: error.reason, expected: error.expected, hint: null };
  const frame =
    place.frame && place.text
      ? formatCodeFrame({ ...bare, position: place.frame }, place.text, { filename: place.filename })
      : formatCodeFrame({ ...bare, position: error.position }, block);
  return { title: `wiregram: ${language} block could not be drawn${where}`, frame, hint: error.hint };
}
