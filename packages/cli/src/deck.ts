/**
 * `wiregram deck`: every diagram of every input, in order, as one multi-page PDF. Each diagram is laid out on
 * its own first (so an error names its file, line and column), then all Scenes go to `scenesToPdf` at once.
 */
import { join, resolve } from 'node:path';
import { type ParsedArgs, UsageError } from './args.js';
import { choice, collect, metaProblems, prepareHost, printProblems, Progress, unitOptions } from './collect.js';
import { SIZES } from './commands.js';
import { loadCore, loadLayout, loadPdf } from './engine.js';
import { canonicalPath, pathKind, writeFileAtomic } from './fsutil.js';
import { displayPath } from './inputs.js';
import type { Io } from './main.js';
import { plural, type Problem, problemFromError } from './report.js';
import type { Scene } from '@wiregram/layout';
import { watchLoop, type RunResult } from './watch.js';

export async function runDeck(args: ParsedArgs, io: Io): Promise<number> {
  const output = args.values['output'];
  if (typeof output !== 'string') throw new UsageError("'wiregram deck' needs -o FILE.pdf (or -o - for stdout)", null, 'deck');
  if (output === '-' && io.stdout.isTTY) throw new UsageError('refusing to write a PDF to the terminal', 'redirect stdout (> deck.pdf) or give -o deck.pdf', 'deck');
  if (args.values['watch']) {
    if (output === '-') throw new UsageError('--watch needs -o FILE, not stdout', null, 'deck');
    if (args.positionals.includes('-')) throw new UsageError('--watch cannot read stdin (-)', null, 'deck');
    return watchLoop(io, args, () => deckOnce(args, io, output));
  }
  return (await deckOnce(args, io, output)).code;
}

async function deckOnce(args: ParsedArgs, io: Io, output: string): Promise<RunResult> {
  const { inputs, units } = await collect(args, io);
  const files = inputs.flatMap((i) => (i.path ? [i.path] : []));
  const dest = output === '-' ? null : resolve(io.cwd, output);
  if (dest) {
    if (pathKind(dest) === 'dir') throw new UsageError(`-o ${output} is a directory; give the PDF's file name`, `e.g. -o ${join(output, 'deck.pdf')}`, 'deck');
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
  units.forEach((unit, i) => {
    progress.tick(i + 1, `${unit.input.display} #${unit.n}`);
    const bad = metaProblems(unit, host).filter((m) => m.severity === 'error');
    if (bad.length) {
      problems.push(...bad);
      return;
    }
    try {
      const options = unitOptions(unit, args, host, io);
      delete options.theme; // the deck has one theme, applied by the PDF renderer
      scenes.push(layout.layoutSource(unit.source, options));
    } catch (e) {
      problems.push(problemFromError(unit, e));
    }
  });
  let bytes: Uint8Array | null = null;
  if (!problems.length) {
    try {
      bytes = pdf.scenesToPdf(scenes, {
        pageSize: choice(args.values['size'], SIZES) ?? '16:9',
        steps: args.values['steps'] === true,
        theme: args.values['theme'] === 'dark' ? 'dark' : 'light',
        info: { title: inputs.length === 1 ? inputs[0]!.name : 'wiregram deck' },
      });
    } catch (e) {
      // Not tied to one block (page set-up, fonts): report it against the first input.
      problems.push({ ...problemFromError(units[0]!, e), position: null, source: null, diagram: null });
    }
  }
  progress.done();
  if (problems.length || !bytes) {
    printProblems(problems, io, args, core.formatCodeFrame);
    return { code: 1, files };
  }
  if (dest === null) io.stdout.write(Buffer.from(bytes));
  else {
    const result = writeFileAtomic(dest, bytes);
    if (args.values['quiet'] !== true) {
      io.stderr.write(`${plural(units.length, 'diagram')} from ${plural(inputs.length, 'file')} → ${displayPath(dest, io.cwd)}${result === 'unchanged' ? ' (unchanged)' : ''}\n`);
    }
  }
  return { code: 0, files };
}
