/**
 * Node-only helpers (`@wiregram/core/node`): read project files safely and stream capture files from disk in
 * bounded memory. Everything else in @wiregram/core is pure and runs in a browser.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { WiregramError, type Position } from './errors.js';
import { CaptureReader } from './capture/reader.js';
import { CaptureScanner, type ScanOptions, type ScanResult } from './capture/scan.js';
import { streamScanOptions, timelineFromScan, withStream, type CaptureStreamOptions } from './capture/timeline.js';
import { timelineToJson, type CaptureJsonSegment, type SequenceTextOptions } from './capture/export.js';
import { timelineAndFrames, timelineToSequenceText } from './compile/capture-text.js';
import type { Timeline } from './timeline.js';

/**
 * Largest file `readProjectFile` returns. A `capture` statement's file is read whole into memory (the block
 * compiles synchronously from bytes), so it is bounded; `wiregram import` streams captures of any size instead.
 * docs/cli.md ("Size limits") states the policy.
 */
export const MAX_PROJECT_FILE = 64 * 1024 * 1024;

export interface ReadProjectFileOptions {
  /** Source position of the statement that referenced the file, for the error. */
  position?: Position | null;
  /** Largest size accepted, default MAX_PROJECT_FILE. */
  maxBytes?: number;
  /**
   * Checks the file's first bytes (up to 64 KiB) before the rest is read or its size is judged, and throws
   * when they are wrong: a file that is not what the statement needs is refused without reading it.
   */
  checkHead?: (head: Uint8Array) => void;
}

/** How much of a file `checkHead` sees. */
const HEAD_BYTES = 64 * 1024;

/** `checkHead` for captures: the pcap/pcapng magic and file header (a wrong one throws `capture-format`). */
export function checkCaptureHead(head: Uint8Array): void {
  new CaptureReader(() => {}).push(head);
}

function refuse(code: string, reason: string, position: Position | null | undefined, hint: string): WiregramError {
  return new WiregramError({ code, reason, position: position ?? null, expected: 'a relative path to a file inside the project', hint });
}

/**
 * Resolve `path` relative to the Markdown file `fromFile` and read it, refusing anything outside `root`:
 * absolute paths, `..` escapes, and symlinks whose target leaves the root (checked on the real path).
 */
export function resolveProjectPath(root: string, fromFile: string, path: string, options: ReadProjectFileOptions = {}): string {
  const pos = options.position;
  if (typeof path !== 'string' || path.trim() === '') throw refuse('file-path', 'the file path is empty', pos, 'write a path such as ./captures/handshake.pcap');
  if (path.includes('\0')) throw refuse('file-outside-project', 'the file path contains a NUL byte', pos, 'write a plain relative path');
  if (isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\')) {
    throw refuse('file-outside-project', `"${path}" is an absolute path; only files inside the project may be referenced`, pos, 'write the path relative to the Markdown file, e.g. ./captures/handshake.pcap');
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(resolve(root));
  } catch {
    throw refuse('file-not-found', `the project root "${root}" does not exist`, pos, 'pass the directory that holds the Markdown files');
  }
  const candidate = resolve(dirname(resolve(fromFile)), path);
  const inside = (p: string, base: string) => {
    const r = relative(base, p);
    return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
  };
  // Lexical check first (catches ../ even when the target does not exist), then the real path (symlinks).
  const lexicalRoot = resolve(root);
  if (!inside(candidate, lexicalRoot) && !inside(candidate, realRoot)) {
    throw refuse('file-outside-project', `"${path}" points outside the project root`, pos, 'keep referenced files inside the project directory');
  }
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw refuse('file-not-found', `cannot find "${path}" (looked for ${relative(lexicalRoot, candidate) || candidate} in the project)`, pos, 'check the spelling; paths are relative to the Markdown file');
  }
  if (!inside(real, realRoot)) {
    throw refuse('file-outside-project', `"${path}" is a link to a file outside the project root`, pos, 'copy the file into the project instead of linking to it');
  }
  return real;
}

