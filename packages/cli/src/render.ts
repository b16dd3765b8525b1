/**
 * `wiregram render`: every diagram → an SVG or PDF file (or stdout), optionally the Markdown rewritten with
 * links to them or with the SVG inline. Three phases, so an error anywhere leaves the disk untouched:
 * plan every output path (refusing collisions and inputs), render everything in memory, then write.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { type ParsedArgs, UsageError } from './args.js';
import { budgetValue, collect, type Host, metaProblems, prepareHost, printProblems, Progress, unitOptions } from './collect.js';
import { BUDGET_DEFAULTS } from './commands.js';
import { type CoreApi, loadCore, loadPdf, loadPng, loadSvg } from './engine.js';
import { canonicalPath, commitFiles, fileInPath, type FileWrite, pathKind } from './fsutil.js';
import { displayPath, type InputFile, type Unit } from './inputs.js';
import { yielder } from './lifecycle.js';
import type { Io } from './io.js';
import { manifestDirsUnder, type OutputKind, planManifests, type ProducedOutput } from './manifest.js';
import { escapeTerminal, formatCompact, plural, type Problem, problemFromError, wantColor } from './report.js';
import type { RunContext, RunResult } from './run.js';

type Format = 'svg' | 'pdf' | 'png';

interface Planned {
  unit: Unit;
  /** Absolute file path, 'stdout', or null when the image is only inlined into Markdown. */
  dest: string | null;
  rendered?: string | Uint8Array;
  /** The diagram's accessible name, for alt text. */
  title?: string;
}

interface Output {
  dest: string; // absolute path or 'stdout'
  data: string | Uint8Array;
  input: InputFile;
  block: number | null;
  kind: OutputKind;
}

export async function runRender(args: ParsedArgs, io: Io): Promise<number> {
  const v = args.values;
  if (v['embed'] !== undefined && v['markdown-out'] === undefined) throw new UsageError('--embed only applies with --markdown-out DIR', null, 'render');
  if (v['embed'] === 'inline' && (v['format'] === 'pdf' || v['format'] === 'png')) throw new UsageError(`--embed inline needs SVG (${String(v['format']).toUpperCase()} cannot be inlined into Markdown)`, `drop --format ${String(v['format'])}, or use --embed link`, 'render');
  if (v['styles'] === 'resolved' && v['format'] !== undefined && v['format'] !== 'svg') throw new UsageError('--styles only applies to SVG', 'drop --styles (PDF and PNG carry their colours already)', 'render');
  if (v['styles'] === 'resolved' && v['embed'] === 'inline') throw new UsageError('--styles resolved writes files for other programs; inline SVG follows the page', 'drop --styles, or use --embed link', 'render');
  if ((v['scale'] !== undefined || v['dpi'] !== undefined) && v['format'] !== 'png') throw new UsageError(`--${v['scale'] !== undefined ? 'scale' : 'dpi'} only applies with --format png`, 'add -f png', 'render');
  if (v['scale'] !== undefined && v['dpi'] !== undefined) throw new UsageError('give --scale or --dpi, not both', '--scale 2 is --dpi 192', 'render');
  if (v['watch']) {
    if (args.positionals.includes('-')) throw new UsageError('--watch cannot read stdin (-)', 'give file names or globs', 'render');
    // Loaded only here: the watcher (chokidar) costs start-up time no other use of the command should pay.
    const { watchLoop } = await import('./watch.js');
    return watchLoop(io, args, (ctx) => renderOnce(args, io, ctx));
  }
  return (await renderOnce(args, io, { clean: v['clean'] === true, watching: false, previousDirs: [] })).code;
}

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** A Markdown link destination: relative, `/`-separated, with spaces and parentheses escaped. */
function linkTarget(fromDir: string, file: string): string {
  return relative(fromDir, file)
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg).replace(/%40/g, '@'))
    .join('/');
}

function escapeAlt(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&').replace(/\s+/g, ' ');
}

