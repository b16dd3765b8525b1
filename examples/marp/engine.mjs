// A Marp engine with wiregram: `npx @marp-team/marp-cli --engine ./examples/marp/engine.mjs examples/lecture-deck.md`
// (add --pdf or --pptx as usual). Diagrams are inline SVG inside the slides; Marp's HTML allowlist does not
// apply to them because they come from a fence renderer, not from raw HTML in the Markdown. Dark slides are
// those with `<!-- class: invert -->`; problems in the log name the deck file (@wiregram/marp finds it).
import { wiregramEngine } from '@wiregram/marp';

export default wiregramEngine();
