/**
 * What a host of the fenced languages (the Markdown plugins) needs around the core, browser-safe.
 *
 * File access for `capture ./x.pcap` statements is loaded only when a block actually reads a file. The safe
 * reader lives in `@wiregram/core/node` (node:fs, node:path; refuses paths outside the project). A static
 * import of it would make every bundle of a plugin pull `node:` modules, so a browser build (an editor preview,
 * a playground) could not use the plugin at all. Instead the module is loaded synchronously — the plugins must
 * stay usable from `processSync` and markdown-it's render — on the first read:
 * `process.getBuiltinModule('node:module')` gives `createRequire`, and `require()` of an ES module works in
 * Node ≥ 20.19 / ≥ 22.12. Elsewhere, or when that fails, the block gets a `WiregramError` that says to pass a
 * `readFile` option.
 */
import { isWiregramError, WiregramError, type BlockInFile, type Position } from './errors.js';

type NodeHelpers = typeof import('./node.js');
type ModuleApi = typeof import('node:module');
/** A block's file reader, as `compileSequence`/`parsePacketHeader` call it. */
export type BlockFileReader = (path: string, position: Position) => Uint8Array;

let helpers: NodeHelpers | null = null;

function unavailable(position: Position | null, why: string): WiregramError {
  return new WiregramError({
    code: 'capture-unavailable',
    reason: `cannot read files here: ${why}`,
    position,
    expected: 'Node.js ≥ 20.19 or ≥ 22.12, or a `readFile` option',
    hint: 'pass the plugin a synchronous readFile(path, position, fromFile) option that returns the bytes',
  });
}

