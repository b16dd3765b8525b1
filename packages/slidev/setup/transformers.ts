// Slidev loads `setup/transformers.ts` from every addon listed in a deck's `addons:`; the code is in dist/.
export { default } from '../dist/index.js';
