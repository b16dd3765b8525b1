/**
 * What the Markdown plugins (markdown-it-wiregram, remark-wiregram) share whatever their host: the options they
 * both take, the renderer they default to, and the options each block is rendered with. The host-specific
 * parts (tokens or mdast, HTML strings or hast, how errors are reported) stay in each plugin.
 */
import { BudgetError, WiregramError, type BlockFileReader, type DiagramLanguage, type FenceMeta, type FenceOptionDefaults, type HostFileReader } from '@wiregram/core';
import { render as renderDiagram, renderedTreeWith, svgLengthOf, type RenderResult } from './render.js';
import type { SvgOptions } from './pipeline.js';
import { checkDarkSelector } from './selector.js';
import { shortHash, type TreeBuilder } from './describe.js';
import { seedOf } from './pipeline.js';
import { pageStyleTree } from './page-style.js';
import type { SvgNode } from './xml.js';

/** Length of a renderer result's SVG text, read (and so made, for `render`'s lazy text) as the page will use it. */
function textLengthOf(result: unknown): number {
  const svg = typeof result === 'string' ? result : (result as { svg?: unknown } | null)?.svg;
  return typeof svg === 'string' ? svg.length : 0;
}

/** Options handed to the renderer (`render`) for each block. */
export interface BlockRenderOptions {
  language: DiagramLanguage;
  idPrefix: string;
  theme?: 'auto' | 'light' | 'dark';
  darkClass?: string;
  darkSelector?: string;
  /** `page` unless the plugin's `styles` is `inline`: the diagram relies on the page stylesheet. */
  styles: 'inline' | 'page';
  readFile?: BlockFileReader;
  [option: string]: unknown;
}

/**
 * Where a Markdown plugin's diagrams get their CSS:
 * - `page` (default): one page stylesheet, written by the plugin once per document (with the first diagram);
 * - `external`: the same stylesheet, but the host puts it into the page itself (`pageStylesheet` of
 *   @wiregram/svg in the page head) — for React hosts, whose HTML minifier rewrites `<style>` text that React
 *   then fails to hydrate (@wiregram/docusaurus does this);
 * - `inline`: every diagram self-contained with its own id-scoped `<style>` (what `render` returns).
 */
export type PluginStyles = 'page' | 'external' | 'inline';

/** Options every Markdown plugin takes; `Result` is what its `renderer` may return. */
export interface MarkdownHostOptions<Result> extends FenceOptionDefaults {
  /** Show each block's source above its diagram (documentation sites). Per block: the `source` meta flag. */
  showSource?: boolean;
  /**
   * Project root for files a block references (`capture ./trace.pcap stream 0`): paths resolve relative to the
   * Markdown file (markdown-it: `env.path`, as VitePress sets it; remark: `file.path`) and may not leave this
   * directory. Default: the working directory. Without the Markdown file's path such blocks report that no file
   * access is available.
   */
  root?: string;
  /**
   * Replaces the built-in file access for `capture` statements (e.g. in a browser, or to serve files from
   * memory). Without it, Node's file system is used — loaded only when a block reads a file — and only when the
   * Markdown file's path is known.
   */
  readFile?: HostFileReader;
  /** A class on an ancestor (e.g. `dark` on `<html>`) that switches inline diagrams to the dark palette. */
  darkClass?: string;
  /**
   * The same for any ancestor selector, e.g. `[data-theme='dark']` (Docusaurus, Starlight); validated when the
   * plugin is set up (a `WiregramError` for text that could leave the stylesheet).
   */
  darkSelector?: string;
  /** Where the diagrams' CSS goes: `page` (default), `external` or `inline` (see `PluginStyles`). */
  styles?: PluginStyles;
  /**
   * Replace the renderer (advanced; default `render` from `@wiregram/svg`). Must be synchronous; may return the
   * SVG text alone (then no warnings are reported) or an object with `svg` (and `warnings`, …).
   */
  renderer?: (source: string, options: BlockRenderOptions) => Result;
  /**
   * Most bytes of SVG one document's diagrams may add up to (default 64,000,000). Each diagram has its own
   * budget (`maxElements`, `maxTextBytes`); this one keeps a page of many large diagrams from exhausting memory
   * (a string past ~512 MB crashes the build). Past it, further diagrams of the document are error boxes.
   */
  maxPageBytes?: number;
  /** Any other renderer option is passed through unchanged. */
  [option: string]: unknown;
}

export const DEFAULT_MAX_PAGE_BYTES = 64_000_000;

function pageOverBudget(max: number): WiregramError {
  return new BudgetError({
    reason: `the diagrams of this document add up to more than ${max.toLocaleString('en-US')} bytes of SVG (maxPageBytes)`,
    expected: `at most ${max.toLocaleString('en-US')} bytes of SVG in one document`,
    option: 'maxPageBytes',
    limit: max,
    advice: 'split the document, draw smaller diagrams',
    optionKind: 'the plugin option',
  });
}

