// A Starlight docs site as `npm create astro -- --template starlight` sets it up; wiregram is the one
// integration added.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import wiregram from '@wiregram/astro';

export default defineConfig({
  integrations: [
    starlight({
      title: 'wiregram on Starlight',
      sidebar: [{ label: 'Guides', autogenerate: { directory: 'guides' } }],
    }),
    wiregram(),
  ],
});
