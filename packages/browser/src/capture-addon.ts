/**
 * Entry of dist/wiregram-capture.min.js: the core's capture decoder for pages that render `capture` blocks in
 * the browser (with run({ readFile })), registered where the main bundle's capture seam finds it
 * (capture-seam.ts). Load it as a classic script or an ES module, before or after wiregram.min.js.
 */
import { readCapture, selectStream, timelineFromCapture, timelineFromScan } from '@wiregram/core';
import { describeGraph, layoutStreamGraph } from '@wiregram/layout';

(globalThis as Record<symbol, unknown>)[Symbol.for('wiregram.capture-decoder')] = { readCapture, timelineFromCapture, selectStream, timelineFromScan, layoutStreamGraph, describeGraph };
