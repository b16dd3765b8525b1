/**
 * markdown-it-wiregram: ```tcp-sequence and ```packet-header fences → `<figure>` with inline SVG, through the
 * fence renderer rule (synchronous, as markdown-it requires). Other fences go to the previous rule untouched,
 * so highlighters (VitePress's Shiki, Marp's highlight.js) keep working.
 *
 * Ids: the n-th diagram of one `render(src, env)` call gets the prefix `wg-<hash>-n-` (hash of the block's
 * source and options; see `blockIdPrefix` of @wiregram/svg). The counter (in `env`) keeps one render free of
 * repeats; the hash keeps separately rendered documents on one page (Slidev overview) apart; the same
 * document always renders the same bytes.
 */
import { blockFileReader, blockInSourceFile, diagnostic, DIAGRAM_LANGUAGES, mapBlockPosition, parseFenceMeta, toWiregramError, WiregramError, type Diagnostic, type DiagramLanguage, type HostFileReader, type Position } from '@wiregram/core';
import {
  checkDarkSelector as checkSelector,
  errorBoxParts,
  errorBoxTree,
  failsStrict,
  insertFirstChild,
  logBlockReport,
  markdownHost,
  serialize,
  strictFailureMessage,
  strictMode,
  type BlockRenderOptions,
  type BlockReport,
  type MarkdownHostOptions,
  type ReportLog,
} from '@wiregram/svg';
import { sanitizeSvgHtml } from '@wiregram/sanitize';

export { nodeFileAccessLoaded } from '@wiregram/core';
/** The page stylesheet (CSS) for `styles: 'external'`: what a host puts into its pages' head (see README). */
export { pageStylesheet, type PageStyleOptions, type PluginStyles } from '@wiregram/svg';

/** Options handed to the renderer (`render` of `@wiregram/svg`) for each block. */
export type RenderOptions = BlockRenderOptions;

/** What a `renderer` returns: the SVG text, or the SVG with the core's findings (as `render` of `@wiregram/svg`). */
export type RendererResult = string | { svg: string; warnings?: Diagnostic[] };

/** Reads a file a block references (`capture ./x.pcap stream 0`); `fromFile` is `env.path` or null. */
export type ReadFileOption = HostFileReader;

/**
 * The parts of markdown-it the plugin touches, typed structurally so that markdown-it 13–15 (bundled types or
 * @types/markdown-it) and forks such as Marp's all fit.
 */
export interface FenceToken {
  info: string;
  content: string;
  markup: string;
  map: [number, number] | null;
}
export type RenderRule = (tokens: any[], idx: number, options: any, env: any, self: any) => string;
export interface MarkdownItLike {
  core: { ruler: { push(name: string, rule: (state: { src: string; env: any }) => boolean | void): void } };
  renderer: {
    rules: { fence?: RenderRule | undefined; [name: string]: RenderRule | undefined };
    /** Every `md.render` goes through it; wrapped for strict mode (after the whole document is drawn). */
    render?: (tokens: any[], options: any, env: any) => string;
  };
}

/** A broken block as reported to `onError` and collected in `env.wiregram.errors`. */
export interface WiregramBlockError {
  error: WiregramError;
  /** Position in the Markdown document (1-based lines and columns). */
  position: Position | null;
  language: DiagramLanguage;
}

/** A non-fatal finding of the core (an override accepted and marked, …), position in the document. */
export interface WiregramBlockWarning {
  warning: Diagnostic;
  position: Position | null;
  language: DiagramLanguage;
}

/** `theme`, `style`, `labelStyle`, `stateNames`, `numbering`: defaults that a block's fence may override. */
export interface MarkdownItWiregramOptions extends MarkdownHostOptions<RendererResult> {
  /** Id prefix base: the n-th diagram of a render gets `${idPrefix}<hash>-${n}-` (README, Ids). Default `wg-`. */
  idPrefix?: string;
  /** Throw a `WiregramError` (with the document position) instead of drawing an error box. Default false. */
  fatal?: boolean;
  /**
   * Build log: each broken block, ignored fence option and core warning is printed as
   * `file:line:col: message [code]` (true, the default: to stderr, each line once per process; the file is
   * `env.path`), handed to a function, or not printed (false). Lines are those of the file on disk when the
   * host gave markdown-it a shortened text (front matter stripped, one slide).
   */
  log?: ReportLog;
  /**
   * Throw after rendering a document that has broken blocks or ignored fence options, listing every one — so
   * the host's build fails. Default: the environment variable `WIREGRAM_STRICT=1`.
   */
  strict?: boolean;
  /** Called for each broken block (the box is still drawn unless `fatal`). */
  onError?: (report: WiregramBlockError) => void;
  /**
   * Called for each non-fatal finding of the core in a block that rendered; they are also collected in
   * `env.wiregram.warnings` (from the same parse that draws the block); `warnings: false` turns it off.
   */
  onWarning?: (report: WiregramBlockWarning) => void;
  warnings?: boolean;
  /**
   * Vue hosts (VitePress, Slidev), whose Markdown becomes a Vue template: braces are written as character
   * references, so `{{ … }}` in a label stays text and is never compiled as an expression, and the diagram's
   * `<style>` becomes `<component is="style">`, because Vue drops `<style>` tags from templates.
   */
  vue?: boolean;
  /** Extra class names on every figure. */
  className?: string;
}

