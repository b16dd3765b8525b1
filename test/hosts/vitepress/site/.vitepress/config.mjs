// The VitePress site of test/hosts/vitepress: the recipe of docs/recipes/vitepress.md, one line.
import { defineConfig } from 'vitepress';
import { withWiregram } from '@wiregram/vitepress';

export default withWiregram(
  defineConfig({
    title: 'wiregram host test',
    // No favicon request (a 404 would show up as a console error in the page checks).
    head: [['link', { rel: 'icon', href: 'data:,' }]],
    // Local search renders every page a second time (for its index): reports must still appear once.
    themeConfig: { search: { provider: 'local' } },
  }),
);
