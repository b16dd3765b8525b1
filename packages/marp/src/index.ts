/**
 * @wiregram/marp: wiregram for Marp CLI, as a Marp engine.
 *
 *   // engine.mjs — `npx marp --engine ./engine.mjs slides.md`
 *   import { wiregramEngine } from '@wiregram/marp';
 *   export default wiregramEngine();
 *
 * Marp CLI never tells an engine which file it renders: it reads each input file and calls
 * `engine.render(markdown)` with the text alone, so markdown-it-wiregram could only report `<markdown>:12:1`.
 * This engine finds the file itself: the input Markdown files Marp CLI was given (the paths and folders on its
 * command line — `--input-dir` included — else the Markdown files under the working directory) whose text is
 * exactly the text being rendered, and hands its path to markdown-it-wiregram as `env.path`. With several input
 * files, converted in parallel, each render still gets its own file, since the match is by content.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import markdownItWiregram, { type MarkdownItLike, type MarkdownItWiregramOptions } from 'markdown-it-wiregram';

/** The part of Marp Core (Marpit) the engine touches. */
export interface MarpLike {
  use(plugin: (md: MarkdownItLike, options: MarkdownItWiregramOptions) => void, options: MarkdownItWiregramOptions): MarpLike;
  render(markdown: string, env?: Record<string, unknown>): unknown;
}

/** Finds the input file whose text is `markdown` (absolute path), or null. */
export type InputFileFinder = (markdown: string) => string | null;

export interface MarpWiregramOptions extends MarkdownItWiregramOptions {
  /** How a render finds its file; default `inputFileFinder()` (Marp CLI's command line, then the working directory). */
  findInput?: InputFileFinder;
}

/** Marp CLI's Markdown extensions (what `--input-dir` converts). */
const MARKDOWN = new Set(['.md', '.mdown', '.markdown', '.markdn']);

// Bounds for a folder walk: a deck folder is small; a working directory may not be.
const MAX_DEPTH = 8;
const MAX_FILES = 5000;
const MAX_SIZE = 8 * 1024 * 1024;

/** Markdown files under `dir` (no node_modules, no dot folders), depth and count bounded, sorted. */
function markdownFiles(dir: string, into: string[], depth = 0): void {
  if (depth > MAX_DEPTH || into.length >= MAX_FILES) return;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (into.length >= MAX_FILES) return;
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) markdownFiles(path, into, depth + 1);
    else if (entry.isFile() && MARKDOWN.has(extname(entry.name).toLowerCase())) into.push(path);
  }
}

/**
 * Paths named on the command line, as Marp CLI takes them: each argument (and each `--option=value` value)
 * that is an existing Markdown file, or a folder (its Markdown files). Option values that are other files
 * (`--engine ./engine.mjs`, `--theme x.css`) are not Markdown, so they drop out.
 */
export function commandLineInputs(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const value = arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (!value || value.startsWith('-')) continue;
    const path = resolve(cwd, value);
    let stat: import('node:fs').Stats | undefined;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) markdownFiles(path, out);
    else if (stat.isFile() && MARKDOWN.has(extname(path).toLowerCase())) out.push(path);
  }
  return [...new Set(out)];
}

const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/** Whether `path` holds exactly `markdown` (as Marp CLI passes it: the file's text without a byte-order mark). */
function holds(path: string, markdown: string, bytes: number): boolean {
  try {
    const size = statSync(path).size;
    // The size first (the text's UTF-8 length, or that plus a 3-byte BOM): most files are ruled out unread.
    if ((size !== bytes && size !== bytes + 3) || size > MAX_SIZE) return false;
    return stripBom(readFileSync(path, 'utf8')) === markdown;
  } catch {
    return false;
  }
}

/**
 * The default finder: among the Markdown files of Marp CLI's command line (`argv`, default `process.argv`),
 * else those under `cwd`, the first whose text is the rendered Markdown. Files are looked at anew on each render
 * (watch and server modes change them), their sizes first.
 */
export function inputFileFinder(argv: readonly string[] = process.argv.slice(2), cwd: string = process.cwd()): InputFileFinder {
  return (markdown) => {
    const text = stripBom(markdown);
    const bytes = Buffer.byteLength(text, 'utf8');
    for (const path of commandLineInputs(argv, cwd)) if (holds(path, text, bytes)) return path;
    // A config file's `inputDir`, a glob Marp CLI expanded itself, the API: the working directory's decks.
    const all: string[] = [];
    markdownFiles(cwd, all);
    for (const path of all) if (holds(path, text, bytes)) return path;
    return null;
  };
}

/**
 * `engine.render` that passes markdown-it the input file's path (`env.path`): build-log problems then name the
 * deck file (`slides.md:12:1`), and `capture ./x.pcap` resolves next to it. A path the caller gave is kept.
 */
export function withInputFile<T extends MarpLike>(engine: T, findInput: InputFileFinder = inputFileFinder()): T {
  const render = engine.render.bind(engine);
  engine.render = (markdown: string, env: Record<string, unknown> = {}) => {
    const path = typeof env.path === 'string' ? env.path : findInput(markdown);
    return render(markdown, path ? { ...env, path } : env);
  };
  return engine;
}

/** The options used: `darkSelector: 'section.invert'` (Marp's dark slides) unless a dark mode is given. */
export function marpOptions(options: MarkdownItWiregramOptions = {}): MarkdownItWiregramOptions {
  const dark = options.darkSelector || options.darkClass || options.theme === 'light' || options.theme === 'dark' ? {} : { darkSelector: 'section.invert' };
  return { ...dark, ...options };
}

/**
 * A Marp CLI functional engine (`--engine ./engine.mjs` whose default export this is): Marp Core with
 * markdown-it-wiregram, each render told its input file.
 */
export function wiregramEngine(options: MarpWiregramOptions = {}): (opts: { marp: MarpLike }) => MarpLike {
  const { findInput, ...pluginOptions } = options;
  return ({ marp }) => withInputFile(marp.use(markdownItWiregram, marpOptions(pluginOptions)), findInput);
}

export default wiregramEngine;
