/**
 * `wiregram pandoc` (also the `wiregram-pandoc` bin): a Pandoc JSON filter. Pandoc (and Quarto) run it as
 * `wiregram-pandoc FORMAT` with the document's AST as JSON on stdin and read the changed AST from stdout.
 * Every ```tcp-sequence / ```packet-header code block becomes:
 *   - HTML, reveal.js and the other HTML/EPUB writers: the SVG itself, inline (a raw HTML block);
 *   - LaTeX, Beamer, ConTeXt: a PDF image (vector, the CJK font embedded), so `\includegraphics` takes it;
 *   - everything else (pptx, docx, odt, rtf, Markdown, …): a PNG image.
 * Images are written to a folder (`wiregram-figures/` unless the metadata's `wiregram.dir` or `--dir` says
 * otherwise), named by a hash of what they are drawn from: a re-run writes nothing new.
 * A block that does not compile stays a code block, and its error is printed as a Pandoc-style `[WARNING]`
 * naming the file and line: the document still builds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { DiagramLanguage, Position } from '@wiregram/core';
import { type ParsedArgs, UsageError } from './args.js';
import { loadCore, loadPdf, loadPng, loadSvg } from './engine.js';
import { CliError, EXIT_INPUT } from './errors.js';
import { readBoundedText } from './inputs.js';
import type { Io } from './io.js';

type Kind = 'svg' | 'pdf' | 'png';
const HTML_FORMATS = /^(html|html4|html5|revealjs|slidy|slideous|dzslides|s5|epub|epub2|epub3|chunkedhtml)$/;
const PDF_FORMATS = /^(latex|beamer|context)$/;
const LANGUAGES: readonly DiagramLanguage[] = ['tcp-sequence', 'packet-header'];
/** PNGs being drawn at once: the one on a worker thread and the next, prepared meanwhile (2 cores are plenty). */
const IN_FLIGHT = 2;

/** Which picture a Pandoc output format takes (the writer name without extensions: `html5+smart` → html5). */
export function kindFor(format: string): Kind {
  const base = format.replace(/[+-].*$/, '').toLowerCase();
  return HTML_FORMATS.test(base) ? 'svg' : PDF_FORMATS.test(base) ? 'pdf' : 'png';
}

interface AstNode {
  t: string;
  c?: unknown;
}
type Attr = [string, string[], Array<[string, string]>];

interface Settings {
  dir: string;
  theme: 'auto' | 'light' | 'dark' | undefined;
  scale: number | undefined;
  /** Most pixels in one PNG (undefined: @wiregram/png's default). */
  maxPixels: number | undefined;
  options: Record<string, string>;
  /** The PNG files of this run being drawn (a block repeated in the document is drawn once). */
  drawing: Map<string, Promise<void>>;
}

interface Found {
  node: AstNode;
  language: DiagramLanguage;
  attr: Attr;
  text: string;
  /** How many earlier diagram blocks have the same text (to find this one in the input file). */
  occurrence: number;
}