export async function renderOnce(args: ParsedArgs, io: Io, ctx: RunContext): Promise<RunResult> {
  const v = args.values;
  const cwd = io.cwd;
  const format: Format = v['format'] === 'pdf' ? 'pdf' : v['format'] === 'png' ? 'png' : 'svg';
  const pngSize = format === 'png' ? pngSizeOf(v) : null;
  const outDir = typeof v['out-dir'] === 'string' ? resolve(cwd, v['out-dir']) : null;
  const mdOutArg = typeof v['markdown-out'] === 'string' ? v['markdown-out'] : null;
  const mdOut = mdOutArg === null ? null : mdOutArg === '-' ? 'stdout' : resolve(cwd, mdOutArg);
  const embed = v['embed'] === 'inline' ? 'inline' : 'link';
  const quiet = v['quiet'] === true;

  for (const [flag, dir] of [['-o', outDir], ['--markdown-out', mdOut === 'stdout' ? null : mdOut]] as const) {
    if (!dir) continue;
    if (pathKind(dir) === 'file') throw new UsageError(`${flag} ${displayPath(dir, cwd)} is a file, not a directory`, 'give a directory (it is created if missing)', 'render');
    const blocker = fileInPath(dir);
    if (blocker) throw new UsageError(`${flag} ${displayPath(dir, cwd)}: ${displayPath(blocker, cwd)} is a file, not a directory`, 'give a directory whose path has no file in it', 'render');
  }
  const { inputs, units, missing } = await collect(args, io, { exclude: mdOut && mdOut !== 'stdout' ? [mdOut] : [], missingOk: ctx.watching });
  const files = inputs.flatMap((i) => (i.path ? [i.path] : []));
  for (const m of missing) if (!v['quiet']) io.stderr.write(escapeTerminal(`${m}: gone (its outputs are removed; watching for it to come back)`) + '\n');

  // ---- plan: every output path is known (and checked) before anything is rendered
  const inlineOnly = mdOut !== null && embed === 'inline' && outDir === null;
  const planned: Planned[] = units.map((unit) => {
    const input = unit.input;
    if (inlineOnly && input.kind === 'markdown') return { unit, dest: null };
    if (input.path === null && outDir === null) return { unit, dest: 'stdout' };
    const dir = outDir ?? dirname(input.path!);
    const name = input.kind === 'markdown' ? `${input.name}-${unit.n}` : input.name;
    return { unit, dest: join(dir, `${name}.${format}`) };
  });
  const toStdout = planned.filter((p) => p.dest === 'stdout');
  if (toStdout.length && mdOut !== null && toStdout[0]!.unit.input.kind === 'markdown') {
    throw new UsageError('--markdown-out with image links needs somewhere to put the images', 'give -o DIR, or use --embed inline', 'render');
  }
  if (toStdout.length > 1) {
    throw new UsageError(
      `stdin holds ${toStdout.length} diagrams, and stdout can take only one`,
      'write them as files with -o DIR, or get the Markdown back with --markdown-out - --embed inline',
      'render',
    );
  }
  if (toStdout.length && mdOut === 'stdout') throw new UsageError('both the diagram and the Markdown would go to stdout', 'give -o DIR for the images', 'render');
  if (toStdout.length && format !== 'svg' && io.stdout.isTTY) throw new UsageError(`refusing to write a ${format.toUpperCase()} to the terminal`, `redirect stdout (> out.${format}) or use -o DIR`, 'render');
  const markdownInputs = inputs.filter((i) => i.kind === 'markdown');
  if (mdOut === 'stdout' && markdownInputs.length !== 1) {
    throw new UsageError(`--markdown-out - writes one document to stdout, but there are ${markdownInputs.length} Markdown inputs`, 'give a directory: --markdown-out DIR', 'render');
  }
  const mdDest = new Map<InputFile, string>();
  if (mdOut !== null) {
    for (const input of markdownInputs) {
      mdDest.set(input, mdOut === 'stdout' ? 'stdout' : join(mdOut, input.path ? input.path.slice(dirname(input.path).length + 1) : 'stdin.md'));
    }
  }
  checkCollisions(
    [...planned.flatMap((p) => (p.dest && p.dest !== 'stdout' ? [{ dest: p.dest, from: p.unit.input.display }] : [])), ...[...mdDest].filter(([, d]) => d !== 'stdout').map(([i, d]) => ({ dest: d, from: i.display }))],
    inputs,
    cwd,
  );

  // ---- render, in memory
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const core = await loadCore();
  const host = await prepareHost(core, units);
  const progress = new Progress(io, new Set(units.map((u) => u.input)).size, quiet);
  if (units.length) {
    const svg = format === 'svg' ? await loadSvg() : null;
    const pdf = format === 'pdf' ? await loadPdf() : null;
    const png = format === 'png' ? await loadPng() : null;
    let lastInput: InputFile | null = null;
    let done = 0;
    const pause = yielder();
    const pages = new PageBudget(core, budgetValue(v['max-page-bytes']) ?? BUDGET_DEFAULTS.maxPageBytes, format);
    for (const p of planned) {
      await pause();
      if (p.unit.input !== lastInput) {
        lastInput = p.unit.input;
        progress.tick(++done, p.unit.input.display);
      }
      if (pages.over(p.unit.input)) continue;
      const bad = metaProblems(p.unit, host).filter((m) => m.severity === 'error');
      if (bad.length) {
        for (const b of bad) problems.push(b);
        continue;
      }
      const options = unitOptions(p.unit, args, host, io);
      try {
        if (svg) {
          // Inlined diagrams share a page: give their ids a readable per-document prefix.
          const idPrefix = mdOut !== null && embed === 'inline' && p.unit.block ? `wg-${slug(p.unit.input.name) || 'doc'}-${p.unit.n}-` : undefined;
          const o = { ...options, ...(idPrefix ? { idPrefix } : {}), ...(v['styles'] === 'resolved' ? { styles: 'resolved' as const } : {}) };
          const result = svg.render(p.unit.source, o);
          p.rendered = result.svg;
          p.title = result.title;
          for (const w of result.warnings) warnings.push(problemFromError(p.unit, w, 'warning'));
        } else if (png) {
          const result = png.renderPng(p.unit.source, { ...options, ...pngSize, theme: options.theme === 'dark' ? 'dark' : 'light' });
          p.rendered = result.png;
          p.title = result.title;
          for (const w of result.warnings) warnings.push(problemFromError(p.unit, w, 'warning'));
        } else {
          const theme = options.theme === 'dark' ? 'dark' : 'light';
          p.rendered = pdf!.renderPdf(p.unit.source, { ...options, theme, pageSize: 'fit' });
        }
        const over = pages.add(p.unit, p.rendered);
        if (over) problems.push(problemFromError(p.unit, over));
      } catch (e) {
        problems.push(problemFromError(p.unit, e));
      }
    }
  }
  progress.done();
  if (problems.length) {
    printProblems(problems, io, args, core.formatCodeFrame);
    return { code: 1, files, dirs: [] };
  }

  // Warnings (an override drawn as written, …) do not stop anything; one line each, like `check --format compact`.
  if (warnings.length && !quiet) {
    const color = wantColor(io.stderr, io.env, v['color'] as boolean | undefined);
    io.stderr.write(warnings.map((w) => formatCompact(w, color)).join('\n') + '\n');
  }

  // ---- assemble outputs
  const outputs: Output[] = [];
  for (const p of planned) if (p.dest && p.rendered !== undefined) outputs.push({ dest: p.dest, data: p.rendered, input: p.unit.input, block: p.unit.block ? p.unit.n : null, kind: format });
  for (const [input, dest] of mdDest) {
    const fromDir = dest === 'stdout' ? (input.path ? dirname(input.path) : cwd) : dirname(dest);
    outputs.push({ dest, data: rewriteMarkdown(input, planned.filter((p) => p.unit.input === input), embed, fromDir, host), input, block: null, kind: 'markdown' });
  }

  // ---- manifests: what this run wrote where, and (with --clean / --watch) what is stale
  const show = (abs: string) => displayPath(abs, cwd);
  const toFiles = outputs.filter((o) => o.dest !== 'stdout' && o.input.path !== null);
  const produced: ProducedOutput[] = toFiles.map((o) => ({ path: o.dest, data: o.data, input: o.input.path!, block: o.block, kind: o.kind }));
  const kinds = new Map<string, Set<OutputKind>>();
  for (const input of inputs) {
    if (!input.path) continue;
    // Watching, an empty file is nearly always a save in progress (truncated, not yet written): keep its outputs.
    if (ctx.watching && input.text === '') continue;
    const k = new Set<OutputKind>();
    if (!(inlineOnly && input.kind === 'markdown')) k.add(format);
    if (mdOut !== null && mdOut !== 'stdout' && input.kind === 'markdown') k.add('markdown');
    kinds.set(input.path, k);
  }
  const dirs = new Set<string>([...ctx.previousDirs, ...inputs.flatMap((i) => (i.path ? [dirname(i.path)] : []))]);
  if (outDir) dirs.add(outDir);
  if (mdOut && mdOut !== 'stdout') dirs.add(mdOut);
  // A one-shot --clean without -o: outputs of deleted inputs sit in directories no current input is in.
  if (ctx.clean && !ctx.watching && !outDir) for (const p of args.positionals) if (p !== '-' && pathKind(resolve(cwd, p)) === 'dir') manifestDirsUnder(resolve(cwd, p)).forEach((d) => dirs.add(d));
  const manifests = planManifests(produced, kinds, dirs, ctx.clean);

  // ---- write: all files of the run, or none
  const writes: FileWrite[] = outputs.filter((o) => o.dest !== 'stdout').map((o) => ({ path: o.dest, data: o.data }));
  const commit = commitFiles([...writes, ...manifests.writes], show, manifests.remove);
  for (const o of outputs) if (o.dest === 'stdout') io.stdout.write(typeof o.data === 'string' ? o.data : Buffer.from(o.data));

  const report = new Map<InputFile, { written: string[]; unchanged: number }>();
  let written = 0;
  let unchanged = 0;
  outputs
    .filter((o) => o.dest !== 'stdout')
    .forEach((o, i) => {
      const r = report.get(o.input) ?? { written: [], unchanged: 0 };
      if (commit.results[i] === 'written') {
        written++;
        r.written.push(show(o.dest));
      } else {
        unchanged++;
        r.unchanged++;
      }
      report.set(o.input, r);
    });
  const removedStale = manifests.stale.filter((s) => commit.removed.includes(s.path));
  const removedBy = new Map<string, string[]>();
  for (const s of removedStale) removedBy.set(s.input, [...(removedBy.get(s.input) ?? []), show(s.path)]);
  const notes: string[] = [];
  for (const k of manifests.kept) notes.push(`${show(k)}: changed since wiregram wrote it; left in place`);
  for (const f of commit.notRemoved) notes.push(`${show(f.path)}: stale, but could not be removed (${f.error.code ?? f.error.message})`);
  if (!quiet) {
    // One line per input file; in watch mode only the inputs whose outputs changed.
    const lines: string[] = [];
    for (const input of inputs) {
      const count = units.filter((u) => u.input === input).length;
      const r = report.get(input);
      const removed = input.path ? removedBy.get(input.path) ?? [] : [];
      if (input.path) removedBy.delete(input.path);
      if (!count && input.kind === 'markdown' && !ctx.watching) lines.push(`${input.display}: no tcp-sequence or packet-header blocks`);
      const parts: string[] = [];
      if (r?.written.length) parts.push(r.written.join(', '));
      if (removed.length) parts.push(`removed ${removed.join(', ')}`);
      if (r?.unchanged && !(ctx.watching && parts.length === 0)) parts.push(`${r.unchanged} unchanged`);
      if (parts.length) lines.push(r?.written.length || removed.length ? `${input.display} → ${parts.join('; ')}` : `${input.display}: ${plural(r!.unchanged, 'output')} unchanged`);
    }
    for (const [input, removed] of removedBy) lines.push(`${show(input)} (gone) → removed ${removed.join(', ')}`);
    if (inputs.length > 1 || removedStale.length) {
      lines.push(`${plural(units.length, 'diagram')} from ${plural(inputs.length, 'file')}: ${written} written, ${unchanged} unchanged${removedStale.length ? `, ${removedStale.length} removed` : ''}`);
    }
    for (const n of notes) lines.push(n);
    if (lines.length) io.stderr.write(lines.map(escapeTerminal).join('\n') + '\n');
  } else if (notes.length) io.stderr.write(notes.map(escapeTerminal).join('\n') + '\n');
  return { code: 0, files, dirs: [...dirs] };
}