/** A Markdown plugin's host-independent set-up: see `markdownHost`. */
export interface MarkdownHost<Result> {
  /** The `renderer` option, or `render` of `@wiregram/svg`. */
  render: (source: string, options: BlockRenderOptions) => Result | RenderResult;
  /**
   * `render` for a host that builds its own tree (remark's hast): a `render` result's diagram is made by `b`
   * straight from the layout while the page budget counts its bytes, in one pass; `tree` is null for any
   * other result (a custom renderer's, counted as `render` counts it).
   */
  renderTree: <E, T>(source: string, options: BlockRenderOptions, b: TreeBuilder<E, T>) => { result: Result | RenderResult; tree: E | null };
  /**
   * The options of the n-th block (1-based) of one document: plugin options, overridden by the fence's, then the
   * block's own, with the default id prefix `blockIdPrefix` gives: `${base}<hash of source + options>-${n}-`.
   */
  block: (source: string, meta: FenceMeta, language: DiagramLanguage, base: string, n: number, readFile: BlockFileReader | undefined) => BlockRenderOptions;
  /**
   * The page stylesheet element (`pageStyleTree`) a document carries once, with its first drawn diagram;
   * null when the plugin writes none (`styles: 'inline'` or `'external'`).
   */
  sheet: SvgNode | null;
}

/**
 * The id prefix of the n-th diagram of a document: `${base}<7-char hash of the block's source and options>-${n}-`.
 *
 * Why both parts: the counter keeps ids unique within one render (the same diagram twice on a page), and the
 * hash keeps them apart across renders — a Slidev overview or a combined page puts several separately
 * rendered documents side by side, each counting from 1. The hash is of the content, not of a run, so output
 * stays byte-identical between builds. Two renders share an id only when the very same block, with the same
 * options, is the n-th diagram in both; its markup (and the `#id`-scoped style) is then identical too.
 */
export function blockIdPrefix(base: string, n: number, source: string, options: Record<string, unknown>): string {
  const { idPrefix: _id, readFile: _read, ...rest } = options;
  return `${base}${shortHash(seedOf(source, rest))}-${n}-`;
}

/**
 * Set up a Markdown plugin: every option not in `own` (the plugin's own keys) passes through to the renderer;
 * a bad `darkSelector` is refused here, once, rather than once per block. `output`: what the plugin puts on the
 * page — the SVG text (markdown-it: the page budget counts the text it reads anyway) or the element tree
 * (remark: the budget counts the text's length from the tree, and the text is never made).
 */
export function markdownHost<Result>(options: MarkdownHostOptions<Result>, own: ReadonlySet<string>, output: 'text' | 'tree' = 'text'): MarkdownHost<Result> {
  const passThrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!own.has(key) && key !== 'maxPageBytes' && key !== 'styles' && value !== undefined) passThrough[key] = value;
  if (options.darkSelector) checkDarkSelector(options.darkSelector);
  const styles = options.styles ?? 'page';
  if (styles !== 'page' && styles !== 'external' && styles !== 'inline') {
    throw new WiregramError({ code: 'invalid-option', reason: `option styles: ${JSON.stringify(styles)} is not a valid value`, expected: 'page, external or inline', hint: 'omit it: one stylesheet per page, written with the first diagram' });
  }
  const sheet = styles === 'page' ? pageStyleTree({ darkClass: options.darkClass, darkSelector: options.darkSelector }) : null;
  const maxPageBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  if (!(Number.isInteger(maxPageBytes) && maxPageBytes > 0)) {
    throw new WiregramError({ code: 'invalid-option', reason: `option maxPageBytes: ${String(maxPageBytes)} is not a valid value`, expected: 'a whole number greater than 0', hint: `e.g. maxPageBytes: ${DEFAULT_MAX_PAGE_BYTES * 2}` });
  }
  const draw = options.renderer ?? ((source: string, o: BlockRenderOptions) => renderDiagram(source, o as SvgOptions));
  // Both plugins render a document's blocks in one synchronous pass, numbered from 1: the count restarts there.
  let pageBytes = 0;
  const before = () => {
    if (pageBytes > maxPageBytes) throw pageOverBudget(maxPageBytes);
  };
  const charge = (bytes: number) => {
    pageBytes += bytes;
    if (pageBytes > maxPageBytes) throw pageOverBudget(maxPageBytes);
  };
  return {
    render: (source, o) => {
      before();
      const result = draw(source, o);
      charge(output === 'tree' ? svgLengthOf(result) : textLengthOf(result));
      return result;
    },
    renderTree: (source, o, b) => {
      before();
      const result = draw(source, o);
      const size = { bytes: 0 };
      const tree = renderedTreeWith(result, b, size);
      charge(tree === null ? svgLengthOf(result) : size.bytes);
      return { result, tree };
    },
    block: (source, meta, language, base, n, readFile) => {
      if (n === 1) pageBytes = 0;
      const options: BlockRenderOptions = { ...passThrough, ...meta.options, language, idPrefix: '', styles: styles === 'inline' ? 'inline' : 'page', ...(readFile ? { readFile } : {}) };
      options.idPrefix = blockIdPrefix(base, n, source, options);
      return options;
    },
    sheet,
  };
}
