/**
 * The `tcp-sequence` language: parser (text → syntax tree with positions) and protocol engine (tree → Timeline).
 * The compile entry that also reads captures is ../compile; label formatting is ../labels.ts.
 */
export type * from './ast.js';
export { parseSequence, SEQUENCE_LIMITS } from './parser.js';
export { simulate, diagramSettings, type EngineOptions } from './simulate.js';