/**
 * The page budget (`--max-page-bytes`, the Markdown hosts' maxPageBytes): the images of one input file add up to
 * at most so many bytes. Everything is rendered in memory before anything is written, so without it a document
 * of many large diagrams could exhaust memory; past it, the diagram that crossed it is the error and the file's
 * later diagrams are not drawn.
 */
class PageBudget {
  private readonly used = new Map<InputFile, number>();
  private readonly full = new Set<InputFile>();
  constructor(
    private readonly core: CoreApi,
    private readonly max: number,
    private readonly format: Format,
  ) {}

  over(input: InputFile): boolean {
    return this.full.has(input);
  }

  /** Count one diagram's image; returns the error when the file's images now exceed the budget. */
  add(unit: Unit, image: string | Uint8Array | undefined): Error | null {
    const bytes = image === undefined ? 0 : typeof image === 'string' ? Buffer.byteLength(image) : image.length;
    const total = (this.used.get(unit.input) ?? 0) + bytes;
    this.used.set(unit.input, total);
    if (total <= this.max) return null;
    this.full.add(unit.input);
    const n = (x: number) => x.toLocaleString('en-US');
    const what = this.format.toUpperCase();
    return new this.core.BudgetError({
      reason: `the diagrams of this file add up to more than ${n(this.max)} bytes of ${what} (maxPageBytes); diagram ${unit.n} brings them to ${n(total)}`,
      expected: `at most ${n(this.max)} bytes of ${what} from one input file`,
      option: 'maxPageBytes',
      limit: this.max,
      advice: 'split the file, draw smaller diagrams',
    });
  }
}

