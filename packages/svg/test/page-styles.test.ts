/**
 * `styles: 'page'`: diagrams without their own `<style>`, styled by the one page stylesheet. In Node: the default
 * output is unchanged (self-contained), a page diagram differs only by the missing `<style>` (and the pinned
 * theme's class), the sheet has a rule for every role. In Chromium: every element of every example diagram is
 * painted exactly as its self-contained twin, light and dark, under each dark-mode switch.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ROLE_PAINT, type Role } from '@wiregram/layout';
import { WiregramError } from '@wiregram/core';
import { insertFirstChild, pageStylesheet, pageStyleTree, render, renderSvg } from '../src/index.js';
import { browserForFile, htmlPage, pageErrors } from '../../../test/support/chromium.js';
import { exampleBlocks as allExampleBlocks } from '../../../test/support/svg.js';

/** Every diagram block of examples/*.md (all roles: loss, retransmission, timers, notes, headers, …), captures left out. */
const exampleBlocks = () => allExampleBlocks().filter((b) => !/capture /.test(b.source));

const HANDSHAKE = 'participant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK';

describe('styles option (Node)', () => {
  it('leaves the default output as it was: inline is the default, byte for byte', () => {
    for (const theme of ['auto', 'light', 'dark'] as const) {
      const plain = renderSvg(HANDSHAKE, { theme, darkClass: 'dark' });
      expect(renderSvg(HANDSHAKE, { theme, darkClass: 'dark', styles: 'inline' })).toBe(plain);
      expect(plain).toMatch(/<style>#wg-[0-9a-z]{7}\{/);
    }
  });

  it('page: the same diagram, ids and all, without its <style>; a pinned theme becomes a class', () => {
    const inline = render(HANDSHAKE);
    const page = render(HANDSHAKE, { styles: 'page' });
    expect(page.svg).not.toContain('<style');
    expect(page.svg).toBe(inline.svg.replace(/<style>[^<]*<\/style>/, ''));
    expect(page.svg).toMatch(/class="wg-diagram"/);
    expect(render(HANDSHAKE, { styles: 'page', theme: 'dark' }).svg).toMatch(/class="wg-diagram wg-dark"/);
    expect(render(HANDSHAKE, { styles: 'page', theme: 'light' }).svg).toMatch(/class="wg-diagram wg-light"/);
    expect(() => renderSvg(HANDSHAKE, { styles: 'shared' as never })).toThrow(WiregramError);
  });

  it('the page sheet paints every role, switches dark as asked, and is safe to put into any <style>', () => {
    const auto = pageStylesheet();
    for (const role of Object.keys(ROLE_PAINT) as Role[]) expect(auto).toContain(`.wg-diagram .wg-${role}{`);
    expect(auto).toContain('@media (prefers-color-scheme:dark){.wg-diagram:not(.wg-light){');
    expect(auto).toContain('.wg-diagram.wg-dark{');
    const toggled = pageStylesheet({ darkClass: 'dark', darkSelector: "[data-theme='dark'], section.invert" });
    expect(toggled).not.toContain('prefers-color-scheme');
    expect(toggled).toContain('.dark .wg-diagram:not(.wg-light),.wg-diagram:not(.wg-light).dark,[data-theme=dark] .wg-diagram:not(.wg-light),section.invert .wg-diagram:not(.wg-light){');
    for (const css of [auto, toggled]) expect(css).not.toMatch(/[<>&"'\\]/);
    expect(() => pageStylesheet({ darkSelector: '}</style><script>' })).toThrow(WiregramError);
    expect(() => pageStylesheet({ darkClass: 'a b' })).toThrow(WiregramError);
    expect(pageStyleTree()).toEqual({ name: 'style', attrs: [['class', 'wiregram-styles']], children: auto });
  });

  it('insertFirstChild puts the sheet inside the <svg> element, whatever its attributes hold', () => {
    expect(insertFirstChild('<svg a="x>y" b=\'>\'><g/></svg>', '<style>s</style>')).toBe('<svg a="x>y" b=\'>\'><style>s</style><g/></svg>');
    expect(insertFirstChild('<svg viewBox="0 0 1 1"/>', '<style>s</style>')).toBe('<svg viewBox="0 0 1 1"><style>s</style></svg>');
    expect(insertFirstChild('<p>no svg</p>', '<style>s</style>')).toBe('<p>no svg</p>');
  });
});

describe('styles option in Chromium: page-styled diagrams look exactly like self-contained ones', { timeout: 120_000 }, () => {
  const browser = browserForFile();

  /** The computed paint of every element of every diagram on the page, in document order. */
  const paints = (page: Page) =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll('svg.wg-diagram *:not(style)')).map((el) => {
        const s = getComputedStyle(el);
        return `${el.tagName}.${el.getAttribute('class') ?? ''} fill=${s.fill} stroke=${s.stroke} sw=${s.strokeWidth} cap=${s.strokeLinecap} fs=${s.fontSize}`;
      }),
    );

  const blocks = exampleBlocks();
  const cases: Array<{ name: string; options: { darkClass?: string; darkSelector?: string }; dark: (page: Page) => Promise<void> }> = [
    { name: 'media query', options: {}, dark: (page) => page.emulateMedia({ colorScheme: 'dark' }) },
    { name: 'darkClass', options: { darkClass: 'dark' }, dark: (page) => page.evaluate(() => document.documentElement.classList.add('dark')) },
    { name: 'darkSelector', options: { darkSelector: "[data-theme='dark']" }, dark: (page) => page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark')) },
  ];
  for (const { name, options, dark } of cases) {
    it(`${name}: ${blocks.length} example diagrams (and pinned ones), light and dark`, async () => {
      expect(blocks.length).toBeGreaterThan(20);
      const draw = (styles: 'inline' | 'page') =>
        blocks
          .flatMap(({ language, source }, i) => {
            // Every fourth diagram pinned, alternately light and dark: those must not follow the page.
            const theme = i % 4 === 1 ? 'light' : i % 4 === 3 ? 'dark' : 'auto';
            return render(source, { language, theme, styles, idPrefix: `d${i}`, ...options }).svg;
          })
          .join('\n');
      const inline = htmlPage(draw('inline'));
      const page = htmlPage(`<style>${pageStylesheet(options)}</style>` + draw('page'));
      const seen: Record<string, string[][]> = {};
      for (const [kind, html] of [['inline', inline], ['page', page]] as const) {
        const p = await browser().newPage();
        const errors = pageErrors(p);
        await p.setContent(html);
        const light = await paints(p);
        await dark(p);
        const darkPaints = await paints(p);
        seen[kind] = [light, darkPaints];
        expect(errors).toEqual([]);
        await p.close();
      }
      const [light, darkPaints] = seen.page!;
      expect(light!.length).toBeGreaterThan(1000);
      expect(light).toEqual(seen.inline![0]);
      expect(darkPaints).toEqual(seen.inline![1]);
      // The dark state really is different (the switch worked on both).
      expect(darkPaints).not.toEqual(light);
    });
  }
});
