/**
 * The `tcp-sequence` language: parser (text → syntax tree with positions), protocol engine (tree → Timeline)
 * and label formatting.
 */
import type { Timeline } from '../timeline.js';
import { parseSequence } from './parser.js';
import { simulate, type CompileOptions } from './simulate.js';

export type * from './ast.js';
export { parseSequence, SEQUENCE_LIMITS } from './parser.js';
export { simulate, type CompileOptions } from './simulate.js';
export { formatLabel, formatSeq, formatState, wiresharkAnalysis, type FormatLabelOptions } from './format.js';

/** Parse and simulate in one call: text → Timeline. Throws WiregramError with line and column. */
export function compileSequence(source: string, options: CompileOptions = {}): Timeline {
  return simulate(parseSequence(source), options);
}