/** Two outputs on one path, or an output on an input, is a usage error found before any work is done. */
function checkCollisions(outputs: Array<{ dest: string; from: string }>, inputs: InputFile[], cwd: string): void {
  const inputPaths = new Map<string, InputFile>();
  for (const i of inputs) if (i.path) inputPaths.set(canonicalPath(i.path), i);
  const seen = new Map<string, string>();
  for (const o of outputs) {
    const key = canonicalPath(o.dest);
    const input = inputPaths.get(key);
    if (input) {
      throw new UsageError(`refusing to overwrite the input ${input.display} (an output of ${o.from} would land on it)`, 'choose another output directory (-o DIR / --markdown-out DIR)', 'render');
    }
    const other = seen.get(key);
    if (other !== undefined && other !== o.from) {
      throw new UsageError(`${other} and ${o.from} would both write ${displayPath(o.dest, cwd)}`, 'render them into different directories, or rename one', 'render');
    }
    seen.set(key, o.from);
  }
}

/** The Markdown with each diagram fence replaced by an image link or the inline SVG, in the fence's own container. */
function rewriteMarkdown(input: InputFile, planned: Planned[], embed: 'link' | 'inline', fromDir: string, host: Host): string {
  const text = input.text;
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  let out = '';
  let at = 0;
  for (const p of planned) {
    const block = p.unit.block!;
    out += text.slice(at, block.startOffset);
    const svgText = typeof p.rendered === 'string' ? p.rendered : null;
    let lines: string[];
    if (embed === 'inline' && svgText) {
      // An HTML block ends at a blank line, so the SVG must not contain one.
      const body = svgText.split(/\r?\n/).filter((l) => l.trim() !== '');
      lines = ['<figure class="wiregram">', ...body, '</figure>'];
    } else {
      const alt = host.meta(p.unit)?.caption || p.title || `${p.unit.lang} diagram ${p.unit.n}`;
      // An image for SVG and PNG; a PDF cannot be an <img>, so it becomes a plain link.
      const bang = p.dest!.endsWith('.pdf') ? '' : '!';
      lines = [`${bang}[${escapeAlt(alt)}](${linkTarget(fromDir, p.dest!)})`];
    }
    out += lines.map((l, i) => (i === 0 ? block.openerPrefix : block.continuationPrefix) + l).join(eol);
    at = block.endOffset;
  }
  return out + text.slice(at);
}

/** `--scale` / `--dpi` as renderPng's options (the numbers are checked again, with their ranges, by @wiregram/png). */
function pngSizeOf(v: ParsedArgs['values']): { scale?: number; dpi?: number; maxPixels?: number } {
  const out: { scale?: number; dpi?: number; maxPixels?: number } = {};
  for (const key of ['scale', 'dpi'] as const) {
    const raw = v[key];
    if (typeof raw !== 'string') continue;
    const n = /^[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : NaN;
    const [max, e] = key === 'scale' ? [16, '2'] : [1536, '192'];
    if (!(n > 0 && n <= max)) throw new UsageError(`invalid value '${raw}' for --${key}: expected a number above 0 and at most ${max}`, `e.g. --${key} ${e}`, 'render');
    out[key] = n;
  }
  const budget = budgetValue(v['max-pixels']);
  if (budget !== undefined) out.maxPixels = budget;
  return out;
}
