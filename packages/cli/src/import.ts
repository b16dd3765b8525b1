/**
 * `wiregram import`: one TCP stream of a pcap/pcapng capture → editable tcp-sequence text (or JSON), via the
 * core's capture readers. The CLI only reads the file and prints; decoding is @wiregram/core's.
 */
import { closeSync, readSync, statSync } from 'node:fs';
import { readError } from './errors.js';
import { basename, dirname, resolve } from 'node:path';
import { type ParsedArgs, UsageError } from './args.js';
import type { ScanOptions, ScanResult, SequenceTextOptions, StreamSelector } from '@wiregram/core';
import { type CoreApi, loadCore } from './engine.js';
import { canonicalPath, commitFiles, fileInPath, openInput, pathKind } from './fsutil.js';
import { displayPath } from './inputs.js';
import type { Io } from './io.js';
import { escapeTerminal, formatText, isWiregramLike, type Problem, safeJson, wantColor } from './report.js';

/**
 * A capture file as a stream of chunks. The scanner checks the magic on the first chunk and holds at most one
 * record besides it, so memory stays bounded whatever the file's size.
 */
function* fileChunks(path: string, display: string, size = 1 << 20): Generator<Uint8Array> {
  const fd = openInput(path, display);
  // One buffer for every chunk: the scanner copies what it keeps (a part record), never the chunk.
  const buf = new Uint8Array(size);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, size, null);
      } catch (e) {
        throw readError(e, display);
      }
      if (n <= 0) return;
      yield n === size ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** stdin's chunks as they arrive (the pipe's own 64 KiB pieces): nothing is buffered beyond the scanner's record. */
async function* streamChunks(stream: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
}

/**
 * Scan a capture as it is read. A wrong magic throws on the first chunk, and damage stops the scan: either way
 * leaving the loop stops reading (for stdin it destroys the stream), so `cat /dev/zero | wiregram import -`
 * ends at once in a few MB of memory.
 */
async function scanChunks(core: CoreApi, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options: ScanOptions): Promise<ScanResult> {
  const scanner = new core.CaptureScanner(options);
  for await (const chunk of chunks) {
    scanner.push(chunk);
    if (scanner.stopped) break;
  }
  return scanner.finish();
}

/**
 * Scan for the chosen stream and turn it into a Timeline. The scan lives only in this function's frame, so its
 * packets are garbage before the text is written (when an import's memory would otherwise peak).
 */