export async function runPandoc(args: ParsedArgs, io: Io): Promise<number> {
  const format = args.positionals[0] ?? (typeof args.values['to'] === 'string' ? args.values['to'] : 'html');
  // By hand in a terminal there is no AST coming: say how it is meant to run instead of waiting for input.
  if (io.stdin.isTTY) throw new UsageError('wiregram pandoc reads a Pandoc JSON document on stdin', 'run it as a filter: pandoc --filter wiregram-pandoc doc.md -o doc.html', 'pandoc');
  const input = await readAll(io.stdin);
  let doc: { blocks?: unknown; meta?: Record<string, unknown> };
  try {
    doc = JSON.parse(input) as typeof doc;
  } catch (e) {
    throw new UsageError(`stdin is not a Pandoc JSON document: ${(e as Error).message}`, 'run it as a filter: pandoc --filter wiregram-pandoc doc.md -o doc.html', 'pandoc');
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.blocks)) throw new UsageError('stdin is not a Pandoc JSON document (no "blocks")', 'run it as a filter: pandoc --filter wiregram-pandoc doc.md -o doc.html', 'pandoc');
  const settings = settingsOf(args, doc.meta ?? {}, io);
  const found: Found[] = [];
  const seen = new Map<string, number>();
  collect(doc.blocks, found, seen);
  if (found.length) {
    const kind = kindFor(format);
    const core = await loadCore();
    const warn = (line: string) => io.stderr.write(`[WARNING] wiregram: ${line}\n`);
    const inputs = inputFiles(io);
    const report = (f: Found, e: unknown) => {
      const err = e as { reason?: string; message?: string; code?: string; hint?: string | null; position?: Position | null };
      warn(`${locate(f, err.position ?? null, inputs, io.cwd, core)}: ${err.reason ?? err.message ?? String(e)} [${err.code ?? 'internal-error'}]${err.hint ? ` (hint: ${err.hint})` : ''}`);
    };
    // PNGs are drawn on a worker thread while the next blocks are prepared: at most IN_FLIGHT at a time (each
    // holds its pixels until written).
    const inFlight: Array<Promise<void>> = [];
    for (const f of found) {
      const where = (position: Position | null) => locate(f, position, inputs, io.cwd, core);
      const meta = core.parseFenceMeta(metaString(f.attr));
      for (const p of meta.problems) warn(`${where(null)}: ${p.reason} [${p.code}]`);
      const options: Record<string, unknown> = { ...settings.options, ...meta.options, language: f.language };
      if (settings.theme && !meta.options.theme) options['theme'] = settings.theme;
      try {
        const replacement = await draw(kind, f, options, settings, meta.caption, io.cwd);
        for (const w of replacement.warnings) warn(`${where(w.position ?? null)}: ${w.reason} [${w.code}]`);
        const original = { ...f.node };
        Object.assign(f.node, replacement.node);
        if (replacement.written) {
          inFlight.push(
            replacement.written.catch((e: unknown) => {
              // The picture failed: the block stays the code block it was.
              for (const key of Object.keys(f.node)) delete (f.node as unknown as Record<string, unknown>)[key];
              Object.assign(f.node, original);
              report(f, e);
            }),
          );
          if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
        }
      } catch (e) {
        report(f, e);
      }
    }
    await Promise.all(inFlight);
  }
  io.stdout.write(JSON.stringify(doc));
  return 0;
}

/**
 * The most JSON the filter reads: Pandoc's AST is several times its Markdown (a word becomes an object), so this
 * leaves room for the largest Markdown the CLI reads (16 MiB) and stays under V8's longest string (≈ 512 MiB),
 * past which JSON text cannot even be made.
 */
export const MAX_PANDOC_INPUT = 256 * 1024 * 1024;

/** stdin as text, refused as soon as it passes MAX_PANDOC_INPUT. */
function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return readBoundedText(
    stream,
    MAX_PANDOC_INPUT,
    () =>
      new CliError(
        `the Pandoc document on stdin is more than ${MAX_PANDOC_INPUT / 1024 / 1024} MiB of JSON, the most wiregram-pandoc reads`,
        'split the document (pandoc can combine the converted parts), or draw its diagrams with `wiregram render` and include the files',
        EXIT_INPUT,
        'input-too-large',
      ),
  );
}

/**
 * The AST's nodes in document order, each handed to `visit`, which returns what of it to walk into (or
 * undefined). An explicit stack, not recursion: the AST is input, and its nesting is not ours to bound.
 */
function walkAst(root: unknown, visit: (node: AstNode) => unknown): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    const inner = visit(v as AstNode);
    if (inner !== undefined) stack.push(inner);
  }
}

/** Every diagram code block, anywhere (lists, quotes, divs, columns), in document order. */
function collect(root: unknown, out: Found[], seen: Map<string, number>): void {
  walkAst(root, (n) => {
    if (n.t !== 'CodeBlock' || !Array.isArray(n.c)) return n.c;
    const [attr, text] = n.c as [Attr, string];
    const language = LANGUAGES.find((l) => attr?.[1]?.includes(l));
    if (language && typeof text === 'string') {
      const occurrence = seen.get(text) ?? 0;
      seen.set(text, occurrence + 1);
      out.push({ node: n, language, attr, text, occurrence });
    }
    return undefined;
  });
}

/** Pandoc metadata value → plain text (MetaString, MetaInlines of Str/Space, MetaBool). */
function metaText(v: unknown): string | undefined {
  const m = v as { t?: string; c?: unknown } | undefined;
  if (!m || typeof m !== 'object') return undefined;
  if (m.t === 'MetaString') return String(m.c);
  if (m.t === 'MetaBool') return String(m.c);
  if (m.t === 'MetaInlines' || m.t === 'MetaBlocks') return inlineText(m.c);
  return undefined;
}

