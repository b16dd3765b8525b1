/**
 * `wiregram import`: one TCP stream of a pcap/pcapng capture → editable tcp-sequence text (or JSON), via the
 * core's capture readers. The CLI only reads the file and prints; decoding is @wiregram/core's.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type ParsedArgs, UsageError } from './args.js';
import { loadCore } from './engine.js';
import { canonicalPath, pathKind, writeFileAtomic } from './fsutil.js';
import { displayPath } from './inputs.js';
import type { Io } from './main.js';
import { formatText, isWiregramLike, type Problem, wantColor } from './report.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

/** A capture file as a synchronous stream of chunks: the core's readers keep memory bounded on large files. */
function* fileChunks(path: string, size = 1 << 20): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buf = new Uint8Array(size);
      const n = readSync(fd, buf, 0, size, null);
      if (n <= 0) return;
      yield n === size ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function problemOf(file: string, e: { code: string; reason: string; expected?: unknown; hint?: unknown }, severity: 'error' | 'warning'): Problem {
  return {
    file,
    source: null,
    severity,
    code: e.code,
    reason: e.reason,
    position: null,
    expected: typeof e.expected === 'string' ? e.expected : null,
    hint: typeof e.hint === 'string' ? e.hint : null,
    diagram: null,
  };
}

export async function runImport(args: ParsedArgs, io: Io): Promise<number> {
  const file = args.positionals[0]!;
  const streamArg = args.values['stream'];
  const stream = streamArg === undefined ? 0 : Number(streamArg);
  if (!Number.isInteger(stream) || stream < 0 || !/^\d+$/.test(String(streamArg ?? '0'))) {
    throw new UsageError(`--stream expects a stream number (0, 1, …), got '${String(streamArg)}'`, "list streams with: tshark -r FILE -q -z conv,tcp", 'import');
  }
  const display = file === '-' ? '<stdin>' : displayPath(resolve(io.cwd, file), io.cwd);
  let input: Uint8Array | Iterable<Uint8Array>;
  if (file === '-') input = await readAll(io.stdin);
  else {
    const path = resolve(io.cwd, file);
    try {
      if (!statSync(path).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, null, 'import');
    }
    input = fileChunks(path);
  }
  const output = typeof args.values['output'] === 'string' ? args.values['output'] : null;
  if (output && output !== '-' && pathKind(resolve(io.cwd, output)) === 'dir') throw new UsageError(`-o ${output} is a directory; give a file name`, null, 'import');
  if (output && output !== '-' && file !== '-' && canonicalPath(resolve(io.cwd, output)) === canonicalPath(resolve(io.cwd, file))) {
    throw new UsageError(`refusing to overwrite the input ${display}`, null, 'import');
  }

  const core = await loadCore();
  const json = args.values['json'] === true;
  const color = wantColor(io.stderr, io.env, args.values['color'] as boolean | undefined);
  const numbering = args.values['numbering'] === 'absolute' ? 'absolute' : 'relative';
  const options = { stream, numbering, source: file === '-' ? 'stdin' : basename(file) };
  let text: string;
  try {
    if (!json && core.selectStream && core.timelineFromScan && core.timelineToSequenceText) {
      // captureToSequenceText's own three steps, so the reader's warnings (a truncated file, skipped frames)
      // reach the user instead of being dropped with the scan.
      const scan = core.selectStream(input, options);
      const timeline = core.timelineFromScan(scan as never, options);
      text = core.timelineToSequenceText(timeline as never, scan.packets.map((p) => p.frame), options);
      if (args.values['quiet'] !== true) {
        for (const w of scan.warnings) io.stderr.write(formatText(problemOf(display, w, 'warning'), null, color) + '\n');
      }
    } else {
      const convert = json ? core.captureToJson : core.captureToSequenceText;
      if (typeof convert !== 'function') {
        io.stderr.write('wiregram: error: this build of @wiregram/core has no capture support\n');
        return 1;
      }
      const result = convert(input, options);
      text = typeof result === 'string' ? result : JSON.stringify(result, null, 2);
    }
    if (!text.endsWith('\n')) text += '\n';
  } catch (e) {
    if (!isWiregramLike(e)) throw e;
    io.stderr.write(formatText(problemOf(display, e, 'error'), null, color) + '\n');
    return 1;
  }
  if (output && output !== '-') {
    writeFileAtomic(resolve(io.cwd, output), text);
    if (args.values['quiet'] !== true) io.stderr.write(`${display} stream ${stream} → ${displayPath(resolve(io.cwd, output), io.cwd)}\n`);
  } else io.stdout.write(text);
  return 0;
}
