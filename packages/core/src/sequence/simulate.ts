/**
 * The protocol engine: walks the syntax tree as a discrete-event simulation and produces a Timeline. Its parts are
 * named after RFC 9293 §3.10 (see docs/language.md, "Where RFC 9293 lives in the code"):
 *
 *   engine/user-calls.ts  §3.10.1–3.10.5  OPEN, SEND, CLOSE, ABORT: what each segment line puts on the wire
 *   engine/arrives.ts     §3.10.7         SEGMENT ARRIVES, by state, with the RFC's ordered checks
 *   engine/timeouts.ts    §3.10.8         retransmission, TIME-WAIT (and why there is no user timeout)
 *   engine/tcb.ts         §3.3.1          the TCB, a plain record
 *   engine/seq.ts         §3.4            sequence arithmetic, mod 2^32 and symbolic
 *   engine/run.ts                         the event loop and the non-segment statements
 *
 * Captures are another source of Timelines; they meet this engine at the compile entry (../compile), not here.
 */
import { WiregramError, withWiregramErrors } from '../errors.js';
import type { DiagramOptions, Timeline } from '../timeline.js';
import type { SequenceDocument } from './ast.js';
import { finish } from './engine/finish.js';
import { installClock, runStatements } from './engine/run.js';
import { collect, findMultiPeer } from './engine/setup.js';
import { eachStatement, err, World, type Cursor, type EngineOptions } from './engine/world.js';
import { INTERNAL_ERROR } from './parser.js';

export type { EngineOptions } from './engine/world.js';
export { eachStatement } from './engine/world.js';

function checkDocument(doc: SequenceDocument): void {
  if (!doc || doc.type !== 'document' || !Array.isArray(doc.statements)) {
    throw new WiregramError({ code: 'invalid-input', reason: 'simulate expects the document parseSequence returns', expected: 'a SequenceDocument' });
  }
}

/**
 * The last small run's World (and through it its endpoints' Spaces), kept until the next: V8 frees the hidden class
 * of objects none of which is alive at a full GC (between two documents of a host's build) and drops the optimized
 * code that reads them with it, so the engine would start cold after each such GC (see `keptLine` in parser.ts).
 * (A World made for the purpose, `new World({})`, kept the classes too but made the engine slower to warm up.)
 */
let kept: World | null = null;

/** Run the protocol engine over a parsed document. Throws WiregramError for anything the protocol forbids. */
export function simulate(doc: SequenceDocument, options: EngineOptions = {}): Timeline {
  checkDocument(doc);
  // Anything but a WiregramError is an engine bug; still report it as a typed error rather than a stack trace.
  return withWiregramErrors(() => {
    const w = new World(options);
    findMultiPeer(w, doc.statements);
    collect(w, doc.statements);
    eachStatement(doc.statements, (s) => {
      if (s.type === 'capture') err('capture-elsewhere', 'a capture statement is read by the compile entry, not the engine', s.position, 'compileSequence or compileDocument', 'call compileDocument(doc, { readFile }) instead of simulate');
    });
    installClock(w);
    const cursor: Cursor = { now: 1, lastSentAt: 1 };
    runStatements(w, doc.statements, cursor);
    // Only a small run: a long one's World would make every GC until the next run mark it again.
    if (w.segments.length <= 100) kept = w;
    return finish(w);
  }, INTERNAL_ERROR);
}

/** The block's own title and options (the set-up pass alone), for a Timeline that comes from elsewhere. */
export function diagramSettings(doc: SequenceDocument, options: EngineOptions = {}): { title: string | null; options: DiagramOptions; numberingSet: boolean } {
  checkDocument(doc);
  return withWiregramErrors(() => {
    const w = new World(options);
    findMultiPeer(w, doc.statements);
    collect(w, doc.statements);
    return { title: w.title, options: w.options, numberingSet: w.numberingSet };
  }, INTERNAL_ERROR);
}
