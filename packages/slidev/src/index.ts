/**
 * @wiregram/slidev: wiregram on Slidev 52 slides, through Slidev's transformer setup (`setup/transformers.ts`),
 * which an addon can ship and a deck can write.
 *
 *   # slides.md headmatter — the addon (options under `wiregram:`, optional)
 *   addons:
 *     - '@wiregram/slidev'
 *
 *   // or setup/transformers.ts in the deck
 *   import { wiregramTransformers } from '@wiregram/slidev';
 *   export default () => wiregramTransformers({ labelStyle: 'flags' });
 *
 * Why transformers and not `markdownSetup`: a codeblock transformer runs before Slidev hands a fence to Shiki (so
 * `tcp-sequence` never reaches it: `ShikiError: Language 'tcp-sequence' is not included`), an addon can add one
 * without touching the deck's vite.config, and the `pre` transformer sees each slide with its place in the file
 * (Slidev renders one slide at a time, its text trimmed, so markdown-it's line 1 is not the file's).
 *
 * Each block is rendered by markdown-it-wiregram (Vue-safe, dark class `dark` as Slidev's toggle sets it, error
 * box, build-log report) from a document in which the fence sits at its line in the slide file.
 *
 * Strict mode: Slidev hands over one block at a time, so a block that threw would stop the build at the first
 * broken one. The addon also ships `setup/vite-plugins.ts` (`wiregramVitePlugins`): during `slidev build` the
 * transformers only collect each block's problems, and the plugin fails the build once, at its end, listing
 * every problem of every slide. Without that plugin (transformers set up by hand) a strict block throws.
 */
import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import markdownItWiregram, { fenceLanguage, type MarkdownItWiregramOptions, type WiregramEnv } from 'markdown-it-wiregram';
import { failsStrict, formatBlockReport, strictFailureError, strictMode, type BlockReport } from '@wiregram/svg';

export type SlidevWiregramOptions = MarkdownItWiregramOptions;

/** What Slidev's transformer contexts carry that is used here (Slidev 52 types, structurally). */
export interface SlideLike {
  source?: { filepath?: string; start?: number; contentStart?: number; raw?: string; contentRaw?: string } | null;
  content?: string;
}
export interface MarkdownTransformContextLike {
  s: { original: string; appendLeft(index: number, content: string): unknown };
  slide: SlideLike;
  options?: { data?: { headmatter?: Record<string, unknown> } };
}
export interface CodeblockTransformContextLike {
  info: string;
  code: string;
  slide: SlideLike | null;
  options?: { data?: { headmatter?: Record<string, unknown> } };
}
export interface WiregramTransformers {
  pre: Array<(ctx: MarkdownTransformContextLike) => void>;
  codeblocks: Array<(ctx: CodeblockTransformContextLike) => string | undefined>;
}

// Process-wide (a symbol on globalThis): Slidev loads each setup file on its own, possibly as separate copies of
// this module, and the transformers must reach the collector the vite plugin armed.
const STRICT = Symbol.for('wiregram.slidev.strict');
interface StrictCollector {
  /** A build with the plugin is under way: collect instead of throwing. */
  armed: boolean;
  /** Failing problems by their log line (Slidev may transform a slide more than once). */
  reports: Map<string, BlockReport>;
}
function collector(): StrictCollector {
  const holder = globalThis as { [STRICT]?: StrictCollector };
  return (holder[STRICT] ??= { armed: false, reports: new Map() });
}

/** What a Vite plugin of Slidev's `setup/vite-plugins.ts` is here (structurally; no vite types needed). */
export interface StrictVitePlugin {
  name: string;
  apply: 'build';
  buildStart(): void;
  buildEnd(error?: unknown): void;
}

/**
 * The Vite plugin of `setup/vite-plugins.ts`: during `slidev build`, strict mode fails the build once, after
 * every slide was rendered, with every problem of every slide (`file:line:col` each) — not at the first block.
 */
