/** The compile entry: where the engine and captures meet (see source.ts). */
export { compileSequence, compileDocument, type CompileOptions } from './source.js';
export { captureToSequenceText, sequenceTextFromScan, timelineAndFrames, timelineToSequenceText } from './capture-text.js';
