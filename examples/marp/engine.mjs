// A Marp engine with wiregram: `npx @marp-team/marp-cli --engine ./examples/marp/engine.mjs examples/lecture-deck.md`
// (add --pdf or --pptx as usual). Diagrams are inline SVG inside the slides; Marp's HTML allowlist does not
// apply to them because they come from a fence renderer, not from raw HTML in the Markdown.
import markdownItWiregram from 'markdown-it-wiregram';

export default ({ marp }) =>
  marp.use(markdownItWiregram, {
    // Slides are light unless a slide says `<!-- class: invert -->`: follow that, not the OS setting.
    darkSelector: 'section.invert',
  });