/** What the plugin keeps in `env` for one document. */
export interface WiregramEnv {
  count: number;
  errors: WiregramBlockError[];
  warnings: WiregramBlockWarning[];
  source: string | null;
  /** What was logged for this document (strict mode fails on these). */
  reports: BlockReport[];
  /**
   * The page stylesheet was written (with the first drawn diagram). Like `count`, it is kept for as long as the
   * `env` is: renders that share an `env` are one page. A host that renders a page's fences one at a time with
   * fresh envs (Slidev) sets it to say another fence of the page carries the sheet.
   */
  styled?: boolean;
}

const OWN_OPTIONS = new Set(['idPrefix', 'fatal', 'log', 'strict', 'onError', 'vue', 'className', 'renderer', 'showSource', 'root', 'onWarning', 'warnings', 'readFile']);

/**
 * A selector is site configuration, but it lands inside a `<style>`: anything that could leave it is refused
 * (`checkDarkSelector` of `@wiregram/svg`, which draws it). Returns the selector, trimmed.
 */
export function checkDarkSelector(selector: string): string {
  checkSelector(selector);
  return selector.trim();
}

/** Vue templates: `<style>` → `<component is="style">`, braces outside it → character references. */
export function vueSafe(html: string): string {
  return html
    .split(/(<style\b[^>]*>[\s\S]*?<\/style>)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.replace(/^<style\b([^>]*)>/, '<component is="style"$1>').replace(/<\/style>$/, '</component>')
        : part.replace(/[{}]/g, (c) => (c === '{' ? '&#123;' : '&#125;')),
    )
    .join('')
    // Vue condenses whitespace outside <pre>, character references included: the error box's code frame keeps
    // its lines and its caret alignment only as <br> and no-break spaces.
    .replace(/(<div class="wiregram-error-frame"[^>]*>)([\s\S]*?)(<\/div>)/g, (_, open: string, body: string, close: string) => open + body.replace(/\n/g, '<br>').replace(/ /g, '&#160;') + close);
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function isLanguage(lang: string): lang is DiagramLanguage {
  return (DIAGRAM_LANGUAGES as readonly string[]).includes(lang);
}

const NO_WARNINGS: Diagnostic[] = [];

function state(env: unknown): WiregramEnv {
  const holder = (env && typeof env === 'object' ? env : {}) as { wiregram?: WiregramEnv };
  holder.wiregram ??= { count: 0, errors: [], warnings: [], source: null, reports: [] };
  return holder.wiregram;
}

export default function markdownItWiregram(md: MarkdownItLike, options: MarkdownItWiregramOptions = {}): void {
  const prefixBase = options.idPrefix ?? 'wg-';
  // Site configuration: a bad selector stops at set-up, not once per block.
  const { render, block, sheet } = markdownHost(options, OWN_OPTIONS);
  const sheetHtml = sheet ? serialize(sheet) : '';
  const custom = options.readFile;
  const finish = (html: string) => (options.vue ? vueSafe(html) : html);
  const extraClass = options.className ? ' ' + escapeHtml(options.className) : '';
  // A custom renderer's SVG is untrusted markup: parsed as a browser would and sanitized with an SVG allowlist
  // (@wiregram/sanitize). The built-in renderer escapes every author text; its output is not re-parsed.
  const clean = typeof options.renderer === 'function' ? sanitizeSvgHtml : (svg: string) => svg;

  // Keep the document text (per render) so error columns account for list/blockquote indentation.
  md.core.ruler.push('wiregram_source', (core) => {
    const s = state(core.env);
    s.source = core.src;
    s.reports = [];
    return false;
  });

  // Strict mode fails the document once it is drawn, with every problem listed (not only the first).
  const renderDocument = md.renderer.render;
  if (renderDocument) {
    md.renderer.render = function (this: unknown, tokens, mdOptions, env) {
      const html = renderDocument.call(this, tokens, mdOptions, env);
      const failing = env && typeof env === 'object' ? ((env as { wiregram?: WiregramEnv }).wiregram?.reports ?? []).filter(failsStrict) : [];
      if (failing.length && strictMode(options.strict)) {
        const error = new Error(strictFailureMessage(failing));
        error.name = 'WiregramStrictError';
        throw error;
      }
      return html;
    };
  }

  const previous = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, mdOptions, env, self) => {
    const token = tokens[idx] as FenceToken;
    const info = token.info.trim();
    const space = info.search(/\s/);
    const lang = space === -1 ? info : info.slice(0, space);
    if (!isLanguage(lang)) {
      return previous ? previous(tokens, idx, mdOptions, env, self) : self.renderToken(tokens, idx, mdOptions);
    }
    const meta = parseFenceMeta(space === -1 ? '' : info.slice(space + 1));
    const s = state(env);
    s.count += 1;
    const source = token.content.replace(/\n$/, '');
    const fromFile = env && typeof env === 'object' && typeof (env as { path?: unknown }).path === 'string' ? (env as { path: string }).path : null;
    // Node's fs is loaded only when a block reads a file (and the root defaults to the working directory only
    // then), so the plugin also runs in a browser bundle.
    const readFile = blockFileReader(custom, fromFile, () => options.root ?? process.cwd());
    const renderOptions = block(source, meta, lang, prefixBase, s.count, readFile);
    const place = (position: Position | null) => placeInDocument(position, token.map, token.content, s.source, fromFile);
    const report = (r: Omit<BlockReport, 'file'>) => {
      const full = { ...r, file: fromFile };
      s.reports.push(full);
      logBlockReport(full, options.log);
    };
    const caption = meta.caption ? `<figcaption>${escapeHtml(meta.caption)}</figcaption>` : '';
    const classes = `wiregram wiregram-${lang}${extraClass}`;
    // Unknown fence keys and invalid values are ignored: say so, at the fence's line.
    for (const problem of meta.problems) {
      const warning = diagnostic({ code: problem.code, reason: problem.reason, expected: problem.expected, hint: problem.hint });
      const found: WiregramBlockWarning = { warning, position: place(null), language: lang };
      s.warnings.push(found);
      options.onWarning?.(found);
      report({ severity: 'warning', position: found.position, code: problem.code, reason: problem.reason, hint: problem.hint });
    }
    try {
      const result = render(source, renderOptions);
      const text = typeof result === 'string' ? result : result.svg;
      // An XML declaration (a custom renderer's) cannot stand inside HTML; wiregram's own text starts at `<svg`.
      const svg = clean(text.startsWith('<svg') ? text : text.replace(/^\s*<\?xml[^>]*\?>\s*/, ''));
      const warnings = typeof result === 'string' ? NO_WARNINGS : (result.warnings ?? NO_WARNINGS);
      const shown = meta.showSource || options.showSource ? `<pre class="wiregram-source"><code class="language-${lang}">${escapeHtml(source)}\n</code></pre>` : '';
      if (options.warnings !== false) {
        for (const warning of warnings) {
          const found: WiregramBlockWarning = { warning, position: place(warning.position), language: lang };
          s.warnings.push(found);
          options.onWarning?.(found);
          report({ severity: 'warning', position: found.position, code: warning.code, reason: warning.reason, hint: warning.hint });
        }
      }
      // The page stylesheet goes with the document's first drawn diagram (`styles: 'page'`), once.
      const styled = sheetHtml && !s.styled ? insertFirstChild(svg, sheetHtml) : svg;
      if (styled !== svg) s.styled = true;
      return finish(`<figure class="${classes}">${shown}${styled}${caption}</figure>\n`);
    } catch (thrown) {
      const error = toWiregramError(thrown);
      const position = place(error.position);
      const found: WiregramBlockError = { error, position, language: lang };
      if (options.fatal) {
        throw new WiregramError({ code: error.code, reason: error.reason, position, expected: error.expected, hint: error.hint });
      }
      s.errors.push(found);
      options.onError?.(found);
      report({ severity: 'error', position, code: error.code, reason: error.reason, hint: error.hint });
      const inFile = token.map ? blockInSourceFile(fromFile, s.source ?? '', token.map[0] + 2, source) : null;
      const parts = errorBoxParts(error, lang, source, { title: position, frame: position, text: inFile?.text || s.source });
      return finish(serialize(errorBoxTree(parts, error.code, classes.split(' '), meta.caption)) + '\n');
    }
  };
}

