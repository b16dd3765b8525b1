/**
 * Input discovery: paths, globs, directories and `-` (stdin) become a list of files, each with the kind of
 * text it holds; then every diagram in them becomes a Unit with its position in the file.
 */
import { closeSync, fstatSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from './args.js';
import { CliError, EXIT_INPUT, readError } from './errors.js';
import { type FencedBlock, lineStarts, scanFences } from './fences.js';
import { openInput } from './fsutil.js';
import { expandGlob, globToRegExp, isGlob } from './glob.js';

export type DiagramLanguage = 'tcp-sequence' | 'packet-header';
export type InputKind = 'markdown' | DiagramLanguage;

export const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdown', '.mkd', '.mdx'];
export const SEQUENCE_EXTENSIONS = ['.tcpseq', '.seq', '.wiregram', '.wg'];
export const HEADER_EXTENSIONS = ['.pkt', '.packet', '.pkthdr'];
export const DIAGRAM_LANGUAGES: readonly DiagramLanguage[] = ['tcp-sequence', 'packet-header'];

export function kindFromPath(path: string): InputKind | null {
  const ext = extname(path).toLowerCase();
  if (MARKDOWN_EXTENSIONS.includes(ext)) return 'markdown';
  if (SEQUENCE_EXTENSIONS.includes(ext)) return 'tcp-sequence';
  if (HEADER_EXTENSIONS.includes(ext)) return 'packet-header';
  return null;
}

/** Guess what stdin holds: Markdown if it has a diagram fence, else which diagram language its first line reads as. */
export function sniffKind(text: string): InputKind {
  if (scanFences(text).some((b) => (DIAGRAM_LANGUAGES as readonly string[]).includes(b.lang))) return 'markdown';
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line || line.startsWith('%%')) continue;
    if (/^(packet(-beta)?|tcp|udp|ipv4|ipv6|icmp|icmpv6|bytes|frame)\b/i.test(line) && !/->|\u2192/.test(line)) return 'packet-header'; // → (escaped: the bundle is ASCII)
    if (/^(\d+(\s*-\s*\d+)?|\+(\d+|var))\s*:/.test(line)) return 'packet-header';
    return 'tcp-sequence';
  }
  return 'tcp-sequence';
}

export interface InputFile {
  /** Absolute path; null for stdin. */
  path: string | null;
  /** As shown in messages: relative to the working directory, or `<stdin>`. */
  display: string;
  /** Output base name: the file name without its extension (`stdin` for stdin). */
  name: string;
  kind: InputKind;
  text: string;
}

export interface Unit {
  input: InputFile;
  /** 1-based index among the diagram blocks of its file (1 for a diagram file). */
  n: number;
  /** Total diagrams in its file. */
  of: number;
  lang: DiagramLanguage;
  source: string;
  /** The fence, for Markdown inputs. */
  block: FencedBlock | null;
}

export interface ResolveOptions {
  cwd: string;
  /** Collect named files that do not exist instead of failing (watch mode: a file deleted while watching). */
  missing?: string[];
  lang?: InputKind | undefined;
  /** Absolute directories whose files a glob never picks up (our own output). */
  exclude?: string[];
}

