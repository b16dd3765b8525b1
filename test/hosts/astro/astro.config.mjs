// An Astro 5 site with @astrojs/mdx; wiregram is the one integration added.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import wiregram from '@wiregram/astro';

export default defineConfig({
  integrations: [mdx(), wiregram()],
});