export function wiregramVitePlugins(): StrictVitePlugin[] {
  return [
    {
      name: 'wiregram:strict',
      apply: 'build',
      buildStart() {
        const c = collector();
        c.armed = true;
        c.reports.clear();
      },
      buildEnd(error) {
        const c = collector();
        c.armed = false;
        // In deck order, whatever order Vite transformed the slides in.
        const at = (r: BlockReport) => [r.file ?? '', r.position?.start.line ?? 0, r.position?.start.column ?? 0] as const;
        const failing = [...c.reports.values()].sort((a, b) => {
          const [fa, la, ca] = at(a);
          const [fb, lb, cb] = at(b);
          return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb;
        });
        c.reports.clear();
        // A build that already failed says why; ours would only be a second message.
        if (error || !failing.length) return;
        throw strictFailureError(failing);
      },
    },
  ];
}

/**
 * A block's problems after it was drawn: nothing in lenient mode; in strict mode collected for the vite
 * plugin's single failure, or (no plugin armed) thrown now.
 */
function strictAfterBlock(env: Record<string, unknown>, strict: boolean | undefined): void {
  if (!strictMode(strict)) return;
  const failing = ((env.wiregram as WiregramEnv | undefined)?.reports ?? []).filter(failsStrict);
  if (!failing.length) return;
  const c = collector();
  if (!c.armed) {
    throw strictFailureError(failing);
  }
  for (const report of failing) c.reports.set(formatBlockReport(report), report);
}

/** The defaults Slidev needs; explicit options win. */
export function slidevOptions(options: SlidevWiregramOptions = {}): SlidevWiregramOptions {
  const dark = options.darkSelector || options.theme === 'light' || options.theme === 'dark' ? {} : { darkClass: 'dark' };
  return { vue: true, ...dark, ...options };
}

const NO_SLIDE = {};

// Appended to a fence's info string by the `pre` transformer: the fence's 1-based line in its file, and on the
// slide's first diagram fence, that it carries the page stylesheet (one per slide: Slidev shows any slide alone).
const MARK = ' wiregram-line=';
const SHEET = ' wiregram-sheet';
const MARKED = /^(.*?) wiregram-line=(\d+)( wiregram-sheet)?$/;

/**
 * Slidev transformers that draw wiregram fences: `pre` marks each fence with its line in the slide file,
 * `codeblocks` renders it (and returns nothing for every other fence, which goes on to Slidev as usual).
 * `options` of null reads them from the deck's headmatter (`wiregram:`), as the addon does.
 */
export function wiregramTransformers(options: SlidevWiregramOptions | null = {}): WiregramTransformers {
  const parser = new MarkdownIt();
  // Slides whose stylesheet-carrying diagram was an error box: the next diagram of the slide carries it.
  const owed = new WeakSet<object>();
  let renderer: { md: InstanceType<typeof MarkdownIt>; strict: boolean | undefined } | null = null;
  const md = (ctx: CodeblockTransformContextLike) => {
    if (!renderer) {
      const fromDeck = ctx.options?.data?.headmatter?.wiregram;
      const chosen = options ?? (fromDeck && typeof fromDeck === 'object' ? (fromDeck as SlidevWiregramOptions) : {});
      // The plugin never throws itself: strict mode is decided per block here (`strictAfterBlock`).
      const md = new MarkdownIt({ html: true }).use(markdownItWiregram as never, { ...slidevOptions(chosen), strict: false });
      renderer = { md, strict: chosen.strict };
    }
    return renderer;
  };
  return {
    pre: [
      (ctx) => {
        const text = ctx.s.original;
        if (!/tcp-sequence|packet-header/.test(text)) return;
        const first = firstContentLine(ctx.slide);
        const lineEnds = lineEndOffsets(text);
        let sheet = true;
        for (const token of parser.parse(text, {})) {
          if (token.type !== 'fence' || !token.map || !fenceLanguage(token.info)) continue;
          const end = lineEnds[token.map[0]];
          if (end === undefined) continue;
          ctx.s.appendLeft(end, `${MARK}${first + token.map[0]}${sheet ? SHEET : ''}`);
          sheet = false;
        }
      },
    ],
    codeblocks: [
      (ctx) => {
        if (!fenceLanguage(ctx.info)) return undefined;
        const marked = MARKED.exec(ctx.info.trim());
        const info = marked ? marked[1]! : ctx.info.trim();
        const line = marked ? Number(marked[2]) : 1;
        const file = ctx.slide?.source?.filepath ?? null;
        // The fence's line numbers its diagram: ids stay unique across the deck's slides (the overview shows
        // them all on one page) and the same deck always gets the same ids.
        // The page stylesheet: with the slide's first diagram (marked by `pre`) — or, when that one could not be
        // drawn, the next one of the slide. Unmarked (no `pre` pass), every diagram carries it.
        const slide = ctx.slide ?? NO_SLIDE;
        const carries = !marked || Boolean(marked[3]) || owed.has(slide);
        const env: Record<string, unknown> = { wiregram: { count: line - 1, errors: [], warnings: [], source: null, reports: [], styled: !carries } };
        if (file) env.path = file;
        const { md: renderer, strict } = md(ctx);
        const inFile = file ? fenceInFile(renderer, file, line, ctx.code, env) : null;
        const html = inFile ?? renderer.render(placedFence(info, ctx.code, line), env);
        if (carries && !(env.wiregram as { styled?: boolean }).styled) owed.add(slide);
        else owed.delete(slide);
        strictAfterBlock(env, strict);
        return stepsAsClicks(html);
      },
    ],
  };
}

