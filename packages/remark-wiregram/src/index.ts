/**
 * remark-wiregram: fenced `tcp-sequence` and `packet-header` blocks → a `<figure>` with the diagram as inline
 * SVG, built from hast elements (`data.hName`/`hProperties`/`hChildren`), never a raw `html` node — so it
 * survives remark-rehype without `allowDangerousHtml`, MDX, Docusaurus and Astro. Fully synchronous
 * (`processSync` works). Ids are prefixed per diagram (`wg-<hash>-1-`, `wg-<hash>-2-`, … in document order;
 * the hash is of the block's source and options), so many diagrams — also from several files — share a page,
 * and the same input always gives the same page.
 */
import type { Element, ElementContent, Properties } from 'hast';
import type { Code, Nodes, Parent, Root } from 'mdast';
import type { VFile } from 'vfile';
import { blockFileReader, blockInSourceFile, DIAGRAM_LANGUAGES, mapBlockPosition, parseFenceMeta, toWiregramError, type BlockInFile, type Diagnostic, type DiagramLanguage, type FenceOptions, type HostFileReader } from '@wiregram/core';
import {
  errorBoxParts,
  errorBoxTree,
  failsStrict,
  logBlockReport,
  markdownHost,
  strictFailureMessage,
  strictMode,
  type BlockRenderOptions,
  type BlockReport,
  type MarkdownHostOptions,
  type ReportLog,
  type SvgNode,
} from '@wiregram/svg';
import { contentHash, publicUrl, writeAtomic } from './files.js';
import { sanitizeSvg, sanitizeSvgHtml } from '@wiregram/sanitize';
import { findElement, HAST_BUILDER, svgToHast, svgTreeToHast, textOf, type SvgTreeNode } from './svg-to-hast.js';

export { svgToHast, svgTreeToHast, type SvgTreeNode } from './svg-to-hast.js';
export { mapBlockPosition, type BlockInFile } from '@wiregram/core';
export { nodeFileAccessLoaded } from '@wiregram/core';
/** Strict-mode failures of this process, for integrations whose host swallows a page's error (see @wiregram/svg). */
export { strictFailures } from '@wiregram/svg';
/** The page stylesheet (CSS) for `styles: 'external'`: what a host puts into its pages' head (see README). */
export { pageStylesheet, type PageStyleOptions, type PluginStyles } from '@wiregram/svg';

/** Options handed to the renderer (`render` of `@wiregram/svg`) for each block. */
export type RenderOptions = BlockRenderOptions;

/** What a `renderer` returns: the SVG text, or the SVG with the core's findings (as `render` of `@wiregram/svg`). */
export type RendererResult = string | { svg: string; warnings?: Diagnostic[]; title?: string; tree?: SvgTreeNode };

/** Reads a file a block references (`capture ./x.pcap stream 0`); `fromFile` is `file.path` or null. */
export type ReadFileOption = HostFileReader;

/** `theme`, `style`, `labelStyle`, `stateNames`, `numbering`: defaults that a block's fence may override. */
export interface RemarkWiregramOptions extends MarkdownHostOptions<RendererResult> {
  /** Id prefix base: the n-th diagram of a file gets `${idPrefix}<hash>-${n}-` (README, Ids). Default `wg-`. */
  idPrefix?: string;
  /** Throw (`file.fail`) on the first broken block instead of drawing an error box. Default false. */
  fatal?: boolean;
  /**
   * Build log: each broken block, ignored fence option and core warning is printed as
   * `file:line:col: message [code]` (true, the default: to stderr, each line once per process), handed to a
   * function, or not printed (false). Hosts drop vfile messages, so without this a broken diagram builds silently.
   */
  log?: ReportLog;
  /**
   * Fail the document (`file.fail`, which fails the host's build) when it has broken blocks or ignored fence
   * options, listing every one — after drawing them all. Default: the environment variable `WIREGRAM_STRICT=1`.
   */
  strict?: boolean;
  /**
   * `inline` (default): the SVG inside the page. `file`: write `<hash>.svg` and `<hash>.dark.svg` into `outDir`
   * and emit `<picture>` (dark variant through `prefers-color-scheme`) — for hosts that strip inline SVG.
   */
  output?: 'inline' | 'file';
  /** Where `output: 'file'` writes (relative to the working directory). Default `wiregram`. */
  outDir?: string;
  /** URL prefix of `outDir` as the site serves it. Default `/wiregram`. */
  publicPath?: string;
  /** Also write and reference a dark variant in `output: 'file'`. Default true. */
  darkVariant?: boolean;
  /** Extra class names on every figure. */
  className?: string | string[];
  /**
   * Report the core's non-fatal findings (an override accepted and marked, a capture frame skipped, …) as
   * warnings on the file (from the same parse that draws the block). Default true.
   */
  warnings?: boolean;
}

