/**
 * The one compile entry for `tcp-sequence`: text → syntax tree → Timeline, where the Timeline comes from one of two
 * sources — the protocol engine (sequence/), or a capture (`capture ./x.pcap stream 0`, capture/). This is the only
 * place that knows both; the two folders never import each other (test/layering.test.ts checks it).
 */
import { WiregramError, withWiregramErrors, type Position } from '../errors.js';
import { STREAM_GRAPHS, type ElideMode, type Timeline, type TimingLayout } from '../timeline.js';
import type { CaptureTuple } from '../capture/scan.js';
import { parseStreamSelector } from '../capture/selector.js';
import { selectStream, timelineFromScan } from '../capture/timeline.js';
import type { CaptureStatement, SegmentStatement, SequenceDocument } from '../sequence/ast.js';
import { INTERNAL_ERROR, parseSequence } from '../sequence/parser.js';
import { diagramSettings, eachStatement, simulate, type EngineOptions } from '../sequence/simulate.js';

export interface CompileOptions extends EngineOptions {
  /** Supplied by the host for `capture ./x.pcap stream 0`; core itself does no I/O. */
  readFile?: ((path: string, position: Position) => Uint8Array) & {
    /** The same file in chunks (each valid until the next is asked for): a capture is then never held whole. */
    chunks?: (path: string, position: Position) => Iterable<Uint8Array>;
  };
  /**
   * The layout the host will draw with whatever the block says (a renderer's `style`): a captured stream drawn as
   * a stream graph skips its labels, the bulk of a long stream's compile time.
   */
  drawAs?: TimingLayout;
  /**
   * The `elide` mode the host will draw with whatever the block says (a renderer's `elide`): a captured stream's
   * labels are made only for the segments that overview keeps.
   */
  elide?: ElideMode;
}

/** Parse and compile in one call: text → Timeline. Throws WiregramError with line and column. */
export function compileSequence(source: string, options: CompileOptions = {}): Timeline {
  return compileDocument(parseSequence(source), options);
}

/** A parsed document → Timeline, from the engine or from the one capture it names. */
export function compileDocument(doc: SequenceDocument, options: CompileOptions = {}): Timeline {
  const captures: CaptureStatement[] = [];
  let firstSegment: SegmentStatement | null = null;
  if (doc && Array.isArray(doc.statements)) {
    eachStatement(doc.statements, (s) => {
      if (s.type === 'capture') captures.push(s);
      else if (s.type === 'segment') firstSegment ??= s;
    });
  }
  if (captures.length === 0) return simulate(doc, options);
  // The block's own title and options still apply (and are checked) when the Timeline comes from a capture.
  const settings = diagramSettings(doc, options);
  // Anything but a WiregramError is a bug; still report it as a typed error rather than a stack trace.
  return withWiregramErrors(() => {
    if (captures.length > 1) fail('capture-mixed', 'one capture per diagram', captures[1]!.position, 'a single capture statement', 'draw each capture in its own block');
    return fromCapture(captures[0]!, firstSegment, options, settings);
  }, INTERNAL_ERROR);
}

function fail(code: string, reason: string, position: Position | null, expected: string | null, hint: string | null): never {
  throw new WiregramError({ code, reason, position, expected, hint });
}

function readCaptureFile(cap: CaptureStatement, options: CompileOptions): Uint8Array | Iterable<Uint8Array> {
  const read = options.readFile;
  if (!read) {
    fail('capture-unavailable', `cannot read ${cap.path.value}: no file access here`, cap.path.position, 'a host that reads files (the CLI or a Markdown plugin)', 'render this block with the wiregram CLI or a Markdown plugin, which supply file access');
  }
  const readError = (e: unknown): never => {
    if (e instanceof WiregramError) throw e;
    return fail('capture-read', `cannot read ${cap.path.value}: ${e instanceof Error ? e.message : String(e)}`, cap.path.position, 'a readable pcap or pcapng file inside the project', null);
  };
  try {
    if (!read.chunks) return read(cap.path.value, cap.path.position);
    const chunks = read.chunks(cap.path.value, cap.path.position);
    // A read that fails half-way is reported as one that fails at once.
    return (function* () {
      const it = chunks[Symbol.iterator]();
      try {
        for (;;) {
          let next: IteratorResult<Uint8Array>;
          try {
            next = it.next();
          } catch (e) {
            return readError(e);
          }
          if (next.done) return;
          yield next.value;
        }
      } finally {
        it.return?.();
      }
    })();
  } catch (e) {
    return readError(e);
  }
}

/** `stream 0` or `stream 10.0.0.1:80,…`: the capture package's selector grammar, errors at the selector's position. */
function streamOf(cap: CaptureStatement): { stream: number } | { tuple: CaptureTuple } {
  if (!cap.selector) return { stream: cap.stream };
  try {
    const sel = parseStreamSelector(cap.selector.value);
    return 'tuple' in sel ? { tuple: sel.tuple } : { stream: sel.stream };
  } catch (e) {
    if (!(e instanceof WiregramError)) throw e;
    return fail('syntax', e.reason, cap.selector.position, e.expected, e.hint);
  }
}

function fromCapture(cap: CaptureStatement, segment: SegmentStatement | null, options: CompileOptions, settings: ReturnType<typeof diagramSettings>): Timeline {
  if (segment) fail('capture-mixed', 'a capture cannot be combined with hand-written segments', segment.position, 'either segments or one capture statement', 'draw the capture in its own block');
  const which = streamOf(cap);
  const bytes = readCaptureFile(cap, options);
  const opts = settings.options;
  // Captured ISNs are random 32-bit numbers: show them relative (as Wireshark does) unless the block (or the host)
  // says otherwise.
  if (!settings.numberingSet) opts.numbering = 'relative';
  const graph = (STREAM_GRAPHS as readonly string[]).includes(options.drawAs ?? opts.layout);
  let tl: Timeline;
  try {
    // The reader's warnings point at the statement.
    const co = { ...which, position: cap.position, numbering: opts.numbering, labelStyle: opts.labelStyle };
    tl = timelineFromScan(selectStream(bytes, co), co, { graph, elide: options.elide ?? opts.elide });
  } catch (e) {
    if (e instanceof WiregramError) {
      if (e.position) throw e;
      throw new WiregramError({ code: e.code, reason: e.reason, position: cap.position, expected: e.expected, hint: e.hint });
    }
    return fail('capture-invalid', `cannot decode ${cap.path.value}: ${e instanceof Error ? e.message : String(e)}`, cap.path.position, 'a pcap or pcapng file', null);
  }
  tl.title = settings.title ?? tl.title;
  tl.options = { ...tl.options, ...opts, extra: { ...tl.options.extra, ...opts.extra } };
  // The labels were made with these very label style and numbering (a second pass cost a long stream ~10 %).
  return tl;
}
