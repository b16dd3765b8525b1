/**
 * Input discovery: paths, globs, directories and `-` (stdin) become a list of files, each with the kind of
 * text it holds; then every diagram in them becomes a Unit with its position in the file.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from './args.js';
import { type FencedBlock, lineStarts, scanFences } from './fences.js';
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
    if (/^(packet(-beta)?|tcp|udp|ipv4|ipv6|icmp|icmpv6|bytes|frame)\b/i.test(line) && !/->|→/.test(line)) return 'packet-header';
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
      st = statSync(abs);
    } catch {
      st = null;
    }
    if (st?.isDirectory()) {
      const files = expandGlob(`${arg.replace(/[\\/]+$/, '')}/**/*`, cwd).map((f) => resolve(cwd, f)).filter((f) => kindFromPath(f) !== null && !excluded(f));
      if (!files.length) throw new UsageError(`no Markdown or diagram files in directory '${arg}'`);
      files.forEach(add);
      continue;
    }
    if (st) {
      add(abs);
      continue;
    }
    if (isGlob(arg)) {
      const files = expandGlob(arg, cwd).map((f) => resolve(cwd, f)).filter((f) => accept(f) && !excluded(f));
      if (!files.length) throw new UsageError(`no files match '${arg}'`, lang === undefined ? 'globs pick up Markdown and diagram files only (or any file with --lang)' : null);
      files.forEach(add);
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

/** All of a stream's bytes (stdin: Markdown or diagram text here, a capture for `import`). */
export async function readStreamBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  return (await readStreamBytes(stdin)).toString('utf8');
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
  let data: string;
  try {
    data = readFileSync(r.path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${r.display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
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
