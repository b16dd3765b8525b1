// VitePress with wiregram: `npm install -D vitepress @wiregram/vitepress`, then `npx vitepress build examples/vitepress`.
// The same one line as test/hosts/vitepress (built there from npm on every test run).
import { defineConfig } from 'vitepress';
import { withWiregram } from '@wiregram/vitepress';

export default withWiregram(
  defineConfig({
    title: 'wiregram × VitePress',
    description: 'TCP diagrams from Markdown',
  }),
);