/** `@wiregram/core/node`, loaded on first use. */
function nodeHelpers(position: Position | null): NodeHelpers {
  if (helpers) return helpers;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const moduleApi = proc?.getBuiltinModule?.('node:module') as ModuleApi | undefined;
  if (!moduleApi?.createRequire) throw unavailable(position, 'this runtime is not Node.js (or older than 20.16)');
  try {
    // The package's own name (self-reference through `exports`): the built `dist/node.js`, from sources too.
    helpers = moduleApi.createRequire(import.meta.url)('@wiregram/core/node') as NodeHelpers;
  } catch (e) {
    throw unavailable(position, `@wiregram/core/node could not be loaded (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  return helpers;
}

/** Whether the Node-only file helpers have been loaded in this process (for tests and diagnostics). */
export function nodeFileAccessLoaded(): boolean {
  return helpers !== null;
}

/**
 * Whatever a block's rendering threw, as a `WiregramError` of this copy of the core. Two copies of
 * @wiregram/core (a bundler duplicating it, or dist next to sources in tests) have two WiregramError classes:
 * a foreign one is re-created here, keeping its code, position and hint. Anything else is reported as a bug.
 */
export function toWiregramError(thrown: unknown): WiregramError {
  if (isWiregramError(thrown)) return thrown;
  if (isForeignWiregramError(thrown)) {
    const o = thrown;
    return new WiregramError({ code: o.code, reason: o.reason, position: o.position ?? null, expected: o.expected ?? null, hint: o.hint ?? null });
  }
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return new WiregramError({ code: 'internal', reason: `wiregram could not draw this block: ${reason}`, hint: 'this is a bug in wiregram; please report it with the block' });
}

/** A WiregramError of another copy of the core: an object with its shape, but not of our class. */
function isForeignWiregramError(e: unknown): e is Partial<WiregramError> & { code: string; reason: string } {
  if (!e || typeof e !== 'object' || isWiregramError(e)) return false;
  const o = e as Partial<WiregramError>;
  return typeof o.code === 'string' && typeof o.reason === 'string';
}

// Only foreign WiregramErrors are converted on the way out of a reader: anything else keeps its identity.
function sameRealm(e: unknown): unknown {
  return isForeignWiregramError(e) ? toWiregramError(e) : e;
}

/**
 * The default reader of a Markdown plugin: paths relative to the Markdown file `fromFile`, refused outside
 * `root()` (evaluated on first read, so a default such as `process.cwd()` is never touched by documents without
 * captures), with Node's file system loaded on that first read.
 */
export function lazyProjectFileReader(root: () => string, fromFile: string): BlockFileReader {
  let reader: ((path: string, position?: Position | null) => Uint8Array) | null = null;
  return (path, position) => {
    try {
      reader ??= nodeHelpers(position ?? null).projectFileReader(root(), fromFile);
      return reader(path, position);
    } catch (e) {
      throw sameRealm(e);
    }
  };
}

/**
 * A host's own file reader (a plugin's `readFile` option), synchronous: `path` as written in the block, `position`
 * of the path in the block, `fromFile` the Markdown file that asks (or null).
 */
export type HostFileReader = (path: string, position: Position, fromFile: string | null) => Uint8Array;

/**
 * A plugin's file access for one document: the host's `custom` reader (told which Markdown file asks), else
 * the lazy project reader when the document has a path, else none (a `capture` then reports that).
 */
export function blockFileReader(
  custom: HostFileReader | undefined,
  fromFile: string | null,
  root: () => string,
): BlockFileReader | undefined {
  if (custom) return (path, position) => custom(path, position, fromFile);
  return fromFile ? lazyProjectFileReader(root, fromFile) : undefined;
}

type FsApi = typeof import('node:fs');
const fileTexts = new Map<string, { mtime: number; text: string }>();

/**
 * The text of a Markdown file as it is on disk, or null (not Node, no such file, unreadable). Hosts hand the
 * Markdown parser a shortened text — VitePress, Eleventy, Astro content collections and Docusaurus strip the
 * front matter, Slidev passes one slide — so a block's line in that text is not its line in the file; the file
 * itself tells. Node's fs is looked up only here (`process.getBuiltinModule`), so browser bundles never load it.
 */
export function sourceFileText(path: string): string | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as FsApi | undefined;
  if (!fs?.statSync) return null;
  try {
    const stat = fs.statSync(path, { throwIfNoEntry: false });
    // Bounded: a Markdown file of more than 8 MB is not one whose lines we look for.
    if (!stat || !stat.isFile() || stat.size > 8 * 1024 * 1024) return null;
    const cached = fileTexts.get(path);
    if (cached && cached.mtime === stat.mtimeMs) return cached.text;
    const text = fs.readFileSync(path, 'utf8');
    if (fileTexts.size > 256) fileTexts.clear();
    fileTexts.set(path, { mtime: stat.mtimeMs, text });
    return text;
  } catch {
    return null;
  }
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function nthIndexOf(text: string, part: string, n: number, from = 0): number {
  let at = from - 1;
  for (let k = 0; k <= n; k++) {
    at = text.indexOf(part, at + 1);
    if (at === -1) return -1;
  }
  return at;
}

/**
 * Where the block whose content starts at line `seenLine` of the parser's text `seen` starts in the file's
 * text `disk` (1-based content line), or null when it cannot be told. The whole parsed text inside the file
 * (front matter stripped) shifts every line alike; otherwise the block is found by its own text, as the same
 * occurrence (first, second, …) it is in the parsed text.
 */
export function lineInFile(disk: string, seen: string, seenLine: number, value: string): number | null {
  if (disk === seen) return seenLine;
  const norm = (t: string) => t.replace(/\r\n?/g, '\n');
  const d = norm(disk);
  const s = norm(seen);
  if (s.trim()) {
    const at = d.indexOf(s);
    if (at !== -1) return seenLine + lineOfOffset(d, at) - 1;
  }
  const body = norm(value);
  if (!body.trim()) return null;
  const lines = s.split('\n');
  const before = lines.slice(0, Math.max(0, seenLine - 1)).join('\n');
  let n = 0;
  for (let i = s.indexOf(body); i !== -1 && i < before.length; i = s.indexOf(body, i + 1)) n++;
  const found = nthIndexOf(d, body, n);
  return found === -1 ? null : lineOfOffset(d, found);
}

/**
 * A block's place for `mapBlockPosition` in its real file: when the host's text is not the file's (see
 * `sourceFileText`), the file's text and line; else what the host gave. `path` null: the host's text as is.
 */
export function blockInSourceFile(path: string | null, seen: string, contentLine: number, value: string, fenceColumn?: number): BlockInFile {
  const asSeen: BlockInFile = { text: seen, contentLine, value, ...(fenceColumn !== undefined && !seen ? { fenceColumn } : {}) };
  if (!path) return asSeen;
  const disk = sourceFileText(path);
  if (disk === null || disk === seen) return asSeen;
  const line = lineInFile(disk, seen, contentLine, value);
  return line === null ? asSeen : { text: disk, contentLine: line, value };
}