/** Read a file referenced from a Markdown file (see `resolveProjectPath`). */
export function readProjectFile(root: string, fromFile: string, path: string, options: ReadProjectFileOptions = {}): Uint8Array {
  const { fd, size } = openProjectFile(root, fromFile, path, options);
  try {
    const out = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, out, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === size ? out : out.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/**
 * `readProjectFile` as chunks of at most `chunkSize` bytes, all in one reused buffer (each chunk is valid until the
 * next is asked for): the same checks and errors, thrown by the call itself, but no buffer the size of the file.
 * Filling a fresh 57 MB buffer cost a long capture's render ~190 ms of page faults; one 1 MiB buffer ~17 ms.
 */
export function readProjectFileChunks(root: string, fromFile: string, path: string, options: ReadProjectFileOptions = {}, chunkSize = CAPTURE_CHUNK): Iterable<Uint8Array> {
  const { fd, size } = openProjectFile(root, fromFile, path, options);
  return (function* chunks() {
    try {
      const buf = new Uint8Array(Math.max(1, Math.min(chunkSize, size)));
      let off = 0;
      // Up to the size judged at open, as readProjectFile reads.
      while (off < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - off), off);
        if (n === 0) break;
        off += n;
        yield n === buf.length ? buf : buf.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
  })();
}

/** Resolve, check and open a project file: its descriptor (the caller closes it) and its size. */
function openProjectFile(root: string, fromFile: string, path: string, options: ReadProjectFileOptions): { fd: number; size: number } {
  const real = resolveProjectPath(root, fromFile, path, options);
  const max = options.maxBytes ?? MAX_PROJECT_FILE;
  let size: number;
  try {
    const st = statSync(real);
    if (!st.isFile()) throw refuse('file-not-found', `"${path}" is not a regular file`, options.position, 'reference a file, not a directory or device');
    size = st.size;
  } catch (e) {
    if (e instanceof WiregramError) throw e;
    throw refuse('file-not-found', `cannot read "${path}"`, options.position, 'check the file permissions');
  }
  const fd = openSync(real, 'r');
  try {
    if (options.checkHead) {
      const head = new Uint8Array(Math.min(size, HEAD_BYTES));
      const n = readSync(fd, head, 0, head.length, 0);
      try {
        options.checkHead(head.subarray(0, n));
      } catch (e) {
        // Placed at the statement that named the file.
        if (e instanceof WiregramError && !e.position && options.position) {
          throw new WiregramError({ code: e.code, reason: e.reason, position: options.position, expected: e.expected, hint: e.hint });
        }
        throw e;
      }
    }
    if (size > max) {
      const mib = (n: number) => `${(n / 1048576).toFixed(1).replace(/\.0$/, '')} MiB`;
      throw refuse('file-too-large', `"${path}" is ${mib(size)}, more than the ${mib(max)} a diagram reads`, options.position, 'cut the capture down (`editcap -r in.pcap out.pcap 1-100`), or turn the stream into text with `wiregram import`, which streams captures of any size');
    }
    return { fd, size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Chunk size for streaming a capture from disk: memory stays at one chunk plus one record. */
export const CAPTURE_CHUNK = 1 << 20;

/** Stream a capture file through a scan in fixed-size chunks (bounded memory for any file size). */
export function scanCaptureFile(path: string, options: ScanOptions = {}, chunkSize = CAPTURE_CHUNK): ScanResult {
  const scanner = new CaptureScanner(options);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new WiregramError({ code: 'file-not-found', reason: `cannot open the capture "${path}"`, hint: 'check the path and permissions' });
  }
  try {
    const buf = new Uint8Array(chunkSize);
    for (;;) {
      const n = readSync(fd, buf, 0, chunkSize, null);
      if (n === 0) break;
      scanner.push(n === chunkSize ? buf : buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return scanner.finish();
}

/** Index every TCP stream of a capture file (Wireshark's tcp.stream), streaming it from disk. */
export function indexCaptureFile(path: string, options: Pick<ScanOptions, 'frameStreams'> = {}): ScanResult {
  return scanCaptureFile(path, { frameStreams: options.frameStreams ?? false });
}

function scanFor(path: string, options: CaptureStreamOptions) {
  return withStream(scanCaptureFile(path, streamScanOptions(options)), options);
}

/** `timelineFromCapture` for a file on disk, read in bounded memory. */
export function timelineFromCaptureFile(path: string, options: CaptureStreamOptions = {}): Timeline {
  return timelineFromScan(scanFor(path, options), options);
}

/** `captureToSequenceText` for a file on disk. */
export function captureFileToSequenceText(path: string, options: SequenceTextOptions = {}): string {
  // The scan is never held here: its packets are garbage once the Timeline exists.
  const { timeline, frames } = timelineAndFrames(scanFor(path, options), options);
  return timelineToSequenceText(timeline, frames, options);
}

/** `captureToJson` for a file on disk. */
export function captureFileToJson(path: string, options: CaptureStreamOptions = {}): CaptureJsonSegment[] {
  return timelineToJson(timelineFromScan(scanFor(path, options), options, { lean: true }), options.numbering === 'absolute');
}

/**
 * A `readFile` for `compileSequence` and `parsePacketHeader`: resolves `capture ./x.pcap` statements relative to
 * the Markdown file, inside the project root. Every file a block reads is a capture, so its magic is checked
 * on the first bytes, before the rest is read.
 */
export function projectFileReader(root: string, fromFile: string): ProjectFileReader {
  const options = (position?: Position | null) => ({ position: position ?? null, checkHead: checkCaptureHead });
  const reader: ProjectFileReader = (path, position) => readProjectFile(root, fromFile, path, options(position));
  reader.chunks = (path, position) => readProjectFileChunks(root, fromFile, path, options(position));
  return reader;
}

/** A whole-file reader that can also stream (`chunks`): compile reads a `capture` file through `chunks` when present. */
export interface ProjectFileReader {
  (path: string, position?: Position | null): Uint8Array;
  chunks?: (path: string, position?: Position | null) => Iterable<Uint8Array>;
}
