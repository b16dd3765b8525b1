/**
 * `wiregram` entry point: dispatch, help, version and exit codes (0 ok, 1 diagram errors, 2 usage errors,
 * 3 the system refused a read or write; 130/143 after SIGINT/SIGTERM — see errors.ts and lifecycle.ts).
 * This module and what it imports statically must stay light — see bin/wiregram.cjs.
 */
import { readFileSync } from 'node:fs';
import { closest, type ParsedArgs, parseArgs, UsageError } from './args.js';
import { COMMAND_NAMES, COMMANDS, commandHelp, mainHelp } from './commands.js';
import { CliError, stdoutError } from './errors.js';
import { cleanupNow } from './lifecycle.js';
import { escapeTerminal, painter, wantColor } from './report.js';

export { installSignalHandlers } from './lifecycle.js';

import type { Io } from './io.js';

export type { Io } from './io.js';

export function nodeIo(): Io {
  // The streams are made on first use: a Node stdio stream loads ~20 stream modules (stdin, a file's ReadStream,
  // ~10 more), which a quiet command that prints nothing (`check -q`, `render -o dir -q`) never needs.
  let stdout: Io['stdout'] | undefined;
  return {
    get stdout() {
      return (stdout ??= watchStdout());
    },
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

function watchStdout(): Io['stdout'] {
  // A closed pipe (`wiregram import x.pcap | head`) is not an error worth a stack trace; a full disk behind a
  // redirection (`> /dev/full`) is a file error like any other: said plainly, exit 3.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return;
    const err = stdoutError(e);
    process.stderr.write(`wiregram: error: ${err.message}\n  hint: ${err.hint}\n`);
    cleanupNow();
    process.exit(err.exitCode);
  });
  return process.stdout;
}

export type CommandRunner = (args: ParsedArgs, io: Io) => Promise<number>;

export function version(): string {
  // dist/main.js and the bundle (dist/bundle/wiregram.cjs) sit at different depths below package.json.
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@wiregram/cli') return pkg.version ?? '0.0.0';
    } catch {
      // not this one
    }
  }
  return '0.0.0';
}

async function loadCommand(name: string): Promise<CommandRunner> {
  // One static specifier per command, so each is loaded only when used.
  switch (name) {
    case 'render':
      return (await import('./render.js')).runRender;
    case 'deck':
      return (await import('./deck.js')).runDeck;
    case 'check':
      return (await import('./check.js')).runCheck;
    case 'import':
      return (await import('./import.js')).runImport;
    case 'pandoc':
      return (await import('./pandoc.js')).runPandoc;
    default:
      throw new UsageError(`unknown command '${name}'`);
  }
}

/** Run the CLI with `argv` (without `node` and the script). Resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = nodeIo()): Promise<number> {
  const colorFlag = argv.includes('--no-color') ? false : argv.includes('--color') ? true : undefined;
  // Asked only when an error is printed: stderr's stream is made on first use.
  const colors = () => painter(wantColor(io.stderr, io.env, colorFlag));
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(mainHelp(version()));
      return 2;
    }
    if (first === '-h' || first === '--help') {
      io.stdout.write(mainHelp(version()));
      return 0;
    }
    if (first === '-V' || first === '--version' || first === 'version') {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout.write(mainHelp(version()));
        return 0;
      }
      const spec = COMMANDS[topic];
      if (!spec) throw unknownCommand(topic);
      io.stdout.write(commandHelp(spec));
      return 0;
    }
    const spec = COMMANDS[first];
    if (!spec) throw first.startsWith('-') ? new UsageError(`'${first}' must come after a command`, 'e.g. wiregram render post.md ' + first) : unknownCommand(first);
    let args: ParsedArgs;
    try {
      args = parseArgs(spec, rest);
    } catch (e) {
      throw e instanceof UsageError ? withOtherCommandHint(e, first) : e;
    }
    if (args.values['help']) {
      io.stdout.write(commandHelp(spec));
      return 0;
    }
    const run = await loadCommand(first);
    return await run(args, io);
  } catch (e) {
    const c = colors();
    if (e instanceof UsageError) {
      // Messages quote arguments and file names: echo them escaped.
      const lines = [`${c.bold('wiregram:')} ${c.red('error:')} ${escapeTerminal(e.message)}`];
      if (e.hint) lines.push(`  ${c.cyan('hint')}: ${escapeTerminal(e.hint)}`);
      const cmd = e.command ?? (argv[0] && COMMANDS[argv[0]] ? argv[0] : null);
      lines.push(`  run 'wiregram ${cmd ? cmd + ' ' : ''}--help' for usage`);
      io.stderr.write(lines.join('\n') + '\n');
      return 2;
    }
    if (e instanceof CliError) {
      // A file problem (unreadable input, full disk, a file in the output path): its own exit code, no usage line.
      const lines = [`${c.bold('wiregram:')} ${c.red('error:')} ${escapeTerminal(e.message)}`];
      if (e.hint) lines.push(`  ${c.cyan('hint')}: ${escapeTerminal(e.hint)}`);
      io.stderr.write(lines.join('\n') + '\n');
      return e.exitCode;
    }
    // Anything else is a wiregram bug or an I/O failure: say so plainly; the stack only on request.
    const err = e as NodeJS.ErrnoException;
    const what = err && typeof err === 'object' && 'code' in err && err.code ? `${err.message}` : String(err?.message ?? err);
    io.stderr.write(`${c.bold('wiregram:')} ${c.red('error:')} ${escapeTerminal(what)}\n`);
    if (io.env['WIREGRAM_DEBUG'] && err?.stack) io.stderr.write(err.stack + '\n');
    return 1;
  }
}

/** `wiregram render --steps`: no near miss among render's options, but it is one of deck's — say so. */
function withOtherCommandHint(e: UsageError, command: string): UsageError {
  const m = /^unknown option '--([^']+)'/.exec(e.message);
  if (!m || e.hint) return e;
  if (command === 'check' && ['json', 'github', 'compact'].includes(m[1]!)) return new UsageError(e.message, `use --format ${m[1]}`, e.command);
  const owners = COMMAND_NAMES.filter((n) => n !== command && COMMANDS[n]!.options.some((o) => o.name === m[1]));
  if (!owners.length) return e;
  return new UsageError(e.message, `--${m[1]} is an option of ${owners.map((o) => `'wiregram ${o}'`).join(' and ')}`, e.command);
}

function unknownCommand(name: string): UsageError {
  const near = closest(name, COMMAND_NAMES);
  return new UsageError(`unknown command '${name}'`, near ? `did you mean 'wiregram ${near}'?` : `commands: ${COMMAND_NAMES.join(', ')}`);
}
