/** Shared by render, deck and check: inputs → files → diagram units, and the per-unit renderer options. */
import type { ParsedArgs } from './args.js';
import { join, resolve as resolvePath } from 'node:path';
import type { Diagnostic, FenceMeta } from '@wiregram/core';
import { ELIDE, LABEL_STYLES, NUMBERING, STATE_NAMES, STYLES, THEMES } from './commands.js';
import { type CoreApi, type CoreNodeApi, type DiagramOptions, type LayoutApi, loadCoreNode } from './engine.js';
import { fileLineStarts, type InputFile, type InputKind, loadInput, readStdin, resolveInputs, type Unit, unitsOf } from './inputs.js';
import type { Io } from './io.js';
import { escapeTerminal, painter, plural, type Problem, wantColor, formatText, type CodeFrame } from './report.js';

export interface Collected {
  inputs: InputFile[];
  units: Unit[];
  /** Named inputs that no longer exist (only with `missingOk`), as displayed. */
  missing: string[];
}

export interface CollectOptions {
  exclude?: string[];
  /** stdin already read (watch mode reads it never; others once). */
  stdinText?: string | null;
  /** Watch mode: a named file deleted while watching is reported, not an error. */
  missingOk?: boolean;
}

export async function collect(args: ParsedArgs, io: Io, options: CollectOptions = {}): Promise<Collected> {
  const lang = args.values['lang'] as InputKind | undefined;
  const missing: string[] = [];
  const resolved = resolveInputs(args.positionals, { cwd: io.cwd, lang, exclude: options.exclude ?? [], ...(options.missingOk ? { missing } : {}) });
  let stdinText = options.stdinText ?? null;
  if (resolved.some((r) => r.path === null) && stdinText === null) stdinText = await readStdin(io.stdin);
  const inputs = resolved.map((r) => loadInput(r, r.path === null ? stdinText : null, lang));
  return { inputs, units: inputs.flatMap(unitsOf), missing };
}

/** What every command needs around the renderers: the core, each fence's options, and file access. */
export interface Host {
  core: CoreApi;
  meta(unit: Unit): FenceMeta | null;
  /** @wiregram/core/node, loaded only when some diagram mentions `capture`. */
  node: CoreNodeApi | null;
}

export async function prepareHost(core: CoreApi, units: readonly Unit[]): Promise<Host> {
  const metas = new Map<Unit, FenceMeta>();
  const node = units.some((u) => /\bcapture\b/.test(u.source)) ? await loadCoreNode().catch(() => null) : null;
  return {
    core,
    node,
    meta(unit) {
      if (!unit.block) return null;
      let m = metas.get(unit);
      if (!m) {
        m = core.parseFenceMeta(unit.block.meta);
        metas.set(unit, m);
      }
      return m;
    },
  };
}