export interface ResolvedInput {
  path: string | null;
  display: string;
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

/** Expand the command line's inputs to files (deduplicated, in command-line order, globs sorted). */
export function resolveInputs(positionals: readonly string[], options: ResolveOptions): ResolvedInput[] {
  const { cwd } = options;
  const seen = new Set<string>();
  const out: ResolvedInput[] = [];
  const lang = options.lang;
  const accept = (abs: string) => lang !== undefined || kindFromPath(abs) !== null;
  const excluded = (abs: string) =>
    (options.exclude ?? []).some((d) => {
      const rel = relative(d, abs);
      return !rel.startsWith('..') && !isAbsolute(rel);
    });
  const add = (abs: string) => {
    let key = abs;
    try {
      key = realpathSync.native(abs);
    } catch {
      /* reported when read */
    }
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path: abs, display: displayPath(abs, cwd) });
  };
  let stdin = false;
  for (const arg of positionals) {
    if (arg === '-') {
      if (stdin) throw new UsageError('stdin (-) given twice');
      stdin = true;
      out.push({ path: null, display: '<stdin>' });
      continue;
    }
    const abs = resolve(cwd, arg);
    let st;
    try {
      // A pattern (`docs/*.md`) is no file: answered without an exception (≈ 0.25 ms in a fresh process).
      st = statSync(abs, { throwIfNoEntry: false }) ?? null;
    } catch {
      st = null;
    }
    if (st?.isDirectory()) {
      const files = expandGlob(`${arg.replace(/[\\/]+$/, '')}/**/*`, cwd).map((f) => resolve(cwd, f)).filter((f) => kindFromPath(f) !== null && !excluded(f));
      if (!files.length && !options.missing) throw new UsageError(`no Markdown or diagram files in directory '${arg}'`);
      files.forEach(add);
      continue;
    }
    if (st) {
      add(abs);
      continue;
    }
    if (isGlob(arg)) {
      const files = expandGlob(arg, cwd).map((f) => resolve(cwd, f)).filter((f) => accept(f) && !excluded(f));
      if (!files.length && !options.missing) throw new UsageError(`no files match '${arg}'`, lang === undefined ? 'globs pick up Markdown and diagram files only (or any file with --lang)' : null);
      files.forEach(add);
      continue;
    }
    if (options.missing) {
      options.missing.push(displayPath(abs, cwd));
      continue;
    }
    throw new UsageError(`no such file: ${arg}`);
  }
  return out;
}

/** Does an input pattern (as typed) match this absolute path? Used by --watch to notice new files. */
export function patternMatcher(positionals: readonly string[], cwd: string, lang?: InputKind): (abs: string) => boolean {
  // Only files wiregram would read count: our own outputs (.svg, .pdf, temp files) land in the same directories.
  const readable = (abs: string) => lang !== undefined || kindFromPath(abs) !== null;
  const matchers = positionals
    .filter((p) => p !== '-')
    .map((p) => {
      if (!isGlob(p)) {
        const target = resolve(cwd, p);
        return (abs: string) => abs === target || (abs.startsWith(target + '/') && kindFromPath(abs) !== null);
      }
      const re = globToRegExp(resolve(cwd, p).split('\\').join('/'));
      return (abs: string) => re.test(abs.split('\\').join('/')) && readable(abs);
    });
  return (abs) => matchers.some((m) => m(abs));
}

/**
 * The size policy for text inputs (Markdown and diagram files, stdin): at most 16 MiB, the UTF-8 size of the
 * core's 4,000,000-character limit. Larger inputs are refused after reading at most this much, so memory
 * stays bounded whatever is piped in. (Captures have their own policy: see import.ts and docs/cli.md.)
 */
export const MAX_TEXT_INPUT = 16 * 1024 * 1024;

