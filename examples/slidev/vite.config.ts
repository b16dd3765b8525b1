// Slidev with wiregram: `npm install @slidev/cli markdown-it-wiregram`, then `npx slidev slides.md`.
import { defineConfig } from 'vite';
import { useWiregram } from './setup/wiregram.mjs';

export default defineConfig({
  slidev: {
    markdown: {
      markdownItSetup(md) {
        useWiregram(md);
      },
    },
  },
});
