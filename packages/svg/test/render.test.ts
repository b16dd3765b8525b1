/**
 * `render(source, options)`: the SVG plus the core's warnings, title and size from one parse; and the native
 * `darkSelector` option. Assertions are on the parsed SVG and the positions a host would show.
 */
import { WiregramError } from '@wiregram/core';
import { layoutSource, layoutSourceWithModel } from '@wiregram/layout';
import { checkDarkSelector, render, renderSvg, sceneToSvg } from '@wiregram/svg';
import { describe, expect, it } from 'vitest';
import { elements, parseSvg, viewBox } from '../../../test/support/svg.js';

const OVERRIDE = 'title Override\nparticipant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK ack=y\n';
const CLEAN = OVERRIDE.replace(' ack=y', '');
// Version nibble 5 in an IPv4 header: decoded anyway, with a warning on the bytes line.
const BAD_IPV4 = 'ipv4\nbytes 5500 0014 0000 4000 4006 0000 7f00 0001 7f00 0001\n';

const style = (svg: string) => elements(parseSvg(svg), 'style')[0]!.textContent!;

describe('render: SVG, warnings, title and size from one parse', () => {
  it('returns exactly the SVG renderSvg returns, for both languages and with options', () => {
    for (const [src, options] of [
      [OVERRIDE, {}],
      [CLEAN, { style: 'lifeline', labelStyle: 'wireshark', idPrefix: 'f-1-' }],
      ['tcp\n', { language: 'packet-header' }],
      [BAD_IPV4, { language: 'packet-header', theme: 'dark' }],
    ] as const) {
      expect(render(src, options).svg).toBe(renderSvg(src, options));
    }
  });

  it('reports an accepted override as a warning positioned on the override in the block', () => {
    const r = render(OVERRIDE);
    expect(r.warnings.length).toBeGreaterThanOrEqual(1);
    const w = r.warnings[0]!;
    expect(w.code).toMatch(/^[a-z][a-z0-9-]+$/);
    expect(w.reason).toMatch(/ack=y/);
    const line = OVERRIDE.split('\n')[w.position!.start.line - 1]!;
    expect(line).toBe('client -> server: ACK ack=y');
    expect(OVERRIDE.slice(w.position!.start.offset, w.position!.end.offset)).toMatch(/^(ack=)?y$/);
    expect(render(CLEAN).warnings).toEqual([]);
  });

  it('reports a packet-header decoding finding on the bytes line', () => {
    const r = render(BAD_IPV4, { language: 'packet-header' });
    expect(r.language).toBe('packet-header');
    expect(r.warnings.map((w) => w.code)).toContain('ipv4-bad-version');
    expect(r.warnings.find((w) => w.code === 'ipv4-bad-version')!.position!.start.line).toBe(2);
    expect(render('tcp\n', { language: 'packet-header' }).warnings).toEqual([]);
  });

  it('gives the <title> text and the viewBox size', () => {
    const r = render(OVERRIDE);
    const doc = parseSvg(r.svg);
    expect(r.title).toBe('Override');
    expect(elements(doc, 'title')[0]!.textContent).toBe(r.title);
    const vb = viewBox(doc);
    expect([r.width, r.height]).toEqual([vb.width, vb.height]);
    expect(r.width).toBeGreaterThan(100);
    // Author text in the title is returned as text (escaped only inside the SVG).
    const hostile = render(CLEAN.replace('title Override', 'title <b>&"x"</b>'));
    expect(hostile.title).toBe('<b>&"x"</b>');
    expect(elements(parseSvg(hostile.svg), 'title')[0]!.textContent).toBe(hostile.title);
    // Untitled diagrams get the generated accessible name.
    const untitled = render(CLEAN.replace('title Override\n', ''));
    expect(untitled.title).toMatch(/client/);
    expect(elements(parseSvg(untitled.svg), 'title')[0]!.textContent).toBe(untitled.title);
  });

  it('throws WiregramError for bad input, as renderSvg does', () => {
    let err: unknown;
    try {
      render('participant client\nparticipant server\nclient => server: SYN\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WiregramError);
    expect((err as WiregramError).line).toBe(3);
    expect(() => render(null as unknown as string)).toThrow(WiregramError);
    expect(() => render('tcp\n', { language: 'nope' as 'tcp-sequence' })).toThrow(WiregramError);
  });

  it('layoutSourceWithModel draws the same scene as layoutSource and hands over the model', () => {
    for (const [src, options] of [
      [OVERRIDE, { style: 'flow' }],
      ['udp\n', { language: 'packet-header', ruler: true }],
    ] as const) {
      const laid = layoutSourceWithModel(src, options);
      expect(laid.scene).toEqual(layoutSource(src, options));
      expect(laid.model.warnings).toEqual(laid.warnings);
    }
  });
});

describe('darkSelector', () => {
  it('switches to the dark palette under an ancestor selector instead of the media query', () => {
    const css = style(render(CLEAN, { idPrefix: 'd1', darkSelector: "[data-theme='dark']" }).svg);
    expect(css).not.toContain('@media');
    // Written without quotes (the same selector): a server renderer may escape a quote inside <style> text.
    const darkRule = /\[data-theme=dark\] #d1\{([^}]*)\}/.exec(css);
    expect(darkRule).not.toBeNull();
    const bg = (decls: string) => /--wg-bg:([^;]+);/.exec(decls)![1];
    expect(bg(darkRule![1]!)).not.toBe(bg(/^#d1\{([^}]*)\}/.exec(css)![1]!));
  });

  it('accepts a selector list and combines with darkClass', () => {
    const css = style(render(CLEAN, { idPrefix: 'd2', darkSelector: 'html.dark > body, :root[data-mode="night"]', darkClass: 'dk' }).svg);
    expect(css).toContain('.dk #d2,#d2.dk,html.dark > body #d2,:root[data-mode=night] #d2{--wg-bg:');
  });

  it('is ignored when the theme is pinned, and changes the default id', () => {
    expect(style(render(CLEAN, { idPrefix: 'd3', theme: 'light', darkSelector: '.x' }).svg)).not.toContain('.x');
    const id = (svg: string) => parseSvg(svg).documentElement!.getAttribute('id');
    expect(id(renderSvg(CLEAN, { darkSelector: '.x' }))).not.toBe(id(renderSvg(CLEAN)));
  });

  it('refuses text that could leave the stylesheet, with a WiregramError', () => {
    const hostile = [
      '}body{display:none',
      '</style><script>alert(1)</script>',
      'a;b',
      '@import url(x)',
      'a\\7d body',
      '.a /* x */',
      '.a */ .b',
      '[data-x="unterminated',
      "[data-x='a']]",
      '(.a',
      '.a,,.b',
      '.a\n{',
      ' ',
    ];
    for (const bad of hostile) {
      expect(() => checkDarkSelector(bad), bad).toThrow(WiregramError);
      expect(() => renderSvg(CLEAN, { darkSelector: bad }), bad).toThrow(WiregramError);
    }
    expect(() => sceneToSvg({ width: 10, height: 10, title: 't', description: '', fontFamily: 'x', items: [], steps: 0 } as never, { darkSelector: '}' })).toThrow(
      /darkSelector/,
    );
  });

  it('accepts the selectors sites use', () => {
    expect(checkDarkSelector("[data-theme='dark']")).toEqual(["[data-theme='dark']"]);
    expect(checkDarkSelector('html.dark')).toEqual(['html.dark']);
    expect(checkDarkSelector('section.invert, .theme-dark')).toEqual(['section.invert', '.theme-dark']);
    expect(checkDarkSelector(':is(.a, .b) > .c')).toEqual([':is(.a, .b) > .c']);
  });
});
