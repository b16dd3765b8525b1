// VitePress with wiregram: `npm install vitepress markdown-it-wiregram`, then `npx vitepress build examples/vitepress`.
import { defineConfig } from 'vitepress';
import { useWiregram } from './wiregram.mjs';

export default defineConfig({
  title: 'wiregram × VitePress',
  description: 'TCP diagrams from Markdown',
  markdown: {
    config: (md) => useWiregram(md),
  },
});