function inlineText(root: unknown): string {
  let text = '';
  walkAst(root, (n) => {
    if (n.t === 'Str') text += String(n.c);
    else if (n.t === 'Space' || n.t === 'SoftBreak') text += ' ';
    else if (n.t === 'Para' || n.t === 'Plain') return n.c;
    return undefined;
  });
  return text;
}

/**
 * The filter's settings: `--dir`, `--theme`, `--scale` (when run by hand), else the document's metadata
 *   wiregram: { dir: figures, theme: light, scale: 3, max-pixels: 16000000, style: lifeline, label-style: flags }
 * (fence attributes win for their block).
 */
function settingsOf(args: ParsedArgs, meta: Record<string, unknown>, io: Io): Settings {
  const map = (meta['wiregram'] as { t?: string; c?: Record<string, unknown> } | undefined)?.t === 'MetaMap' ? ((meta['wiregram'] as { c: Record<string, unknown> }).c ?? {}) : {};
  const get = (key: string) => {
    const v = args.values[key];
    return typeof v === 'string' ? v : metaText(map[key]);
  };
  const dir = resolve(io.cwd, get('dir') ?? 'wiregram-figures');
  const theme = get('theme');
  if (theme !== undefined && theme !== 'auto' && theme !== 'light' && theme !== 'dark') throw new UsageError(`wiregram theme '${theme}': expected auto, light or dark`, null, 'pandoc');
  const scaleText = get('scale');
  const scale = scaleText === undefined ? undefined : Number(scaleText);
  if (scale !== undefined && !(scale > 0 && scale <= 16)) throw new UsageError(`wiregram scale '${scaleText}': expected a number above 0 and at most 16`, null, 'pandoc');
  const maxText = get('max-pixels');
  const maxPixels = maxText === undefined ? undefined : Number(maxText);
  if (maxPixels !== undefined && !(Number.isInteger(maxPixels) && maxPixels > 0)) throw new UsageError(`wiregram max-pixels '${maxText}': expected a whole number above 0`, null, 'pandoc');
  const options: Record<string, string> = {};
  for (const [key, name] of [['style', 'style'], ['label-style', 'labelStyle'], ['state-names', 'stateNames'], ['numbering', 'numbering']] as const) {
    const v = metaText(map[key]);
    if (v !== undefined) options[name] = v;
  }
  return { dir, theme: theme as Settings['theme'], scale, maxPixels, options, drawing: new Map() };
}

/** The block's attributes as a fence meta string (`title="…" style=lifeline`), read by the fence grammar. */
function metaString(attr: Attr): string {
  const kvs = attr?.[2] ?? [];
  return kvs
    .filter(([k]) => k !== 'data-pos')
    .map(([k, v]) => `${k}="${v.replace(/["\\]/g, '')}"`)
    .join(' ');
}

interface Drawn {
  node: AstNode;
  warnings: Array<{ reason: string; code: string; position?: Position | null }>;
  /** A PNG being drawn: settles when its file is written. */
  written?: Promise<void>;
}

