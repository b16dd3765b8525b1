/** Shared by render, deck and check: inputs → files → diagram units, and the per-unit renderer options. */
import { resolve } from 'node:path';
import type { ParsedArgs } from './args.js';
import { checkMeta, type DiagramOptions, type CoreApi, metaOptions } from './engine.js';
import { fileLineStarts, type InputFile, type InputKind, loadInput, readStdin, resolveInputs, type Unit, unitsOf } from './inputs.js';
import type { Io } from './main.js';
import { makeReadFile } from './project.js';
import { painter, type Problem, wantColor, formatText, type CodeFrame } from './report.js';

export interface Collected {
  inputs: InputFile[];
  units: Unit[];
}

export interface CollectOptions {
  exclude?: string[];
  /** stdin already read (watch mode reads it never; others once). */
  stdinText?: string | null;
}

export async function collect(args: ParsedArgs, io: Io, options: CollectOptions = {}): Promise<Collected> {
  const lang = args.values['lang'] as InputKind | undefined;
  const resolved = resolveInputs(args.positionals, { cwd: io.cwd, lang, exclude: options.exclude ?? [] });
  let stdinText = options.stdinText ?? null;
  if (resolved.some((r) => r.path === null) && stdinText === null) stdinText = await readStdin(io.stdin);
  const inputs = resolved.map((r) => loadInput(r, r.path === null ? stdinText : null, lang));
  return { inputs, units: inputs.flatMap(unitsOf) };
}

/** Command-line diagram options; a fence's own `style=…` etc. win for that block. */
export function unitOptions(unit: Unit, args: ParsedArgs, core: CoreApi | null, io: Io): DiagramOptions {
  const v = args.values;
  const o: DiagramOptions = { language: unit.lang };
  if (typeof v['style'] === 'string') o.style = v['style'];
  if (typeof v['label-style'] === 'string') o.labelStyle = v['label-style'];
  if (typeof v['state-names'] === 'string') o.stateNames = v['state-names'];
  if (typeof v['numbering'] === 'string') o.numbering = v['numbering'];
  if (typeof v['theme'] === 'string') o.theme = v['theme'];
  if (unit.block) Object.assign(o, metaOptions(unit.block.meta));
  if (core) {
    const root = resolve(io.cwd, typeof v['root'] === 'string' ? v['root'] : '.');
    o.readFile = makeReadFile(core, root, unit.input.path, io.cwd);
  }
  return o;
}

/** Problems with a fence's own options (`style=bogus`), positioned on the option in the opening fence line. */
export function metaProblems(unit: Unit): Problem[] {
  const block = unit.block;
  if (!block || !block.meta) return [];
  const line = block.openLine;
  const lineStart = fileLineStarts(unit.input)[line - 1] ?? 0;
  const lineText = unit.input.text.slice(lineStart, block.endOffset).split(/\r\n|\r|\n/, 1)[0] ?? '';
  const metaAt = lineText.indexOf(block.meta, block.openerPrefix.length);
  return checkMeta(block.meta).map((f) => {
    const column = (metaAt < 0 ? block.openerPrefix.length : metaAt + f.index) + 1;
    return {
      file: unit.input.display,
      source: unit.input.text,
      severity: f.severity,
      code: f.severity === 'error' ? 'invalid-block-option' : 'unknown-block-option',
      reason: f.reason,
      position: { start: { line, column, offset: lineStart + column - 1 }, end: { line, column: column + f.length, offset: lineStart + column - 1 + f.length } },
      expected: f.expected,
      hint: null,
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
  io.stderr.write(`${text}\n\n${c.red(`${errors.length} error${errors.length === 1 ? '' : 's'}`)} in ${files} file${files === 1 ? '' : 's'}; nothing was written\n`);
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
    const line = `[${done}/${this.total}] ${label}`;
    this.io.stderr.write(`\r\u001b[K${line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line}`);
    this.shown = true;
  }
  done(): void {
    if (this.shown) this.io.stderr.write('\r\u001b[K');
    this.shown = false;
  }
}
