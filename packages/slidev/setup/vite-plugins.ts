// Slidev loads `setup/vite-plugins.ts` from every addon listed in a deck's `addons:`: strict mode's single
// failure at the end of `slidev build` (see wiregramVitePlugins); the code is in dist/.
export { wiregramVitePlugins as default } from '../dist/index.js';