/** The mdast node a diagram becomes; mdast-util-to-hast turns it into `data.hName` with `data.hChildren`. */
export interface WiregramNode {
  type: 'wiregram';
  lang: DiagramLanguage;
  value: string;
  meta: string | null;
  data: { hName: 'figure'; hProperties: Properties; hChildren: ElementContent[] };
  position?: Code['position'];
}

/** What the plugin leaves in `file.data.wiregram`: every block it saw, in order, and the broken ones. */
export interface WiregramFileData {
  blocks: Array<{ language: DiagramLanguage; source: string; caption: string | null; options: FenceOptions; idPrefix: string; ok: boolean }>;
  errors: Array<ReturnType<VFile['message']>>;
}

declare module 'vfile' {
  interface DataMap {
    wiregram: WiregramFileData;
  }
}

declare module 'mdast' {
  interface RootContentMap {
    wiregram: WiregramNode;
  }
  interface BlockContentMap {
    wiregram: WiregramNode;
  }
}

const OWN_OPTIONS = new Set(['idPrefix', 'fatal', 'log', 'strict', 'output', 'outDir', 'publicPath', 'darkVariant', 'className', 'renderer', 'showSource', 'root', 'warnings', 'readFile']);

const text = (value: string) => ({ type: 'text' as const, value });
const el = (tagName: string, properties: Properties, children: ElementContent[]): Element => ({ type: 'element', tagName, properties, children });

function isLanguage(lang: string | null | undefined): lang is DiagramLanguage {
  return (DIAGRAM_LANGUAGES as readonly string[]).includes(lang ?? '');
}

const NO_WARNINGS: Diagnostic[] = [];
interface BlockResult {
  readonly svg: string;
  warnings: Diagnostic[];
  title: string | null;
  readonly tree: SvgTreeNode | null;
}
function resultOf(result: RendererResult): BlockResult {
  if (typeof result === 'string') return { svg: result, warnings: NO_WARNINGS, title: null, tree: null };
  // `svg` and `tree` are read only where wanted (the text for output: 'file', a custom renderer's tree); the
  // built-in renderer makes neither unless read (its hast comes straight from the layout: `renderTree`).
  return {
    get svg() {
      return result.svg;
    },
    warnings: result.warnings ?? NO_WARNINGS,
    title: result.title ?? null,
    get tree() {
      return result.tree ?? null;
    },
  };
}

/** The Markdown file on disk, absolute (vfile paths may be relative to `file.cwd`), or null. */
function diskPath(file: VFile): string | null {
  if (!file.path) return null;
  if (/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(file.path)) return file.path;
  return file.cwd.replace(/[\\/]+$/, '') + '/' + file.path;
}

/** An element description (the error box, the page stylesheet) → hast: a fresh tree each time, for one document. */
function htmlToHast(node: SvgNode): Element {
  const properties: Properties = {};
  for (const [name, value] of node.attrs) {
    if (name === 'class') properties.className = value.split(' ');
    else if (name.startsWith('data-')) properties['data' + name.slice(5).replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())] = value;
    else properties[name] = value;
  }
  const children = typeof node.children === 'string' ? [text(node.children)] : node.children.map((c) => (typeof c === 'string' ? text(c) : htmlToHast(c)));
  return el(node.name, properties, children);
}

