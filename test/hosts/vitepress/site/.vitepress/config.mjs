// The VitePress site of test/hosts/vitepress: the recipe of docs/recipes/vitepress.md, one line.
import { defineConfig } from 'vitepress';
import { withWiregram } from '@wiregram/vitepress';

export default withWiregram(
  defineConfig({
    title: 'wiregram host test',
    // Local search renders every page a second time (for its index): reports must still appear once.
    themeConfig: { search: { provider: 'local' } },
  }),
);
