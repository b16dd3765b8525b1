import { WiregramError } from '@wiregram/core';
import { layoutHeader, type Scene, type SceneItem, type SceneText } from '@wiregram/layout';
import { describeScene, renderSvg, sceneToSvg, serialize } from '@wiregram/svg';
import { createSVGWindow } from 'svgdom';
import { registerWindow } from '@svgdotjs/svg.js';
import { describe, expect, it } from 'vitest';
import { elements, ids, overlaps, parseSvg, styleOf, textBoxes, unsafeParts, viewBox } from '../../../test/support/svg.js';
import { ipv6Model, seedTcpModel, tcpModel, tcpSynModel } from '../../layout/test/fixtures/header-models.js';
import { sceneToSvgElement } from '../src/dom-entry.js';

const HOSTILE = `<script>alert("x")</script> & 'q' ]]> <![CDATA[ x ]]>`;

function text(t: string, x: number, y: number, extra: Partial<SceneText> = {}): SceneText {
  return { type: 'text', role: 'label', step: 0, x, y, text: t, fontSize: 12, fontWeight: 'normal', anchor: 'start', rotate: 0, width: 100, ascent: 10, descent: 2, ...extra };
}

/** A small timing-like scene with author text in every place author text can go. */
function hostileScene(): Scene {
  const items: SceneItem[] = [
    { type: 'rect', role: 'background', step: 0, x: 0, y: 0, width: 400, height: 200, rx: 0 },
    { type: 'rect', role: 'state-box', step: 0, x: 10, y: 10, width: 80, height: 24, rx: 4 },
    { type: 'line', role: 'segment', step: 1, x1: 50, y1: 40, x2: 350, y2: 90.123456 },
    { type: 'polygon', role: 'arrowhead', step: 1, points: [[350, 90], [340, 84], [341, 95]] },
    { type: 'polyline', role: 'timer', step: 2, points: [[20, 100], [14, 100], [14, 180], [20, 180]], dash: [4, 2] },
    { type: 'rect', role: 'note-box', step: 0, x: 100, y: 150, width: 200, height: 30, rx: 0, color: 'red" onload="alert(1)' },
    { type: 'rect', role: 'field-box', step: 0, x: 300, y: 150, width: 90, height: 30, rx: 0, color: '#ffcc00' },
    text(HOSTILE, 60, 60),
    text('客户端 \u0001 bad\ud800char', 20, 28, { role: 'state' }),
    text('FIN', 200, 120, { rotate: -90, anchor: 'middle', fontWeight: 'bold' }),
    text('elided…', 120, 170, { role: 'note', title: `full ${HOSTILE}` }),
  ];
  return { width: 400, height: 200, title: `Title ${HOSTILE}`, description: `Desc ${HOSTILE}`, fontFamily: `'Noto Sans SC", sans-serif`, items, steps: 2 };
}

