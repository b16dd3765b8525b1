import { build } from 'esbuild';
import { seams } from './scripts/seams.mjs';
await build({ entryPoints: ['packages/browser/dist/bundle.js'], bundle: true, minify: false, platform: 'browser', format: 'esm', outfile: '/tmp/wg-dev.js', plugins: seams('/work/wt-browser/packages/browser/dist'), logLevel: 'error' });