async function draw(kind: Kind, f: Found, options: Record<string, unknown>, settings: Settings, caption: string | null, cwd: string): Promise<Drawn> {
  const theme = options['theme'] === 'dark' ? 'dark' : 'light';
  // Always the SVG render: it checks the block and gives the title and warnings; for a PNG it is the picture's
  // own SVG (one theme, colours resolved), drawn once.
  const r = (await loadSvg()).render(f.text, kind === 'png' ? { ...options, theme, styles: 'resolved' } : options);
  if (kind === 'svg') {
    const figcaption = caption ? `<figcaption>${caption.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</figcaption>` : '';
    return { node: { t: 'RawBlock', c: ['html', `<figure class="wiregram">${r.svg}${figcaption}</figure>`] }, warnings: r.warnings };
  }
  const key = createHash('sha256').update(JSON.stringify([kind, settings.scale ?? null, { ...options, theme }, f.text])).digest('hex').slice(0, 20);
  const file = join(settings.dir, `wg-${key}.${kind}`);
  const write = (bytes: Uint8Array) => {
    mkdirSync(settings.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  };
  // Named by what it is drawn from: an existing file is this picture already (written whole, by rename).
  let written = settings.drawing.get(file);
  if (!written && !existsSync(file)) {
    if (kind === 'pdf') write((await loadPdf()).renderPdf(f.text, { ...options, theme, pageSize: 'fit' }));
    else {
      const size = { ...(settings.scale !== undefined ? { scale: settings.scale } : {}), ...(settings.maxPixels !== undefined ? { maxPixels: settings.maxPixels } : {}) };
      written = (await loadPng()).svgToPngAsync(r.svg, size).then((p) => write(p.png));
      settings.drawing.set(file, written);
    }
  }
  const rel = relative(cwd, file);
  const target = isAbsolute(rel) || rel.startsWith('..') ? file : rel.split('\\').join('/');
  const title = caption ?? r.title;
  const alt = title ? [{ t: 'Str', c: title }] : [];
  return { node: { t: 'Para', c: [{ t: 'Image', c: [['', ['wiregram'], []], alt, [target, '']] }] }, warnings: r.warnings, ...(written ? { written } : {}) };
}

/**
 * The Markdown files pandoc is reading. JSON filters are not told (only Lua filters see PANDOC_STATE), so they
 * come from `WIREGRAM_PANDOC_INPUT` if set, else from the parent process's command line (Linux /proc): every
 * argument that names an existing file and is not the value of an option that takes one.
 */
function inputFiles(io: Io): string[] {
  const fromEnv = io.env['WIREGRAM_PANDOC_INPUT'];
  if (fromEnv) return fromEnv.split(/[:;]/).filter(Boolean).map((p) => resolve(io.cwd, p));
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').slice(1);
  } catch {
    return [];
  }
  const takesValue = /^(-[otfrFLdcHBAM]|--(output|to|from|write|read|filter|lua-filter|defaults|css|include-in-header|include-before-body|include-after-body|metadata|metadata-file|template|reference-doc|bibliography|csl|resource-path|data-dir|extract-media|log|syntax-definition|highlight-style|abbreviations|variable|epub-cover-image|epub-metadata|epub-embed-font|pdf-engine|pdf-engine-opt|citation-abbreviations|request-header|default-image-extension|shift-heading-level-by|tab-stop|columns|dpi|wrap|toc-depth|slide-level|number-offset|top-level-division|email-obfuscation|id-prefix|title-prefix|indented-code-classes|reference-location|eol|ipynb-output|markdown-headings|track-changes|html-q-tags|webtex|mathjax|katex|gladtex|mathml))$/;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      if (!a.includes('=') && takesValue.test(a)) i++;
      continue;
    }
    const p = resolve(io.cwd, a);
    try {
      if (statSync(p).isFile()) out.push(p);
    } catch {
      // not a file: pandoc's business
    }
  }
  return out;
}

/** `file:line:col` of a block-relative position (null: the block's first line) in the input files. */
function locate(f: Found, position: Position | null, inputs: string[], cwd: string, core: typeof import('@wiregram/core')): string {
  const pos = f.attr?.[2]?.find(([k]) => k === 'data-pos')?.[1];
  // commonmark_x+sourcepos: `file.md@12:1-16:4` (or `12:1-16:4` from stdin), the fence's own line.
  const m = pos ? /^(?:(.*)@)?(\d+):(\d+)-/.exec(pos) : null;
  let file: string | null = m?.[1] ?? null;
  let contentLine: number | null = m ? Number(m[2]) + 1 : null;
  let text = '';
  if (file) {
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch {
      text = '';
    }
  } else if (contentLine === null || inputs.length === 1) {
    for (const path of inputs) {
      let disk: string;
      try {
        disk = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const line = blockLine(disk, f.text, f.occurrence);
      if (line !== null) {
        file = relative(cwd, path) || path;
        contentLine = line;
        text = disk;
        break;
      }
    }
  }
  const shown = file ?? '<input>';
  if (contentLine === null) return `${shown}: ${f.language} block ${f.occurrence + 1}`;
  if (!position) return `${shown}:${contentLine - 1}:1`;
  const mapped = text ? core.mapBlockPosition(position, { text, contentLine, value: f.text }) : null;
  const at = mapped?.start ?? { line: contentLine + position.start.line - 1, column: position.start.column };
  return `${shown}:${at.line}:${at.column}`;
}

/** The line (1-based) where the `occurrence`-th copy of `body` starts in `disk`, or null. */
function blockLine(disk: string, body: string, occurrence: number): number | null {
  const d = disk.replace(/\r\n?/g, '\n');
  // A block inside a list or quote is indented in the file: match by its first line when the whole does not.
  for (const needle of [body, body.split('\n')[0] ?? '']) {
    if (!needle.trim()) continue;
    let at = -1;
    for (let k = 0; k <= occurrence; k++) {
      at = d.indexOf(needle, at + 1);
      if (at === -1) break;
    }
    if (at !== -1) return d.slice(0, at).split('\n').length;
  }
  return null;
}