async function importStream(core: CoreApi, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options: SequenceTextOptions) {
  const scan = core.withStream(await scanChunks(core, chunks, core.streamScanOptions(options)), options);
  return { stream: scan.stream.index, warnings: scan.warnings, ...core.timelineAndFrames(scan, options) };
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

/** `--stream`: a tcp.stream number or endpoints, in the grammar of the `capture … stream …` statement. */
function streamSelector(core: CoreApi, arg: string | boolean | undefined): StreamSelector {
  if (arg === undefined) return { stream: 0 };
  const text = String(arg);
  try {
    return core.parseStreamSelector(text);
  } catch (e) {
    if (!isWiregramLike(e)) throw e;
    throw new UsageError(`--stream: ${e.reason}`, `give ${typeof e.expected === 'string' ? e.expected : 'a stream number'}; list them with: wiregram import FILE --list`, 'import');
  }
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** `--list`: one line per TCP stream, the columns of `tshark -q -z conv,tcp` plus the index and what to select it by. */
function streamTable(core: CoreApi, scan: ScanResult): string {
  const ep = (e: { address: string; port: number }) => core.endpointText(e.address, e.port);
  const head = ['stream', 'endpoint A', '', 'endpoint B', 'frames', 'bytes', 'payload', 'start', 'duration'];
  const rows = scan.streams.map((s) => [String(s.index), ep(s.a), '<->', ep(s.b), String(s.packets), String(s.frameBytes), String(s.bytes), fixed(s.start, 9), fixed(s.end - s.start, 4)]);
  // Numbers right-aligned, endpoints left-aligned, as tshark prints them.
  const right = new Set([0, 4, 5, 6, 7, 8]);
  const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (r: string[]) => r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export async function runImport(args: ParsedArgs, io: Io): Promise<number> {
  const file = args.positionals[0]!;
  const list = args.values['list'] === true;
  if (list && args.values['stream'] !== undefined) throw new UsageError('--list shows every stream; it takes no --stream', 'drop --stream, or drop --list to import that stream', 'import');
  const core = await loadCore();
  const selector = streamSelector(core, args.values['stream']);
  const display = file === '-' ? '<stdin>' : displayPath(resolve(io.cwd, file), io.cwd);
  let chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  if (file === '-') chunks = streamChunks(io.stdin);
  else {
    const path = resolve(io.cwd, file);
    try {
      if (statSync(path).isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    } catch (e) {
      throw readError(e, display);
    }
    chunks = fileChunks(path, display);
  }
  const output = typeof args.values['output'] === 'string' ? args.values['output'] : null;
  const outPath = output && output !== '-' ? resolve(io.cwd, output) : null;
  if (outPath && pathKind(outPath) === 'dir') throw new UsageError(`-o ${output} is a directory; give a file name`, null, 'import');
  const blocker = outPath ? fileInPath(dirname(outPath)) : null;
  if (blocker) throw new UsageError(`-o ${output}: ${displayPath(blocker, io.cwd)} is a file, not a directory`, 'give a path whose folders are folders', 'import');
  if (outPath && file !== '-' && canonicalPath(outPath) === canonicalPath(resolve(io.cwd, file))) {
    throw new UsageError(`refusing to overwrite the input ${display}`, null, 'import');
  }

  const json = args.values['json'] === true;
  const quiet = args.values['quiet'] === true;
  const color = wantColor(io.stderr, io.env, args.values['color'] as boolean | undefined);
  const numbering = args.values['numbering'] === 'absolute' ? 'absolute' : 'relative';
  const options: SequenceTextOptions = { ...selector, numbering, source: file === '-' ? 'stdin' : basename(file) };
  const warn = (ws: ReadonlyArray<{ code: string; reason: string; hint: string | null }>) => {
    if (!quiet) for (const w of ws) io.stderr.write(formatText(problemOf(display, w, 'warning'), null, color) + '\n');
  };
  let text: string;
  let chosen: number | null = 'stream' in selector ? selector.stream : null;
  try {
    if (list) {
      const scan = await scanChunks(core, chunks, { frameStreams: false });
      // No stream at all: the same error as importing one (no TCP, or a truncated/corrupt file).
      if (!scan.streams.length) core.withStream(scan, {});
      warn(scan.warnings);
      text = json
        ? safeJson(
            scan.streams.map((s) => ({
              stream: s.index,
              a: s.a,
              b: s.b,
              frames: s.packets,
              bytes: s.frameBytes,
              payloadBytes: s.bytes,
              start: s.start,
              duration: s.end - s.start,
              firstFrame: s.firstFrame,
              lastFrame: s.lastFrame,
              flags: s.flags,
              select: core.formatStreamSelector({ tuple: { srcAddress: s.a.address, srcPort: s.a.port, dstAddress: s.b.address, dstPort: s.b.port } }),
            })),
          )
        : streamTable(core, scan);
    } else {
      // captureToSequenceText's own steps, so the reader's warnings (a truncated file, skipped frames) reach the
      // user instead of being dropped with the scan.
      const { stream, warnings, timeline, frames } = await importStream(core, chunks, options);
      chosen = stream;
      text = json ? safeJson(core.timelineToJson(timeline, options.numbering === 'absolute')) : core.timelineToSequenceText(timeline, frames, options);
      if (!json) warn(warnings);
    }
    if (!text.endsWith('\n')) text += '\n';
  } catch (e) {
    if (!isWiregramLike(e)) throw e;
    io.stderr.write(formatText(problemOf(display, e, 'error'), null, color) + '\n');
    return 1;
  }
  if (outPath) {
    commitFiles([{ path: outPath, data: text }], (p) => displayPath(p, io.cwd));
    const what = list ? 'stream list' : `stream ${chosen ?? core.formatStreamSelector(selector)}`;
    if (!quiet) io.stderr.write(escapeTerminal(`${display} ${what} → ${displayPath(outPath, io.cwd)}`) + '\n');
  } else io.stdout.write(text);
  return 0;
}
