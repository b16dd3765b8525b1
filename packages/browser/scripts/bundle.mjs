#!/usr/bin/env node
// The browser bundles, from the built packages (run after `tsc -b`): dist/wiregram.min.js (ES module) and
// dist/wiregram.iife.min.js (classic script, `window.wiregram`). platform=browser makes any `node:` import an
// error, so a Node-only module reaching the render path fails the build instead of a reader's page.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { minify } from 'terser';
import { fileURLToPath } from 'node:url';
import { seams } from './seams.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const BANNER = '//# allFunctionsCalledOnLoad\n/*! @wiregram/browser — MIT License, (c) 2026 the wiregram authors */';

/**
 * A second pass with terser over esbuild's output: ≈ 4 % smaller gzipped (3.5 KB of the 80 KB budget), same
 * code. The banner (with the compile hint, which must come first) is put back in front.
 */
async function squeeze(file, module) {
  const out = await minify(readFileSync(file, 'utf8'), { module, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false, preamble: BANNER } });
  writeFileSync(file, out.code);
}

const common = {
  entryPoints: [join(here, 'dist', 'bundle.js')],
  bundle: true,
  minify: true,
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
  legalComments: 'none',
  logLevel: 'warning',
  plugins: seams(join(here, 'dist')),
  // `allFunctionsCalledOnLoad`: Chrome's explicit compile hint (136+; other engines ignore the comment). A page
  // loads this file to draw at once, so V8 compiles its functions with the script (off the main thread when
  // streamed) instead of one by one during the first render: first render 2.7× less CPU, loading a little more
  // (bench/browser.mjs reports both).
  banner: { js: BANNER },
};
await build({ ...common, format: 'esm', outfile: join(here, 'dist', 'wiregram.min.js') });
await squeeze(join(here, 'dist', 'wiregram.min.js'), true);
await build({ ...common, format: 'iife', globalName: 'wiregram', outfile: join(here, 'dist', 'wiregram.iife.min.js') });
await squeeze(join(here, 'dist', 'wiregram.iife.min.js'), false);
// The capture decoder, for pages that render `capture` blocks (see src/capture-seam.ts): one IIFE file that
// works as a classic script and as an ES module alike (it only registers itself).
await build({ ...common, plugins: [], entryPoints: [join(here, 'dist', 'capture-addon.js')], format: 'iife', outfile: join(here, 'dist', 'wiregram-capture.min.js') });