const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`;

function tooLarge(display: string, size: number | null): CliError {
  return new CliError(
    `${display} is ${size === null ? 'more than' : MiB(size) + ', more than'} ${MiB(MAX_TEXT_INPUT)}, the most wiregram reads as Markdown or diagram text`,
    'split it into smaller files (a diagram holds at most 4,000,000 characters)',
    EXIT_INPUT,
    'input-too-large',
  );
}

/**
 * Text inputs are checked from their first bytes: a NUL byte means binary (an image, a capture, UTF-16
 * text), refused before the rest is read.
 */
function checkTextHead(display: string, head: Uint8Array): void {
  const n = Math.min(head.length, 8192);
  const nul = head.subarray(0, n).indexOf(0);
  if (nul < 0) return;
  const capture = n >= 4 && [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a].includes(((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0);
  throw new CliError(
    `${display} is binary (a NUL byte at offset ${nul}), not Markdown or diagram text`,
    capture ? 'it looks like a pcap/pcapng capture: turn it into diagram text with `wiregram import`' : 'give a UTF-8 text file (UTF-16 files must be saved as UTF-8)',
    EXIT_INPUT,
    'input-binary',
  );
}

/** stdin as text, read in chunks: refused as soon as it proves binary or passes MAX_TEXT_INPUT. */
export function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  return readBoundedText(stdin, MAX_TEXT_INPUT, () => tooLarge('<stdin>', null), (head) => checkTextHead('<stdin>', head));
}

/**
 * A stream's bytes as UTF-8 text, read in chunks: `head` (if given) sees the first bytes as they arrive, up to
 * 8 KiB, and `tooLarge()` is thrown as soon as more than `limit` bytes came (leaving the loop destroys the
 * stream: nothing more is read), so memory stays bounded whatever is piped in.
 */
export async function readBoundedText(stream: NodeJS.ReadableStream, limit: number, tooLarge: () => Error, head?: (bytes: Buffer) => void): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (head && size < 8192) head(size === 0 ? b : Buffer.concat([...chunks, b]));
    size += b.length;
    if (size > limit) throw tooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One read buffer for every file up to its size: a folder of small files allocates none per file. */
const SMALL_FILE = 1 << 16;
let smallFileBuffer: Buffer | null = null;

/** A text file: its size checked before reading, its first bytes before the rest. */
function readTextFile(path: string, display: string): string {
  const fd = openInput(path, display);
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_TEXT_INPUT) throw tooLarge(display, size);
    // Decoded into a new string below, so the shared buffer is free again when this returns.
    const buf = size <= SMALL_FILE ? (smallFileBuffer ??= Buffer.allocUnsafeSlow(SMALL_FILE)) : Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, Math.min(size - off, 1 << 20), off);
      if (n === 0) break;
      if (off === 0) checkTextHead(display, buf.subarray(0, n));
      off += n;
    }
    return buf.toString('utf8', 0, off);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw readError(e, display);
  } finally {
    closeSync(fd);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read one input and decide its kind. Unknown extensions need --lang. */
export function loadInput(r: ResolvedInput, text: string | null, lang: InputKind | undefined): InputFile {
  if (r.path === null) {
    const t = stripBom(text ?? '');
    return { path: null, display: r.display, name: 'stdin', kind: lang ?? sniffKind(t), text: t };
  }
  const kind = lang ?? kindFromPath(r.path);
  if (!kind) {
    throw new UsageError(
      `don't know what '${r.display}' holds (extension '${extname(r.path) || '(none)'}')`,
      `use --lang markdown|tcp-sequence|packet-header, or one of ${[...MARKDOWN_EXTENSIONS, ...SEQUENCE_EXTENSIONS, ...HEADER_EXTENSIONS].join(' ')}`,
    );
  }
  const data = readTextFile(r.path, r.display);
  const ext = extname(r.path);
  return { path: r.path, display: r.display, name: basename(r.path, ext), kind, text: stripBom(data) };
}

/** Every diagram of an input. */
export function unitsOf(input: InputFile): Unit[] {
  if (input.kind !== 'markdown') {
    return [{ input, n: 1, of: 1, lang: input.kind, source: input.text, block: null }];
  }
  const blocks = scanFences(input.text).filter((b) => (DIAGRAM_LANGUAGES as readonly string[]).includes(b.lang));
  return blocks.map((block, i) => ({
    input,
    n: i + 1,
    of: blocks.length,
    lang: block.lang as DiagramLanguage,
    source: block.source,
    block,
  }));
}

/** Line starts of each input's text, computed once per file for position mapping. */
const starts = new WeakMap<InputFile, number[]>();
export function fileLineStarts(input: InputFile): number[] {
  let s = starts.get(input);
  if (!s) {
    s = lineStarts(input.text);
    starts.set(input, s);
  }
  return s;
}
