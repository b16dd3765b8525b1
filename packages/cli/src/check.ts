/**
 * `wiregram check`: compile every block of every input and list every problem — not just the first — in a
 * form people (code frames), editors (compact), scripts (json) or GitHub (annotations) read. Writes nothing.
 */
import { type ParsedArgs, UsageError } from './args.js';
import { yielder } from './lifecycle.js';
import type { RunContext, RunResult } from './run.js';
import { collect, compileUnit, metaProblems, prepareHost, unitOptions } from './collect.js';
import { loadCore, loadLayout } from './engine.js';
import type { Io } from './io.js';
import { type ErrorFormat, escapeTerminal, formatCompact, formatGithub, formatText, painter, plural, type Problem, problemFromError, problemJson, safeJson, wantColor } from './report.js';

export async function runCheck(args: ParsedArgs, io: Io): Promise<number> {
  if (args.values['watch']) {
    if (args.positionals.includes('-')) throw new UsageError('--watch cannot read stdin (-)', null, 'check');
    const { watchLoop } = await import('./watch.js');
    return watchLoop(io, args, (ctx) => checkOnce(args, io, ctx));
  }
  return (await checkOnce(args, io, null)).code;
}

async function checkOnce(args: ParsedArgs, io: Io, ctx: RunContext | null): Promise<RunResult> {
  const format = (args.values['format'] as ErrorFormat | undefined) ?? 'text';
  const { inputs, units, missing } = await collect(args, io, { missingOk: ctx?.watching === true });
  for (const m of missing) if (args.values['quiet'] !== true) io.stderr.write(escapeTerminal(`${m}: gone (watching for it to come back)`) + '\n');
  const files = inputs.flatMap((i) => (i.path ? [i.path] : []));
  const core = await loadCore();
  const host = await prepareHost(core, units);
  // The layout runs the core and validates what the core does not see (a block's style=…, the budget): render's
  // checks, without drawing what cannot fail.
  const layout = units.length ? await loadLayout() : null;
  const problems: Problem[] = [];
  const pause = yielder();
  for (const unit of units) {
    await pause();
    const meta = metaProblems(unit, host);
    for (const m of meta) problems.push(m);
    if (meta.some((m) => m.severity === 'error')) continue;
    const options = unitOptions(unit, args, host, io);
    try {
      // render's own checks and options (see compileUnit), file access for `capture` lines included.
      for (const w of compileUnit(layout!, unit, options)) problems.push(problemFromError(unit, w, 'warning'));
    } catch (e) {
      problems.push(problemFromError(unit, e));
    }
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  // The output stream is made on first use (nodeIo): `check -q` of clean files prints nothing and makes none.
  if (format === 'json') {
    io.stdout.write(safeJson({ ok: errors === 0, files: inputs.length, diagrams: units.length, errors, warnings, problems: problems.map(problemJson) }) + '\n');
    return { code: errors ? 1 : 0, files, dirs: [] };
  }
  const quiet = args.values['quiet'] === true;
  const shown = quiet ? problems.filter((p) => p.severity === 'error') : problems;
  if (quiet && !errors) return { code: 0, files, dirs: [] };
  const out = io.stdout;
  const color = wantColor(out, io.env, args.values['color'] as boolean | undefined);
  const c = painter(color);
  if (format === 'github') {
    for (const p of shown) out.write(formatGithub(p) + '\n');
  } else if (format === 'compact') {
    for (const p of shown) out.write(formatCompact(p, color) + '\n');
  } else if (shown.length) {
    out.write(shown.map((p) => formatText(p, core.formatCodeFrame, color)).join('\n\n') + '\n\n');
  }
  if (!quiet || errors) {
    const summary = `${plural(units.length, 'diagram')} in ${plural(inputs.length, 'file')}: ${errors ? c.red(plural(errors, 'error')) : c.green('no errors')}${warnings ? `, ${c.yellow(plural(warnings, 'warning'))}` : ''}`;
    // In github/compact form stdout is for the problem lines; the summary goes to stderr.
    (format === 'text' ? out : io.stderr).write(summary + '\n');
  }
  return { code: errors ? 1 : 0, files, dirs: [] };
}
