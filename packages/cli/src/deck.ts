/**
 * `wiregram deck`: every diagram of every input, in order, as one multi-page PDF. Each diagram is laid out on
 * its own first (so an error names its file, line and column), then all Scenes go to `scenesToPdf` at once.
 */
import { dirname, join, resolve } from 'node:path';
import { type ParsedArgs, UsageError } from './args.js';
import { budgetValue, choice, collect, metaProblems, prepareHost, printProblems, Progress, unitOptions } from './collect.js';
import { SIZES } from './commands.js';
import { loadCore, loadLayout, loadPdf } from './engine.js';
import { canonicalPath, commitFiles, fileInPath, pathKind } from './fsutil.js';
import { displayPath, type Unit } from './inputs.js';
import { yielder } from './lifecycle.js';
import type { Io } from './io.js';
import { escapeTerminal, plural, type Problem, problemFromError } from './report.js';
import type { Scene } from '@wiregram/layout';
import type { PdfOptions } from '@wiregram/pdf';
import type { RunContext, RunResult } from './run.js';

export async function runDeck(args: ParsedArgs, io: Io): Promise<number> {
  const output = args.values['output'];
  if (typeof output !== 'string') throw new UsageError("'wiregram deck' needs -o FILE.pdf (or -o - for stdout)", null, 'deck');
  if (output === '-' && io.stdout.isTTY) throw new UsageError('refusing to write a PDF to the terminal', 'redirect stdout (> deck.pdf) or give -o deck.pdf', 'deck');
  if (args.values['watch']) {
    if (output === '-') throw new UsageError('--watch needs -o FILE, not stdout', null, 'deck');
    if (args.positionals.includes('-')) throw new UsageError('--watch cannot read stdin (-)', null, 'deck');
    const { watchLoop } = await import('./watch.js');
    return watchLoop(io, args, (ctx) => deckOnce(args, io, output, ctx));
  }
  return (await deckOnce(args, io, output, null)).code;
}

async function deckOnce(args: ParsedArgs, io: Io, output: string, ctx: RunContext | null): Promise<RunResult> {
  const dest = output === '-' ? null : resolve(io.cwd, output);
  if (dest) {
    if (pathKind(dest) === 'dir') throw new UsageError(`-o ${output} is a directory; give the PDF's file name`, `e.g. -o ${join(output, 'deck.pdf')}`, 'deck');
    const blocker = fileInPath(dirname(dest));
    if (blocker) throw new UsageError(`-o ${output}: ${displayPath(blocker, io.cwd)} is a file, not a directory`, 'give a path whose folders are folders', 'deck');
  }
  const { inputs, units, missing } = await collect(args, io, { missingOk: ctx?.watching === true });
  const files = inputs.flatMap((i) => (i.path ? [i.path] : []));
  for (const m of missing) if (args.values['quiet'] !== true) io.stderr.write(escapeTerminal(`${m}: gone (left out of the deck; watching for it to come back)`) + '\n');
  if (dest) {
    const key = canonicalPath(dest);
    const clash = inputs.find((i) => i.path && canonicalPath(i.path) === key);
    if (clash) throw new UsageError(`refusing to overwrite the input ${clash.display}`, 'choose another -o FILE', 'deck');
  }
  if (!units.length) throw new UsageError(`no tcp-sequence or packet-header blocks in ${inputs.map((i) => i.display).join(', ')}`, null, 'deck');

  const [core, layout, pdf] = await Promise.all([loadCore(), loadLayout(), loadPdf()]);
  const host = await prepareHost(core, units);
  const problems: Problem[] = [];
  const scenes: Scene[] = [];
  const progress = new Progress(io, units.length, args.values['quiet'] === true);
  const pause = yielder();
  for (const [i, unit] of units.entries()) {
    await pause();
    progress.tick(i + 1, `${unit.input.display} #${unit.n}`);
    const bad = metaProblems(unit, host).filter((m) => m.severity === 'error');
    if (bad.length) {
      for (const b of bad) problems.push(b);
      continue;
    }
    try {
      const options = unitOptions(unit, args, host, io);
      delete options.theme; // the deck has one theme, applied by the PDF renderer
      scenes.push(layout.layoutSource(unit.source, options));
    } catch (e) {
      problems.push(problemFromError(unit, e));
    }
  }
  let bytes: Uint8Array | null = null;
  if (!problems.length) {
    const pdfOptions: PdfOptions = {
      pageSize: choice(args.values['size'], SIZES) ?? '16:9',
      steps: args.values['steps'] === true,
      theme: args.values['theme'] === 'dark' ? 'dark' : 'light',
      info: { title: inputs.length === 1 ? inputs[0]!.name : 'wiregram deck' },
    };
    const maxPages = budgetValue(args.values['max-pages']);
    if (maxPages !== undefined) pdfOptions.maxPages = maxPages;
    try {
      bytes = pdf.scenesToPdf(scenes, pdfOptions);
    } catch (e) {
      problems.push(blame(e, units, scenes, (one) => pdf.scenesToPdf(one, { ...pdfOptions, steps: false })));
    }
  }
  progress.done();
  if (problems.length || !bytes) {
    printProblems(problems, io, args, core.formatCodeFrame);
    return { code: 1, files, dirs: [] };
  }
  if (dest === null) io.stdout.write(Buffer.from(bytes));
  else {
    const [result] = commitFiles([{ path: dest, data: bytes }], (p) => displayPath(p, io.cwd)).results;
    if (args.values['quiet'] !== true) {
      io.stderr.write(`${plural(units.length, 'diagram')} from ${plural(inputs.length, 'file')} → ${displayPath(dest, io.cwd)}${result === 'unchanged' ? ' (unchanged)' : ''}\n`);
    }
  }
  return { code: 0, files, dirs: [] };
}

/**
 * A failure of the whole deck (a glyph the font lacks, a page that cannot be set up) belongs to one diagram:
 * find it by drawing each page alone (only on this error path); problemFromError then points at the first use
 * of a missing character in that diagram — its file, line and column, not the first input's.
 */
function blame(e: unknown, units: readonly Unit[], scenes: readonly Scene[], drawOne: (scenes: Scene[]) => unknown): Problem {
  const code = (e as { code?: unknown })?.code;
  for (const [i, scene] of scenes.entries()) {
    try {
      drawOne([scene]);
    } catch (one) {
      if ((one as { code?: unknown })?.code !== code) continue;
      return problemFromError(units[i]!, one);
    }
  }
  // Not tied to one diagram: report it against the first input, without a position.
  return { ...problemFromError(units[0]!, e), position: null, source: null, diagram: null };
}
