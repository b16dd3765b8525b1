/**
 * Drawing one block into a new element, shared by run() and <wire-gram>: the caller's options, an id prefix
 * unique on the page, the file reader, and the error box for what cannot be drawn.
 */
import { toWiregramError, WiregramError, type DiagramLanguage, type HostFileReader, type Position } from '@wiregram/core';
import { layoutSourceWithModel } from '@wiregram/layout';
import { blockIdPrefix, describeScene, type SvgOptions } from '@wiregram/svg';
import { diagramFigure, errorElement } from './place.js';
import { ensurePageStyles } from './styles.js';

/** Options for every diagram of a page (run() and <wire-gram> alike). */
export interface PageOptions {
  /** `auto` (default): dark under `prefers-color-scheme: dark`, or under `darkSelector` / `darkClass`. */
  theme?: 'auto' | 'light' | 'dark';
  /** An ancestor selector that switches to the dark palette, e.g. `[data-theme='dark']` or `html.dark`. */
  darkSelector?: string;
  /** The same as a class on an ancestor, e.g. `dark`. */
  darkClass?: string;
  /**
   * Bytes of a file a `capture` statement names, synchronously (e.g. from a preloaded map). Without it such a
   * block shows an error box saying files cannot be read in a browser.
   */
  readFile?: HostFileReader;
  /** Any other render option (style, labelStyle, stateNames, numbering) for every block. */
  [option: string]: unknown;
}

export interface RunOptions extends PageOptions {
  /**
   * `true` (default): figures far from the viewport get their outer `<svg>` (final size, title) at once and their
   * drawing when scrolled near, before printing, or on `drawPending()`. `false`: everything drawn before run()
   * returns.
   */
  lazy?: boolean;
  /** Where to look (default: the whole document). */
  root?: ParentNode;
  /** Languages to draw (default both). */
  languages?: readonly DiagramLanguage[];
}

// Counts every diagram this copy of the script draws, across run() calls and <wire-gram> elements, so ids
// never repeat on a page even when the same block appears twice.
let drawn = 0;

/** Options for the n-th diagram of the page: the caller's, a page-unique id prefix, the file reader. */
export function diagramOptions(source: string, language: DiagramLanguage, options: PageOptions): SvgOptions {
  const { readFile, ...rest } = options;
  // No <style> per diagram: the page stylesheet (ensurePageStyles) styles them all.
  const o: SvgOptions & Record<string, unknown> = { ...rest, language, styles: 'page' };
  o.idPrefix = blockIdPrefix('wgb-', ++drawn, source, o);
  if (readFile) o.readFile = (path: string, position: Position) => readFile(path, position, null);
  return o;
}

/**
 * Render `source` into a new element: the diagram's figure, or the error box. `at` is where the element will
 * go (the block it replaces, or the <wire-gram>): the page stylesheet is put into its document or shadow root.
 * With `defer`, the figure's drawing waits for the returned `fill` (see place.ts); otherwise it is drawn.
 */
export function renderInto(doc: Document, at: Node, source: string, language: DiagramLanguage, options: PageOptions, defer = false): { element: HTMLElement; error: WiregramError | null; fill: (() => void) | null } {
  try {
    const o = diagramOptions(source, language, options);
    // @wiregram/svg's render(), in two halves: the layout (size, errors) now; the element description of the
    // drawing (a third of the time) only when the figure is drawn. With the page's idPrefix the description
    // does not depend on a hash of the drawing, so the two halves give render()'s tree exactly.
    const { scene } = layoutSourceWithModel(source, o);
    const outer = describeScene({ ...scene, items: [] }, o);
    const scope = ensurePageStyles(doc, at, options);
    const { figure, fill } = diagramFigure(doc, outer, () => describeScene(scene, o), language, scope);
    const safeFill = () => {
      try {
        fill();
      } catch (e) {
        // Drawn later (scrolled to): a failure there is shown in place like any other.
        figure.replaceWith(errorElement(doc, toWiregramError(e), language, source));
      }
    };
    if (!defer) fill();
    return { element: figure, error: null, fill: defer ? safeFill : null };
  } catch (e) {
    const error = capturesNeedReader(toWiregramError(e), options);
    return { element: errorElement(doc, error, language, source), error, fill: null };
  }
}

// The core's message for a file without a reader speaks to CLI and plugin users; say what a page can do.
const NO_FILE_ACCESS = new Set(['capture-unavailable', 'header-no-file-access']);
function capturesNeedReader(error: WiregramError, options: PageOptions): WiregramError {
  if (options.readFile || !NO_FILE_ACCESS.has(error.code)) return error;
  return new WiregramError({
    code: error.code,
    reason: `${error.reason} — a web page cannot read files`,
    position: error.position,
    expected: 'the diagram rendered at build time, or a readFile option',
    hint: 'render this block at build time (wiregram render, remark-wiregram, markdown-it-wiregram), or pass run({ readFile }) that returns the file\'s bytes',
  });
}