/**
 * A diagram drawn with `steps` numbers its step groups (`<g class="wg-step" data-wg-step="k">`, the order of
 * `wiregram deck --steps`); on a slide each becomes a click: `v-click="k"`, Slidev's absolute click position, so
 * groups of one step appear together. Author text cannot produce the pattern: the renderer escapes every `<`.
 */
export function stepsAsClicks(html: string): string {
  return html.replace(/<g class="wg-step" data-wg-step="(\d+)"/g, '$& v-click="$1"');
}

/**
 * Render the fence at `line` of `file` from the file's own text, so that every position markdown-it-wiregram
 * reports (build log, error box) is the file's line and column. Null when the file's fence is not the one
 * Slidev handed over (the slide was changed by a transformer before it was parsed).
 */
function fenceInFile(md: InstanceType<typeof MarkdownIt>, file: string, line: number, code: string, env: Record<string, unknown>): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const tokens = md.parse(text, env);
  const token = tokens.find((t) => t.type === 'fence' && t.map?.[0] === line - 1 && fenceLanguage(t.info));
  if (!token || token.content.replace(/\n$/, '') !== code.replace(/\n$/, '')) return null;
  return md.renderer.render([token], md.options, env);
}

/**
 * A document with the fence at `line` (blank lines above), so markdown-it-wiregram reports positions in the
 * slide file's lines. The fence is long enough that no line of the body closes it.
 */
export function placedFence(info: string, code: string, line: number): string {
  // A reduce, not Math.max(...runs): a body with ~100,000 backtick runs would overflow the call stack.
  const longest = (code.match(/`+/g) ?? []).reduce((m, run) => Math.max(m, run.length), 0);
  const marker = '`'.repeat(Math.max(3, longest + 1));
  const body = code.endsWith('\n') || code === '' ? code : code + '\n';
  return '\n'.repeat(Math.max(0, Math.min(line, 1_000_000) - 1)) + `${marker}${info.replace(/`/g, '')}\n${body}${marker}\n`;
}

/**
 * The file line (1-based) of the first line of a slide's content. Slidev's `contentStart` is the line after the
 * slide's front matter (0-based); the content it renders is that text trimmed, so leading blank lines go.
 */
export function firstContentLine(slide: SlideLike): number {
  const source = slide.source;
  if (!source || typeof source.contentStart !== 'number') return 1;
  const raw = source.raw ?? '';
  const fromLine = source.contentStart - (source.start ?? 0);
  const rawLines = raw.split(/\r?\n/);
  let k = Math.max(0, fromLine);
  while (k < rawLines.length && rawLines[k]!.trim() === '') k++;
  if (k >= rawLines.length) k = Math.max(0, fromLine);
  return (source.start ?? 0) + k + 1;
}

/** Offsets of the end of each line (before its line break). */
function lineEndOffsets(text: string): number[] {
  const ends: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) ends.push(i > 0 && text[i - 1] === '\r' ? i - 1 : i);
  ends.push(text.length);
  return ends;
}

/** The addon's setup (`setup/transformers.ts` of this package): options from the headmatter's `wiregram:`. */
export default function addonTransformers(): WiregramTransformers {
  return wiregramTransformers(null);
}
