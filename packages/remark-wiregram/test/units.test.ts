import { describe, expect, it } from 'vitest';
import type { Root } from 'hast';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { mapBlockPosition } from '../src/index.js';
import { HAST_BUILDER, svgToHast, svgTreeToHast, SvgSyntaxError } from '../src/svg-to-hast.js';
import { render, renderedTreeWith } from '@wiregram/svg';
import { sanitizeSvg } from '@wiregram/sanitize';
const toHtml = (tree: Root['children'][number]) => unified().use(rehypeStringify).stringify({ type: 'root', children: [tree] });
import { contentHash, publicUrl } from '../src/files.js';

// A hand-written SVG in the renderer's grammar: the converter's input format, not a stand-in for the renderer.
const SVG =
  '<?xml version="1.0"?><!-- made by hand --><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" id="wg-1-root" viewBox="0 0 100 50" role="img" aria-labelledby="wg-1-title">' +
  '<title id="wg-1-title">A &amp; B &lt;script&gt; &#x4E2D;&#25991;</title><style>#wg-1-root .wg-label{fill:var(--wg-fg)} .dark #wg-1-root{--wg-fg:#fff}</style>\n  ' +
  '<g class="wg-segment  wg-lost"><line x1="0" y1="0" x2="10" y2="10" stroke-width="1.25" stroke-dasharray="4 3"/><polygon points="1,2 3,4 5,6"/></g>' +
  "<text x='5' y='6' text-anchor=\"middle\" onload=\"alert(1)\" font-family=\"Noto Sans\">  a  &quot;b&quot; </text>" +
  '<use xlink:href="#wg-1-title"/><a href="javascript:alert(1)"><text>x</text></a><script>alert(1)</script><foreignObject><div>y</div></foreignObject></svg>';

describe('svgToHast', () => {
  const tree = svgToHast(SVG);
  it('builds hast elements with property names and decoded text', () => {
    expect(tree.tagName).toBe('svg');
    expect(tree.properties.viewBox).toBe('0 0 100 50');
    expect(tree.properties.ariaLabelledBy).toEqual(['wg-1-title']);
    const title = tree.children[0]!;
    expect(title.type === 'element' && title.children[0]).toEqual({ type: 'text', value: 'A & B <script> 中文' });
    const g = tree.children.find((c) => c.type === 'element' && c.tagName === 'g');
    expect(g && g.type === 'element' && g.properties.className).toEqual(['wg-segment', 'wg-lost']);
    const line = g && g.type === 'element' ? g.children[0] : undefined;
    expect(line && line.type === 'element' && line.properties.strokeWidth).toBe('1.25');
  });
  it('keeps whitespace inside text, drops formatting whitespace between elements', () => {
    const text = tree.children.find((c) => c.type === 'element' && c.tagName === 'text');
    expect(text && text.type === 'element' && text.children).toEqual([{ type: 'text', value: '  a  "b" ' }]);
    expect(tree.children.some((c) => c.type === 'text')).toBe(false);
  });
  it('drops scripts, foreignObject, event handlers and outside links', () => {
    const html = toHtml(tree);
    expect(html).not.toMatch(/<script|onload|javascript:|foreignObject|<div/i);
    expect(html).toContain('xlink:href="#wg-1-title"');
    expect(html).toContain('text-anchor="middle"');
    expect(html).toContain('stroke-dasharray="4 3"');
    expect(html).toContain('A &#x26; B &#x3C;script>');
    expect(html).toContain('.dark #wg-1-root{--wg-fg:#fff}');
  });
  it('reads malformed markup as a browser would, and refuses markup without an <svg>', () => {
    expect(toHtml(svgToHast('<svg><g></svg>'))).toBe('<svg><g></g></svg>');
    expect(svgToHast('<svg x=1></svg>').properties.x).toBe('1');
    expect(() => svgToHast('<div></div>')).toThrow(/no <svg> element/);
  });
});

describe('mapBlockPosition', () => {
  const pos = (line: number, column: number, endColumn = column + 3) => ({
    start: { line, column, offset: 0 },
    end: { line, column: endColumn, offset: 0 },
  });
  it('shifts lines past the fence and columns past a container indent', () => {
    const doc = 'intro\n\n> - item\n>   ```tcp-sequence\n>   client -> server: SYN\n>   bogus line\n>   ```\n';
    const mapped = mapBlockPosition(pos(2, 1, 6), { text: doc, contentLine: 5, value: 'client -> server: SYN\nbogus line' });
    expect(mapped.start).toEqual({ line: 6, column: 5, offset: doc.indexOf('bogus') });
    expect(doc.slice(mapped.start.offset, mapped.end.offset)).toBe('bogus');
  });
  it('falls back to the fence column without the file text', () => {
    expect(mapBlockPosition(pos(1, 3), { text: '', contentLine: 10, value: 'abcdef', fenceColumn: 4 }).start).toMatchObject({ line: 10, column: 6 });
  });
});

describe('files', () => {
  it('hashes deterministically and joins URLs', () => {
    expect(contentHash('abc')).toBe(contentHash('abc'));
    expect(contentHash('abc')).not.toBe(contentHash('abd'));
    expect(contentHash('x')).toMatch(/^[0-9a-f]{12}$/);
    expect(publicUrl('/wiregram/', 'a.svg')).toBe('/wiregram/a.svg');
    expect(publicUrl('', 'a.svg')).toBe('a.svg');
  });
});

describe('svgTreeToHast', () => {
  const sources: Array<[string, Parameters<typeof render>[1]]> = [
    ['title <script>alert(1)</script> & "q" \u0001\nparticipant client as "客户端 <b>"\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK ack=1\n', {}],
    ['participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\n', { style: 'lifeline', darkSelector: "[data-theme='dark'] > main" }],
    ['tcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000\n', { language: 'packet-header', theme: 'dark' }],
  ];
  it("builds exactly the hast that parsing the renderer's SVG text gives", () => {
    for (const [src, options] of sources) {
      const r = render(src, options);
      expect(svgTreeToHast(r.tree)).toEqual(svgToHast(r.svg));
      // The plugin's path: hast straight from the layout, no element description and no text in between.
      expect(renderedTreeWith(render(src, options), HAST_BUILDER)).toEqual(svgToHast(r.svg));
    }
  });
  it('maps as is (the built-in tree); a custom tree goes through sanitizeSvg: no script, no event handlers, no outside links', () => {
    const tree = {
      name: 'svg',
      attrs: [['id', 'x'], ['onload', 'alert(1)']] as Array<[string, string]>,
      children: [
        { name: 'script', attrs: [], children: 'alert(2)' },
        { name: 'a', attrs: [['href', 'https://evil.example']] as Array<[string, string]>, children: [{ name: 'text', attrs: [], children: ['a', ' <b>'] }] },
        { name: 'foreignObject', attrs: [], children: [] },
      ],
    };
    expect(toHtml(svgTreeToHast(tree))).toMatch(/<script/);
    const html = toHtml(sanitizeSvg(svgTreeToHast(tree)));
    expect(html).not.toMatch(/script|onload|evil|foreignObject/i);
    expect(html).toContain('a &#x3C;b>');
    expect(() => svgTreeToHast({ name: 'g', attrs: [], children: [] })).toThrow(SvgSyntaxError);
  });
});
