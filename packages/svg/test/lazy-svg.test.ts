/**
 * One tree per diagram: `render` builds the element tree and makes the SVG text from it only when `svg` is read
 * (remark-wiregram never reads it), and the page budget counts the text's length from the layout's parts without
 * making it. Both must give exactly what `renderSvg` writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { render, renderSvg } from '../src/index.js';
import { NODES } from './nodes-builder.js';
import { markdownHost } from '../src/host.js';
import { svgLengthOf } from '../src/render.js';
import { serialize } from '../src/xml.js';

const examples = new URL('../../../examples/', import.meta.url);
/** Every block of every example (language, source). */
function blocks(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of readdirSync(examples).filter((n) => n.endsWith('.md'))) {
    const md = readFileSync(new URL(f, examples), 'utf8');
    for (const m of md.matchAll(/^```(tcp-sequence|packet-header)[^\n]*\n([\s\S]*?)^```/gm)) out.push([m[1]!, m[2]!]);
  }
  return out;
}

describe('render: the SVG text from the one tree', () => {
  it('is byte-identical to renderSvg for every example block, in every theme, and its length is counted without it', () => {
    let n = 0;
    for (const [language, source] of blocks()) {
      for (const theme of ['auto', 'light', 'dark'] as const) {
        let expected: string;
        try {
          expected = renderSvg(source, { language: language as 'tcp-sequence', theme });
        } catch {
          continue; // examples that show an error box
        }
        const r = render(source, { language: language as 'tcp-sequence', theme });
        expect(svgLengthOf(r)).toBe(expected.length);
        expect(r.svg).toBe(expected);
        expect(serialize(r.tree)).toBe(expected);
        // A tree host (remark): its tree and the page budget's byte count come from one pass. The count is exact:
        // a budget of the text's length holds the diagram, one byte less does not.
        const options = { language: language as 'tcp-sequence', theme, idPrefix: 'p-', styles: 'inline' as const };
        const text = renderSvg(source, options);
        const drawn = markdownHost({ maxPageBytes: text.length }, new Set(), 'tree').renderTree(source, options, NODES);
        expect(serialize(drawn.tree!)).toBe(text);
        expect(() => markdownHost({ maxPageBytes: text.length - 1 }, new Set(), 'tree').renderTree(source, options, NODES)).toThrow(/maxPageBytes/);
        n++;
      }
    }
    expect(n).toBeGreaterThan(60);
  });

  it('counts escaped text and attributes exactly', () => {
    // Author text with every character the writer escapes, in the title, a participant name, a note and labels.
    const source = 'title A < B & "C" > \'d\'\nparticipant client as "c<&>"\nparticipant server\nclient -> server: SYN\nnote over client: 1 < 2 & "3"\nserver -> client: SYN, ACK\n';
    for (const steps of [false, true]) {
      const options = { steps, idPrefix: 'e-', language: 'tcp-sequence' as const, styles: 'inline' as const };
      const text = renderSvg(source, options);
      expect(text.match(/&(lt|gt|amp|quot);/g)!.length).toBeGreaterThan(10);
      // Counted before the text is made, and in the tree host's one pass.
      expect(svgLengthOf(render(source, options))).toBe(text.length);
      expect(() => markdownHost({ maxPageBytes: text.length }, new Set(), 'tree').renderTree(source, options, NODES)).not.toThrow();
      expect(() => markdownHost({ maxPageBytes: text.length - 1 }, new Set(), 'tree').renderTree(source, options, NODES)).toThrow(/maxPageBytes/);
    }
    expect(svgLengthOf('<svg/>')).toBe(6);
    expect(svgLengthOf({ svg: '<svg></svg>' })).toBe(11);
  });
});
