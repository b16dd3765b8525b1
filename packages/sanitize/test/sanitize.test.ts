import { describe, expect, it } from 'vitest';
import { safeCss, sanitizeSvg, sanitizeSvgHtml, UnsafeRendererOutput } from '@wiregram/sanitize';

describe('sanitizeSvg', () => {
  it('keeps a static diagram: shapes, text, ids, aria, classes, local references, safe CSS', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" id="wg-1" class="wg-diagram" viewBox="0 0 10 10" role="img" aria-labelledby="wg-1-t">' +
      '<title id="wg-1-t">T &amp; U</title><style>#wg-1 .x{fill:var(--wg-fg);marker-end:url(#m)}</style>' +
      '<defs><marker id="m" refX="1" orient="auto"><path d="M0 0L1 1"/></marker></defs>' +
      '<g transform="rotate(-90 5 5)"><line x1="0" y1="0" x2="5" y2="5" stroke-dasharray="4 3" marker-end="url(#m)"/>' +
      '<text x="1" y="2" text-anchor="middle" font-size="12">  a <tspan>b</tspan></text><use href="#m"/></g></svg>';
    expect(sanitizeSvgHtml(svg)).toBe(svg.replace('<path d="M0 0L1 1"/>', '<path d="M0 0L1 1"></path>').replace('marker-end="url(#m)"/>', 'marker-end="url(#m)"></line>').replace('<use href="#m"/>', '<use href="#m"></use>').replace('&amp;', '&#x26;'));
  });

  it('drops what could act: scripts in any case, foreignObject, animation, handlers, outside links', () => {
    const html = sanitizeSvgHtml(
      '<svg onload="x()"><SCRIPT>x()</SCRIPT><foreignobject><p>hi</p></foreignobject><a href="javascript:x()"><animate attributeName="href" values="javascript:x()"/>' +
        '<rect width="1" height="1" ONCLICK="x()"/></a><set attributeName="onclick" to="x()"/><use href="https://e.example/s.svg#a"/><image href="a.png"/></svg>',
    );
    expect(html).toBe('<svg><rect width="1" height="1"></rect><use></use></svg>');
  });

  it('copies a hand-built tree instead of changing it, folding tag names as a parser would', () => {
    const tree = { type: 'element' as const, tagName: 'svg', properties: {}, children: [{ type: 'element' as const, tagName: 'ForeignObject', properties: {}, children: [] }] };
    expect(sanitizeSvg(tree).children).toEqual([]);
    expect(tree.children).toHaveLength(1);
  });

  it('refuses output with no <svg> at all; standalone files close empty elements', () => {
    expect(() => sanitizeSvg('<div><script>x()</script></div>')).toThrow(UnsafeRendererOutput);
    expect(sanitizeSvgHtml('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>', 'svg')).toBe('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" /></svg>');
  });
});

describe('safeCss', () => {
  it('allows plain rules and local url(#id); refuses imports, outside urls, escapes and script hooks', () => {
    expect(safeCss('#a .b{fill:red;marker-end:url(#m)} @media (prefers-color-scheme:dark){#a{--x:#fff}}')).toBe(true);
    for (const bad of ['@import "x.css";', 'a{background:url(http://e.example/x)}', "a{b:url('//e.example')}", 'a{b:u\\72l(x)}', 'a{b:expression(alert(1))}', 'a{b:url(x}'])
      expect(safeCss(bad), bad).toBe(false);
  });
});