/** An option value the argument parser has already checked against `allowed` (commands.ts), typed as such. */
export function choice<T extends string>(value: string | boolean | undefined, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A budget flag's value, already checked by the argument parser (a whole number > 0), as a number. */
export function budgetValue(value: string | boolean | undefined): number | undefined {
  return typeof value === 'string' ? Number(value) : undefined;
}

/** Command-line diagram options; a fence's own `style=…` etc. win for that block. */
export function unitOptions(unit: Unit, args: ParsedArgs, host: Host, io: Io): DiagramOptions {
  const v = args.values;
  const o: DiagramOptions = { language: unit.lang };
  const style = choice(v['style'], STYLES);
  const labelStyle = choice(v['label-style'], LABEL_STYLES);
  const stateNames = choice(v['state-names'], STATE_NAMES);
  const numbering = choice(v['numbering'], NUMBERING);
  const theme = choice(v['theme'], THEMES);
  const elide = choice(v['elide'], ELIDE);
  if (style) o.style = style;
  if (labelStyle) o.labelStyle = labelStyle;
  if (stateNames) o.stateNames = stateNames;
  if (numbering) o.numbering = numbering;
  if (theme) o.theme = theme;
  if (elide) o.elide = elide;
  if (typeof v['direction'] === 'string') o.direction = v['direction'];
  // Budgets come from the command line only: a fence's options cannot raise them.
  const maxElements = budgetValue(v['max-elements']);
  const maxTextBytes = budgetValue(v['max-text-bytes']);
  if (maxElements !== undefined) o.maxElements = maxElements;
  if (maxTextBytes !== undefined) o.maxTextBytes = maxTextBytes;
  // `steps` is for HTML slides (step groups in the SVG); in the CLI, steps are `deck --steps` pages — and the PDF
  // renderer's own `steps` option must not be switched on by a fence.
  const { steps: _slides, ...fence } = host.meta(unit)?.options ?? {};
  Object.assign(o, fence);
  if (host.node) {
    // Relative to the Markdown file (stdin: the working directory), never outside the project root.
    const root = resolvePath(io.cwd, typeof v['root'] === 'string' ? v['root'] : '.');
    o.readFile = host.node.projectFileReader(root, unit.input.path ?? join(io.cwd, '<stdin>'));
  }
  return o;
}

/**
 * Compile one unit for `check`: layout's checkSource with the very options `render` uses (`unitOptions`: the
 * fence's options and file access for `capture` lines), so `check` passes exactly what `render` draws — the
 * same parse, simulation, option and budget checks — while a Scene is built only where the budget could be at
 * stake. Returns the core's warnings; bad input throws.
 */
export function compileUnit(layout: LayoutApi, unit: Unit, options: DiagramOptions): Diagnostic[] {
  return layout.checkSource(unit.source, options).warnings;
}

/**
 * Problems with a fence's own options, positioned on the `key=value` in the opening fence line: a bad value is
 * an error (the block would otherwise be drawn other than the author asked), an unknown key a warning.
 */
export function metaProblems(unit: Unit, host: Host): Problem[] {
  const block = unit.block;
  const meta = host.meta(unit);
  if (!block || !meta || !meta.problems.length) return [];
  const line = block.openLine;
  const lineStart = fileLineStarts(unit.input)[line - 1] ?? 0;
  const lineText = unit.input.text.slice(lineStart, block.endOffset).split(/\r\n|\r|\n/, 1)[0] ?? '';
  const metaAt = lineText.indexOf(block.meta, block.openerPrefix.length);
  return meta.problems.map((f) => {
    const column = (metaAt < 0 ? block.openerPrefix.length : metaAt + f.index) + 1;
    return {
      file: unit.input.display,
      source: unit.input.text,
      severity: f.code === 'unknown-meta-option' ? 'warning' : 'error',
      code: f.code,
      reason: f.reason,
      position: { start: { line, column, offset: lineStart + column - 1 }, end: { line, column: column + f.length, offset: lineStart + column - 1 + f.length } },
      expected: f.expected,
      hint: f.hint,
      diagram: unit.n,
    };
  });
}

/** Print problems as code frames on stderr (render, deck). */
export function printProblems(problems: Problem[], io: Io, args: ParsedArgs, codeFrame: CodeFrame | null): void {
  const color = wantColor(io.stderr, io.env, args.values['color'] as boolean | undefined);
  const c = painter(color);
  const errors = problems.filter((p) => p.severity === 'error');
  const files = new Set(errors.map((p) => p.file)).size;
  const text = problems.map((p) => formatText(p, codeFrame, color)).join('\n\n');
  io.stderr.write(`${text}\n\n${c.red(plural(errors.length, 'error'))} in ${plural(files, 'file')}; nothing was written\n`);
}

/** A one-line progress indicator on stderr, only on a TTY and only when there is enough work to watch. */
export class Progress {
  private readonly on: boolean;
  private shown = false;
  constructor(
    private readonly io: Io,
    private readonly total: number,
    quiet: boolean,
  ) {
    this.on = !quiet && io.stderr.isTTY === true && total > 1 && io.env['CI'] === undefined;
  }
  tick(done: number, label: string): void {
    if (!this.on) return;
    const cols = (this.io.stderr as { columns?: number }).columns || 80;
    const line = `[${done}/${this.total}] ${escapeTerminal(label)}`;
    this.io.stderr.write(`\r\u001b[K${line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line}`);
    this.shown = true;
  }
  done(): void {
    if (this.shown) this.io.stderr.write('\r\u001b[K');
    this.shown = false;
  }
}
