import { WiregramError } from '@wiregram/core';
import { describe, expect, it } from 'vitest';
import { checkDarkSelector, escapeHtml, placeInDocument, vueSafe } from '../src/index.js';

describe('placeInDocument', () => {
  const pos = (line: number, column: number, end = column + 4) => ({ start: { line, column, offset: 0 }, end: { line, column: end, offset: 0 } });
  it('maps block lines after the fence and shifts columns by the container indent', () => {
    const doc = 'a\n\n> 1. item\n>\n>    ```tcp-sequence\n>    participant client\n>    bogus here\n>    ```\n';
    // markdown-it: map[0] is the fence line (0-based), content has the indent removed.
    const mapped = placeInDocument(pos(2, 1, 6), [4, 8], 'participant client\nbogus here\n', doc)!;
    expect(mapped.start.line).toBe(7);
    expect(mapped.start.column).toBe(6);
    expect(doc.slice(mapped.start.offset, mapped.end.offset)).toBe('bogus');
  });
  it('points at the fence when the error has no position', () => {
    expect(placeInDocument(null, [9, 12], 'x\n', null)?.start).toEqual({ line: 10, column: 1, offset: 0 });
  });
});

describe('vueSafe', () => {
  it('turns <style> into a dynamic component and braces outside it into references', () => {
    const out = vueSafe('<svg><style>#a{fill:red}</style><text>{{ x }}</text></svg>');
    expect(out).toBe('<svg><component is="style">#a{fill:red}</component><text>&#123;&#123; x &#125;&#125;</text></svg>');
  });
});

describe('checkDarkSelector / escapeHtml', () => {
  it('accepts selectors and refuses ones that could leave the stylesheet', () => {
    expect(checkDarkSelector("[data-theme='dark']")).toBe("[data-theme='dark']");
    expect(checkDarkSelector('section.invert')).toBe('section.invert');
    for (const bad of ['}body{display:none', '</style><script>', 'a;b', '@import x', 'a\\7d', '.a/**/', "[x='y"]) expect(() => checkDarkSelector(bad)).toThrow(WiregramError);
  });
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('vueSafe: the error box code frame', () => {
  it("keeps its lines and alignment through Vue's whitespace condensing (as <br> and no-break spaces)", async () => {
    const { compile } = await import('@vue/compiler-dom');
    const out = vueSafe('<figure><div class="wiregram-error-frame" style="white-space:pre">  12 | a -&gt; b\n&gt; 13 | {x}\n     | ^^</div></figure>');
    expect(out).toContain('<br>');
    const { code } = compile(out);
    // The compiled render function still has both line breaks and the two leading spaces of the first line.
    expect(code.match(/"br"/g)).toHaveLength(2);
    expect(code).toContain('\u00a0\u00a012\u00a0|\u00a0a\u00a0->\u00a0b');
  });
});
