import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the sources, not dist/, so a test never sees a stale build.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@wiregram\/core$/, replacement: r('packages/core/src/index.ts') },
      { find: /^@wiregram\/core\/errors$/, replacement: r('packages/core/src/errors.ts') },
      { find: /^@wiregram\/core\/node$/, replacement: r('packages/core/src/node.ts') },
      { find: /^@wiregram\/layout$/, replacement: r('packages/layout/src/index.ts') },
      { find: /^@wiregram\/svg\/dom$/, replacement: r('packages/svg/src/dom-entry.ts') },
      { find: /^@wiregram\/svg$/, replacement: r('packages/svg/src/index.ts') },
      { find: /^@wiregram\/sanitize$/, replacement: r('packages/sanitize/src/index.ts') },
      { find: /^@wiregram\/pdf$/, replacement: r('packages/pdf/src/index.ts') },
      { find: /^@wiregram\/png$/, replacement: r('packages/png/src/index.ts') },
      { find: /^remark-wiregram$/, replacement: r('packages/remark-wiregram/src/index.ts') },
      { find: /^markdown-it-wiregram$/, replacement: r('packages/markdown-it-wiregram/src/index.ts') },
      { find: /^@wiregram\/browser$/, replacement: r('packages/browser/src/index.ts') },
      { find: /^@wiregram\/docusaurus$/, replacement: r('packages/docusaurus/src/index.ts') },
      { find: /^@wiregram\/astro$/, replacement: r('packages/astro/src/index.ts') },
      { find: /^@wiregram\/textmate$/, replacement: r('packages/textmate/src/index.ts') },
      { find: /^@wiregram\/cli$/, replacement: r('packages/cli/src/index.ts') },
      { find: /^@wiregram\/vitepress$/, replacement: r('packages/vitepress/src/index.ts') },
      { find: /^@wiregram\/eleventy$/, replacement: r('packages/eleventy/src/index.ts') },
      { find: /^@wiregram\/slidev$/, replacement: r('packages/slidev/src/index.ts') },
      { find: /^@wiregram\/marp$/, replacement: r('packages/marp/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // test/hosts/<host>/ are real sites (with their own node_modules), not tests.
    exclude: [...configDefaults.exclude, 'test/hosts/*/**/*'],
    // Property tests draw fixed inputs unless `pnpm fuzz` asks for fresh ones.
    setupFiles: ['test/support/fast-check-seed.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
