// The Marp engine of docs/recipes/marp.md (a copy of examples/marp/engine.mjs): `marp --engine ./engine.mjs good.md`.
import markdownItWiregram from 'markdown-it-wiregram';

export default ({ marp }) =>
  marp.use(markdownItWiregram, {
    // Slides are light unless a slide says `<!-- class: invert -->`: follow that, not the OS setting.
    darkSelector: 'section.invert',
  });