describe('sceneToSvg: output contract', () => {
  const svg = sceneToSvg(hostileScene());
  const doc = parseSvg(svg);
  const root = doc.documentElement!;

  it('is one root <svg> with viewBox, size, role and accessible name/description', () => {
    expect(root.nodeName).toBe('svg');
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(viewBox(doc)).toEqual({ x: 0, y: 0, width: 400, height: 200 });
    expect(root.getAttribute('width')).toBe('400');
    expect(root.getAttribute('height')).toBe('200');
    expect(root.getAttribute('role')).toBe('img');
    const title = doc.getElementById(root.getAttribute('aria-labelledby')!)!;
    const desc = doc.getElementById(root.getAttribute('aria-describedby')!)!;
    expect(title.nodeName).toBe('title');
    expect(title.textContent).toBe(`Title ${HOSTILE}`);
    expect(desc.nodeName).toBe('desc');
    expect(desc.textContent).toBe(`Desc ${HOSTILE}`);
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
  });

  it('escapes hostile author text: it comes back as text, never as markup', () => {
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<![CDATA[');
    expect(svg).not.toContain(']]>');
    const texts = elements(doc, 'text').map((t) => t.textContent);
    expect(texts).toContain(HOSTILE);
    expect(unsafeParts(doc)).toEqual([]);
    // The rejected colour never reaches an attribute; the valid one is tinted over the theme background.
    expect(svg).not.toContain('onload');
    const field = elements(doc, 'rect').find((r) => r.getAttribute('class') === 'wg-field-box')!;
    expect(field.getAttribute('style')).toBe('fill:#ffcc00;fill:color-mix(in srgb,#ffcc00 30%,var(--wg-bg))');
  });

  it('replaces characters XML forbids instead of producing an unparsable file', () => {
    const state = elements(doc, 'text').find((t) => t.getAttribute('class') === 'wg-state')!;
    expect(state.textContent).toBe('客户端 \ufffd bad\ufffdchar');
  });

  it('keeps the full text of an elided label as a tooltip', () => {
    const note = elements(doc, 'text').find((t) => t.getAttribute('class') === 'wg-note')!;
    expect(elements(note, 'title')[0]!.textContent).toBe(`full ${HOSTILE}`);
  });

  it('prefixes every id with the diagram id, uniquely, and never uses svg.js ids', () => {
    const all = ids(doc);
    const prefix = root.getAttribute('id')!;
    expect(prefix).toMatch(/^wg-[0-9a-z]{7}$/);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id.startsWith(prefix)).toBe(true);
    expect(svg).not.toMatch(/svgjs/i);
  });

  it('maps roles to wg-<role> classes, rotation to a transform, typography and dashes to style declarations', () => {
    const classes = elements(doc)
      .map((e) => e.getAttribute('class'))
      .filter(Boolean);
    expect(classes).toEqual(expect.arrayContaining(['wg-diagram', 'wg-background', 'wg-state-box', 'wg-segment', 'wg-arrowhead', 'wg-timer', 'wg-label', 'wg-state']));
    const fin = elements(doc, 'text').find((t) => t.textContent === 'FIN')!;
    expect(fin.getAttribute('transform')).toBe('rotate(-90 200 120)');
    expect(styleOf(fin, 'text-anchor')).toBe('middle');
    expect(styleOf(fin, 'font-weight')).toBe('bold');
    expect(styleOf(fin, 'font-size')).toBe('12px');
    expect(styleOf(elements(doc, 'polyline')[0]!, 'stroke-dasharray')).toBe('4 2');
  });

  it('writes no presentation attribute a utility-CSS engine would read as a utility (UnoCSS/Tailwind attributify)', () => {
    // Slidev's UnoCSS turned `font-size="14"` into `font-size:3.5rem` and would do the same to dashes and weights.
    const presentational = /^(font-|text-|stroke|fill|opacity|letter-|word-|dominant-|alignment-)/;
    for (const e of elements(doc)) for (const a of Array.from(e.attributes)) expect(a.name, `<${e.tagName} ${a.name}>`).not.toMatch(presentational);
    expect(styleOf(root, 'font-family')).toBe('sans-serif');
    expect(elements(doc, 'line')[0]!.getAttribute('y2')).toBe('90.12');
  });

  it('is byte-identical for the same input, and different diagrams get different ids', () => {
    expect(sceneToSvg(hostileScene())).toBe(svg);
    const other = hostileScene();
    other.title = 'another diagram';
    const otherDoc = parseSvg(sceneToSvg(other));
    expect(otherDoc.documentElement!.getAttribute('id')).not.toBe(root.getAttribute('id'));
    // The theme is part of the identity too: two themes of one diagram on a page must not share rules.
    expect(parseSvg(sceneToSvg(hostileScene(), { theme: 'dark' })).documentElement!.getAttribute('id')).not.toBe(root.getAttribute('id'));
  });

  it('honours idPrefix and rejects prefixes that are not ids', () => {
    const d = parseSvg(sceneToSvg(hostileScene(), { idPrefix: 'fig-3' }));
    expect(ids(d)).toEqual(['fig-3', 'fig-3-title', 'fig-3-desc']);
    expect(() => sceneToSvg(hostileScene(), { idPrefix: 'a b"<' })).toThrow(WiregramError);
    expect(() => sceneToSvg(hostileScene(), { darkClass: 'x{}' })).toThrow(WiregramError);
    expect(() => sceneToSvg(hostileScene(), { theme: 'sepia' as 'dark' })).toThrow(WiregramError);
  });

  it('reports a broken scene as a WiregramError, not a TypeError', () => {
    const s = hostileScene();
    (s.items[2] as { x1: number }).x1 = Number.NaN;
    expect(() => sceneToSvg(s)).toThrow(WiregramError);
  });
});

describe('sceneToSvg: themes', () => {
  const style = (svg: string) => elements(parseSvg(svg), 'style')[0]!.textContent!;
  it('auto: light colours, dark ones under prefers-color-scheme, scoped to the diagram id', () => {
    const svg = sceneToSvg(hostileScene(), { idPrefix: 'd1' });
    const css = style(svg);
    expect(css).toMatch(/^#d1\{[^}]*--wg-bg:#[0-9a-f]{6};[^}]*--wg-fg:/);
    expect(css).toContain('@media (prefers-color-scheme:dark){#d1{');
    expect(css).toContain('#d1 .wg-segment{fill:none;stroke:var(--wg-line)');
    // Every rule is scoped: nothing can restyle the rest of the page.
    for (const rule of css.replace(/@media[^{]*\{/, '').split('}').filter((r) => r.trim())) expect(rule.trim().startsWith('#d1') || rule.includes(' #d1')).toBe(true);
  });
  it('darkClass: a class on an ancestor switches, no media query', () => {
    const css = style(sceneToSvg(hostileScene(), { idPrefix: 'd2', darkClass: 'dark' }));
    expect(css).toContain('.dark #d2,#d2.dark{--wg-bg:');
    expect(css).not.toContain('@media');
  });
  it('light and dark pin one palette', () => {
    const light = style(sceneToSvg(hostileScene(), { idPrefix: 'd3', theme: 'light' }));
    const dark = style(sceneToSvg(hostileScene(), { idPrefix: 'd3', theme: 'dark' }));
    expect(light).not.toContain('@media');
    expect(dark).not.toContain('@media');
    const bg = (css: string) => /--wg-bg:([^;]+);/.exec(css)![1];
    expect(bg(light)).not.toBe(bg(dark));
  });
});

describe('sceneToSvg on real header layouts', () => {
  for (const [name, m] of [
    ['tcp with ruler and offsets', tcpModel({ ruler: true, offsets: true, title: 'TCP header' })],
    ['decoded tcp SYN', tcpSynModel()],
    ['seed figure (Chinese labels)', seedTcpModel()],
    ['ipv6 (fields over several rows)', ipv6Model({ offsets: true })],
  ] as const) {
    it(`${name}: texts inside the viewBox, none overlapping, all field names present`, () => {
      const svg = sceneToSvg(layoutHeader(m));
      const doc = parseSvg(svg);
      const vb = viewBox(doc);
      const boxes = textBoxes(doc);
      expect(boxes.length).toBeGreaterThan(5);
      for (const b of boxes) {
        expect(b.x1, b.text).toBeGreaterThanOrEqual(vb.x);
        expect(b.y1, b.text).toBeGreaterThanOrEqual(vb.y);
        expect(b.x2, b.text).toBeLessThanOrEqual(vb.x + vb.width);
        expect(b.y2, b.text).toBeLessThanOrEqual(vb.y + vb.height);
      }
      expect(overlaps(boxes).map(([a, b]) => `${a.text} × ${b.text}`)).toEqual([]);
      // Each field is readable somewhere: its name, short form, stacked letters or tooltip.
      const visible = boxes.map((b) => b.text).join('|');
      const tooltips = boxes.map((b) => b.title ?? '').join('|');
      for (const f of m.fields) {
        const letters = Array.from(f.short ?? f.name).join('|');
        const shown = visible.includes(f.name) || (f.short !== null && visible.includes(f.short)) || visible.includes(letters) || tooltips.includes(f.name);
        expect(shown, f.name).toBe(true);
      }
      expect(unsafeParts(doc)).toEqual([]);
    });
  }
});

describe('hostile text through the header layout', () => {
  it('field names, values and the title stay text', () => {
    const m = tcpSynModel({ title: `T ${HOSTILE}` });
    m.fields[0]!.name = `<script>alert(1)</script>`;
    m.fields[0]!.short = null;
    m.fields[1]!.value = `]]>&"'<b>`;
    const svg = sceneToSvg(layoutHeader(m));
    const doc = parseSvg(svg);
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(unsafeParts(doc)).toEqual([]);
    const texts = elements(doc, 'text').map((t) => t.textContent ?? '');
    expect(texts.some((t) => t.includes('<script>'))).toBe(true);
    expect(texts).toContain(`]]>&"'<b>`);
    expect(elements(doc, 'title')[0]!.textContent).toBe(`T ${HOSTILE}`);
    expect(svg).not.toContain(']]>');
  });
});

describe('DOM path (svg.js) draws the same markup as the string path', () => {
  it('the string is exactly the serialized description', () => {
    for (const scene of [hostileScene(), layoutHeader(tcpSynModel())]) expect(serialize(describeScene(scene))).toBe(sceneToSvg(scene));
  });

  it('agrees element by element, attribute by attribute', () => {
    const window = createSVGWindow();
    registerWindow(window, window.document);
    const scenes = [hostileScene(), layoutHeader(tcpSynModel())];
    for (const scene of scenes) {
      const host = window.document.createElement('div');
      window.document.documentElement.appendChild(host);
      const el = sceneToSvgElement(scene, host as unknown as Element, { idPrefix: 'same' });
      const fromDom = parseSvg((el as unknown as { outerHTML: string }).outerHTML.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" '));
      const fromString = parseSvg(sceneToSvg(scene, { idPrefix: 'same' }));
      const canon = (e: import('@xmldom/xmldom').Element): unknown => ({
        name: e.nodeName,
        attrs: Array.from(e.attributes)
          .filter((a) => a.name !== 'xmlns')
          .map((a) => `${a.name}=${a.value}`),
        children: Array.from(e.childNodes).map((c) => (c.nodeType === 3 ? c.nodeValue : canon(c as import('@xmldom/xmldom').Element))),
      });
      expect(canon(fromDom.documentElement!)).toEqual(canon(fromString.documentElement!));
      expect(describeScene(scene, { idPrefix: 'same' }).name).toBe('svg');
      expect((el as unknown as { outerHTML: string }).outerHTML).not.toMatch(/svgjs/i);
    }
  });
});

describe('renderSvg: text → SVG', () => {
  const HANDSHAKE = 'title TCP 三次握手\nparticipant client as 客户端\nparticipant server as 服务端\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';

  it('draws the handshake with the computed labels and states', () => {
    const svg = renderSvg(HANDSHAKE, { language: 'tcp-sequence' });
    const doc = parseSvg(svg);
    const texts = elements(doc, 'text').map((t) => t.textContent);
    for (const label of ['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1', 'SYN_SENT', 'SYN_RCVD', 'LISTEN', '客户端', '服务端'])
      expect(texts).toContain(label);
    expect(elements(doc, 'title')[0]!.textContent).toBe('TCP 三次握手');
    expect(unsafeParts(doc)).toEqual([]);
    expect(renderSvg(HANDSHAKE, { language: 'tcp-sequence' })).toBe(svg);
  });

  it('gives different diagrams different ids, and the same diagram the same ids', () => {
    const id = (svg: string) => parseSvg(svg).documentElement!.getAttribute('id');
    const a = renderSvg(HANDSHAKE);
    expect(id(renderSvg(HANDSHAKE))).toBe(id(a));
    expect(id(renderSvg(HANDSHAKE.replace('isn client=x', 'isn client=a')))).not.toBe(id(a));
    expect(id(renderSvg(HANDSHAKE, { style: 'lifeline' }))).not.toBe(id(a));
    expect(id(renderSvg('tcp\n', { language: 'packet-header' }))).not.toBe(id(renderSvg('udp\n', { language: 'packet-header' })));
  });

  it('reports bad input as a WiregramError with a position', () => {
    let err: unknown;
    try {
      renderSvg('participant client\nparticipant server\nclient => server: SYN\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WiregramError);
    expect((err as WiregramError).line).toBe(3);
    expect(() => renderSvg('nosuchprotocol\n', { language: 'packet-header' })).toThrow(WiregramError);
    expect(() => renderSvg(42 as unknown as string)).toThrow(WiregramError);
  });
});
