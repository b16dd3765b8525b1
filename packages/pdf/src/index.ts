/**
 * @wiregram/pdf — wiregram diagrams as vector PDF pages and lecture decks, CJK font embedded.
 */
import { layoutSource, type LayoutSourceOptions, type Scene } from '@wiregram/layout';
import { WiregramError, withWiregramErrors } from '@wiregram/core';
import { scenesToPdf, type PdfOptions } from './pdf.js';

export { scenesToPdf, pagesFor, PAGE_SIZES, MIN_TEXT_PT, DEFAULT_MAX_PAGES } from './pdf.js';
export type { PdfOptions, PageSize, PageSpec } from './pdf.js';
export type { FontOption } from './fonts.js';
export { builtinFontPath } from './fonts.js';

/**
 * Options of `renderPdf`/`renderDeck`: the PDF options plus what `layoutSource` accepts (language, style,
 * labelStyle, stateNames, fontSize, …). `title` is the page title here (see PdfOptions).
 */
export type RenderPdfOptions = PdfOptions & Omit<LayoutSourceOptions, 'title'>;

/** One deck entry: source text, or source with its own fence language. */
export type DeckSource = string | { source: string; language?: 'tcp-sequence' | 'packet-header' };

const PDF_KEYS = new Set(['pageSize', 'orientation', 'margin', 'title', 'maxScale', 'theme', 'font', 'steps', 'info', 'maxPages']);

function layoutOptions(options: RenderPdfOptions): LayoutSourceOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!PDF_KEYS.has(k)) out[k] = v;
  return out as LayoutSourceOptions;
}

function toScene(entry: DeckSource, options: RenderPdfOptions): Scene {
  if (typeof entry === 'string') return layoutSource(entry, layoutOptions(options));
  if (!entry || typeof entry.source !== 'string') {
    throw new WiregramError({
      code: 'pdf-source',
      reason: 'a deck entry must be source text or { source, language }',
      hint: 'e.g. renderDeck(["client -> server: SYN", { source: "tcp", language: "packet-header" }])',
    });
  }
  const o = layoutOptions(options);
  return layoutSource(entry.source, entry.language ? { ...o, language: entry.language } : o);
}

// Public functions throw WiregramError only: anything else (a layout bug) is wrapped.
function guard<T>(fn: () => T): T {
  return withWiregramErrors(fn, {
    code: 'pdf-failed',
    reason: 'could not lay out the diagram',
    hint: 'this is a bug in wiregram; please report it with the diagram source',
  });
}

/** Text (a `tcp-sequence` or `packet-header` block) → PDF bytes. With `steps: true`, one page per segment. */
export function renderPdf(source: string, options: RenderPdfOptions = {}): Uint8Array {
  return guard(() => renderOne(source, options ?? {}));
}

function renderOne(source: string, options: RenderPdfOptions): Uint8Array {
  if (typeof source !== 'string') {
    throw new WiregramError({ code: 'pdf-source', reason: 'renderPdf expects the diagram source as a string', hint: 'pass the text of the fenced block' });
  }
  return scenesToPdf([toScene(source, options)], options);
}

/** Many sources → one multi-page PDF, one page per diagram (or per step with `steps: true`). */
export function renderDeck(sources: readonly DeckSource[], options: RenderPdfOptions = {}): Uint8Array {
  return guard(() => renderMany(sources, options ?? {}));
}

function renderMany(sources: readonly DeckSource[], options: RenderPdfOptions): Uint8Array {
  if (!Array.isArray(sources)) {
    throw new WiregramError({ code: 'pdf-source', reason: 'renderDeck expects an array of sources', hint: 'e.g. renderDeck([handshake, wavehand])' });
  }
  return scenesToPdf(sources.map((s) => toScene(s, options)), options);
}