/**
 * Map a block-relative position onto the document with core's `mapBlockPosition`. `map[0]` is the 0-based line
 * of the opening fence, so block line 1 is document line `map[0] + 2`; a position-less error points at the fence.
 * With `file` (the Markdown file's path, `env.path`), lines are those of the file on disk when markdown-it was
 * given a shortened text (front matter stripped by VitePress or Eleventy, one slide of a Slidev deck).
 */
export function placeInDocument(position: Position | null, map: [number, number] | null, content: string, source: string | null, file: string | null = null): Position | null {
  if (!map) return position;
  // markdown-it ends a fence's content with a line break; that is not an extra content line.
  const value = content.replace(/\n$/, '');
  const inFile = blockInSourceFile(file, source ?? '', map[0] + 2, value, 1);
  if (!position) {
    const line = inFile.contentLine - 1;
    return { start: { line, column: 1, offset: 0 }, end: { line, column: 1, offset: 0 } };
  }
  return mapBlockPosition(position, inFile);
}

/**
 * The diagram language a fence's info string names (`tcp-sequence title="…"` → `tcp-sequence`), or null for any
 * other fence. Host integrations use it to pick wiregram's fences before the host's own rules see them.
 */
export function fenceLanguage(info: string): DiagramLanguage | null {
  const lang = info.trim().split(/\s/, 1)[0] ?? '';
  return isLanguage(lang) ? lang : null;
}
