/**
 * @wiregram/cli — the `wiregram` command. The bin is `bin/wiregram.cjs`; these exports let other tools run the
 * CLI in-process (`main`) or reuse its Markdown fence scanner and safe writer.
 */
export { main, nodeIo, version, type Io } from './main.js';
export { scanFences, type FencedBlock } from './fences.js';
export { expandGlob, globToRegExp, isGlob } from './glob.js';
export { writeFileAtomic, canonicalPath } from './fsutil.js';
export { kindFromPath, sniffKind, MARKDOWN_EXTENSIONS, SEQUENCE_EXTENSIONS, HEADER_EXTENSIONS } from './inputs.js';