export default function remarkWiregram(options: RemarkWiregramOptions = {}) {
  const prefixBase = options.idPrefix ?? 'wg-';
  // Site configuration: a bad selector stops the build at set-up, not once per block.
  const { render, renderTree, block, sheet } = markdownHost(options, OWN_OPTIONS, options.output === 'file' ? 'text' : 'tree');
  const extraClasses = typeof options.className === 'string' ? options.className.split(/\s+/).filter(Boolean) : (options.className ?? []);
  // A custom renderer's output (text or tree) is untrusted markup: parsed as a browser would and sanitized with
  // an SVG allowlist (@wiregram/sanitize). The built-in renderer's tree is mapped as is (it escapes author text).
  const custom = typeof options.renderer === 'function';
  // Inline: the built-in renderer's hast made straight from its layout, the page budget counted in the same pass.
  const inlineBlock = (source: string, o: RenderOptions): { result: BlockResult; svg: Element } => {
    if (custom) {
      const r = resultOf(render(source, o));
      return { result: r, svg: sanitizeSvg(r.tree ? svgTreeToHast(r.tree) : r.svg) };
    }
    const { result, tree } = renderTree(source, o, HAST_BUILDER);
    const r = resultOf(result);
    return { result: r, svg: tree ?? (r.tree ? svgTreeToHast(r.tree) : svgToHast(r.svg)) };
  };
  const svgFileText = (r: ReturnType<typeof resultOf>): string => (custom ? sanitizeSvgHtml(r.tree ? svgTreeToHast(r.tree) : r.svg, 'svg') : r.svg);

  return function transformer(tree: Root, file: VFile): void {
    let counter = 0;
    // The page stylesheet goes with the document's first drawn diagram (`styles: 'page'`), once.
    let sheetWritten = sheet === null;
    const data: WiregramFileData = { blocks: [], errors: [] };
    file.data.wiregram = data;
    const fileText = typeof file.value === 'string' ? file.value : file.value ? new TextDecoder().decode(file.value) : '';
    // File access for `capture` statements: relative to this Markdown file, never outside the project root.
    // Node's fs is loaded only when a block reads a file, so the plugin also runs in a browser bundle.
    const custom = options.readFile;
    const fromFile = file.path || null;
    const readFile = blockFileReader(custom, fromFile, () => options.root ?? file.cwd);
    const onDisk = diskPath(file);
    const reports: BlockReport[] = [];
    const report = (r: BlockReport) => {
      reports.push(r);
      logBlockReport(r, options.log);
    };

    const transform = (node: Code): WiregramNode => {
      const lang = node.lang as DiagramLanguage;
      counter += 1;
      const meta = parseFenceMeta(node.meta);
      const fenceLine = node.position?.start.line ?? 1;
      // The host may have given the parser a shortened text (front matter stripped): positions are mapped onto
      // the file on disk when it can be read, else onto the text as given. Without any text, the fence's column
      // is the only clue to the container indent.
      // Only a block with something to report pays for the look-up (a stat, at most one read per file).
      let located: BlockInFile | undefined;
      const inFile = () => (located ??= blockInSourceFile(onDisk, fileText, fenceLine + 1, node.value, node.position?.start.column ?? 1));
      const fencePlace = () => {
        if (!node.position) return null;
        const start = { line: inFile().contentLine - 1, column: node.position.start.column, offset: node.position.start.offset ?? 0 };
        return { start, end: start };
      };
      const renderOptions = block(node.value, meta, lang, prefixBase, counter, readFile);
      const idPrefix = renderOptions.idPrefix;
      const record = { language: lang, source: node.value, caption: meta.caption, options: meta.options, idPrefix, ok: false };
      data.blocks.push(record);
      const figureClass = ['wiregram', `wiregram-${lang}`, ...extraClasses];
      const caption: ElementContent[] = meta.caption ? [el('figcaption', {}, [text(meta.caption)])] : [];
      const sourceBlock: ElementContent[] = meta.showSource || options.showSource
        ? [el('pre', { className: ['wiregram-source'] }, [el('code', { className: [`language-${lang}`] }, [text(node.value + '\n')])])]
        : [];
      const wrap = (properties: Properties, children: ElementContent[]): WiregramNode => ({
        type: 'wiregram',
        lang,
        value: node.value,
        meta: node.meta ?? null,
        data: { hName: 'figure', hProperties: properties, hChildren: children },
        ...(node.position ? { position: node.position } : {}),
      });

      for (const problem of meta.problems) {
        const reason = problem.code === 'unknown-meta-option' ? `unknown option \`${problem.key}\` in the fence of a ${lang} block` : problem.reason;
        const place = fencePlace();
        const message = file.message(reason, { place, source: 'wiregram', ruleId: problem.code });
        message.expected = [problem.expected];
        message.note = problem.hint ?? `known: ${problem.expected}`;
        report({ severity: 'warning', file: fromFile, position: place, code: problem.code, reason, hint: message.note });
      }

      let body: ElementContent[];
      let warnings: Diagnostic[] = NO_WARNINGS;
      try {
        if (options.output === 'file') {
          // The id prefix is left out: the same diagram anywhere in the site is one file.
          const hash = contentHash(JSON.stringify([lang, node.value, { ...renderOptions, idPrefix: null, readFile: null, styles: null }]));
          const name = `${lang}-${hash}`;
          const outDir = options.outDir ?? 'wiregram';
          const base = options.publicPath ?? '/wiregram';
          // Files are standalone SVGs: their own stylesheet inside (`styles: 'inline'`).
          const light = resultOf(render(node.value, { ...renderOptions, theme: 'light', idPrefix: `wg-${hash}-`, styles: 'inline' }));
          warnings = light.warnings;
          const lightSvg = svgFileText(light);
          const titleElement = light.title === null ? findElement(svgToHast(lightSvg), 'title') : null;
          const alt = light.title ?? (titleElement ? textOf(titleElement) : `${lang} diagram`);
          writeAtomic(outDir, `${name}.svg`, lightSvg);
          const img = el('img', { src: publicUrl(base, `${name}.svg`), alt, loading: 'lazy', decoding: 'async' }, []);
          if (options.darkVariant === false) {
            body = [img];
          } else {
            writeAtomic(outDir, `${name}.dark.svg`, svgFileText(resultOf(render(node.value, { ...renderOptions, theme: 'dark', idPrefix: `wg-${hash}-`, styles: 'inline' }))));
            body = [el('picture', {}, [el('source', { srcSet: publicUrl(base, `${name}.dark.svg`), media: '(prefers-color-scheme: dark)' }, []), img])];
          }
        } else {
          // The renderer's element tree maps straight to hast; re-parsing the SVG text cost ~5× more.
          const { result, svg } = inlineBlock(node.value, renderOptions);
          warnings = result.warnings;
          if (!sheetWritten) {
            // The first child of the document's first diagram (see pageStyleTree of @wiregram/svg).
            svg.children.unshift(htmlToHast(sheet!));
            sheetWritten = true;
          }
          body = [svg];
        }
      } catch (error) {
        const d = toWiregramError(error);
        const mapped = d.position ? mapBlockPosition(d.position, inFile()) : null;
        const place: NonNullable<Code['position']> | null = mapped ?? fencePlace();
        if (options.fatal) {
          file.fail(d.reason, { place, source: 'wiregram', ruleId: d.code, cause: error instanceof Error ? error : undefined });
        }
        const message = file.message(d.reason, { place, source: 'wiregram', ruleId: d.code, cause: error instanceof Error ? error : undefined });
        if (d.expected) message.expected = [d.expected];
        if (d.hint) message.note = d.hint;
        data.errors.push(message);
        report({ severity: 'error', file: fromFile, position: place, code: d.code, reason: d.reason, hint: d.hint });
        // The code frame shows the file's own line numbers when we have the file's text, else the block's.
        const parts = errorBoxParts(d, lang, node.value, { title: place, frame: mapped, text: inFile().text || null });
        const box = errorBoxTree(parts, d.code, figureClass, meta.caption);
        const hast = htmlToHast(box);
        return wrap(hast.properties, hast.children);
      }
      record.ok = true;
      if (options.warnings !== false) {
        for (const w of warnings) {
          const place = w.position ? mapBlockPosition(w.position, inFile()) : fencePlace();
          const message = file.message(w.reason, { place, source: 'wiregram', ruleId: w.code });
          if (w.hint) message.note = w.hint;
          report({ severity: 'warning', file: fromFile, position: place, code: w.code, reason: w.reason, hint: w.hint });
        }
      }
      return wrap({ className: figureClass }, [...sourceBlock, ...body, ...caption]);
    };

    // Replace in document order (the counter must follow the page) with an explicit stack: a deeply nested
    // document (blockquote in list in blockquote …) must not exhaust the call stack.
    const stack: Array<{ parent: Parent; next: number }> = [{ parent: tree, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const children = top.parent.children as Nodes[];
      if (top.next >= children.length) {
        stack.pop();
        continue;
      }
      const i = top.next++;
      const child = children[i]!;
      if (child.type === 'code' && isLanguage(child.lang)) children[i] = transform(child) as unknown as Nodes;
      else if ('children' in child) stack.push({ parent: child as Parent, next: 0 });
    }

    // Strict: every block was drawn and reported; now fail the document with all of its problems.
    const failing = reports.filter(failsStrict);
    if (failing.length && strictMode(options.strict)) {
      const first = failing[0]!.position?.start;
      file.fail(strictFailureMessage(failing), { place: first ? { start: first, end: first } : null, source: 'wiregram', ruleId: 'strict' });
    }
  };
}
