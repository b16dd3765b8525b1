/**
 * The browser bundles' stand-in for the core's capture decoder (pcap/pcapng reader, stream index, analysis:
 * ≈ 45 KB minified, 15 KB gzip — the bundle's size target cannot hold it) and for layout's stream graphs (≈ 5 KB gzip). A page only needs it when it hands
 * run() a `readFile` that returns capture bytes; such a page loads `wiregram-capture.min.js` as well, which
 * registers the real decoder here (capture-addon.ts). The bundle script points the core's imports of its
 * capture modules here; Node packages keep the real ones.
 *
 * Without the add-on, a block that reads a capture gets a clear error naming the file to load. Errors the
 * add-on throws come from its own copy of the core: they are re-made as this bundle's WiregramError, so
 * positions, codes and hints reach the error box unchanged.
 */
import { toWiregramError } from '@wiregram/core';
import { WiregramError } from '@wiregram/core/errors';

export { placeWarnings } from '@wiregram/core/errors';

/** Where the add-on puts the decoder (a registry symbol: the same across the two scripts). */
export const CAPTURE_DECODER = Symbol.for('wiregram.capture-decoder');

type Fn = (...args: never[]) => unknown;
type Decoder = Record<'readCapture' | 'timelineFromCapture' | 'selectStream' | 'timelineFromScan' | 'layoutStreamGraph' | 'describeGraph', Fn>;

function decoder(): Decoder {
  const d = (globalThis as Record<symbol, unknown>)[CAPTURE_DECODER] as Decoder | undefined;
  if (d) return d;
  throw new WiregramError({
    code: 'capture-decoder-missing',
    reason: 'reading a capture file or drawing a stream graph needs wiregram-capture.min.js on the page',
    expected: 'the capture add-on loaded before run()',
    hint: 'add <script src=".../@wiregram/browser/dist/wiregram-capture.min.js"></script> next to wiregram.min.js',
  });
}

function call<T>(name: keyof Decoder, args: unknown[]): T {
  const fn = decoder()[name] as (...a: unknown[]) => T;
  try {
    return Reflect.apply(fn, undefined, args); // args are a call's own few arguments
  } catch (e) {
    // The add-on's WiregramError becomes this bundle's (same code, position, hint); anything else stays as it is.
    throw e instanceof Error && e.name === 'WiregramError' ? toWiregramError(e) : e;
  }
}

export const readCapture = (...args: unknown[]) => call<any>('readCapture', args);
export const timelineFromCapture = (...args: unknown[]) => call<any>('timelineFromCapture', args);
export const selectStream = (...args: unknown[]) => call<any>('selectStream', args);
export const timelineFromScan = (...args: unknown[]) => call<any>('timelineFromScan', args);
// The stream graphs (`style: tcptrace` …, @wiregram/layout's graph/) come with the add-on too.
export const layoutStreamGraph = (...args: unknown[]) => call<any>('layoutStreamGraph', args);
export const describeGraph = (...args: unknown[]) => call<any>('describeGraph', args);
