/**
 * markdown-it-wiregram with real markdown-it and a real Marp deck (@marp-team/marp-core): the SVG is in the
 * rendered HTML, ids never repeat within a document, author text stays text, errors point into the document.
 */
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { compile } from '@vue/compiler-dom';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { Marp } from '@marp-team/marp-core';
import { isWiregramError, WiregramError } from '@wiregram/core';
import markdownItWiregram, { escapeHtml, type WiregramBlockError, type WiregramEnv } from 'markdown-it-wiregram';
import { render, renderSvg } from '@wiregram/svg';
import { expectNoActiveMarkup, HANDSHAKE } from './support/markdown.js';


const DOC = `# Page\n\n\`\`\`tcp-sequence title="Handshake"\n${HANDSHAKE}\n\`\`\`\n\n\`\`\`packet-header\ntcp\n\`\`\`\n\n\`\`\`js\nlet a = 1 < 2;\n\`\`\`\n`;

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);

describe('markdown-it', () => {
  it('renders diagram fences as figures with inline SVG, other fences through the previous rule', () => {
    const seen: string[] = [];
    const highlight = (code: string, lang: string): string => (seen.push(lang), `<b class="hl">${escapeHtml(code)}</b>`);
    const md = new MarkdownIt({ highlight }).use(markdownItWiregram);
    const html = md.render(DOC);
    expect(html.match(/<figure class="wiregram wiregram-tcp-sequence"><svg /g)).toHaveLength(1);
    expect(html.match(/<figure class="wiregram wiregram-packet-header"><svg /g)).toHaveLength(1);
    expect(html).toContain('<figcaption>Handshake</figcaption>');
    expect(html).toContain('SYN, ACK, seq=y, ack=x+1');
    expect(html).toContain('<b class="hl">let a = 1 &lt; 2;');
    expect(seen).toEqual(['js']); // the highlighter never sees our languages
  });

  it('numbers ids per document through env, so a page never repeats one and renders are reproducible', () => {
    const md = new MarkdownIt().use(markdownItWiregram);
    const env: { wiregram?: WiregramEnv } = {};
    const html = md.render(DOC + DOC, env);
    const all = ids(html);
    expect(all.length).toBeGreaterThan(4);
    expect(new Set(all).size).toBe(all.length);
    expect(env.wiregram?.count).toBe(4);
    for (const n of [1, 2, 3, 4]) expect(all.some((id) => new RegExp(`^wg-[0-9a-z]{7}-${n}-`).test(id))).toBe(true);
    expect(md.render(DOC + DOC)).toBe(html); // a fresh env starts again at wg-<hash>-1-
  });

  it('draws an error box, reports the document position, and throws with fatal', () => {
    const bad = 'client => server: SYN';
    const doc = `Intro\n\n1. step\n\n   \`\`\`tcp-sequence\n   participant client\n   participant server\n   ${bad}\n   \`\`\`\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\n\`\`\`\n`;
    const line = doc.split('\n').findIndex((l) => l.endsWith(bad)) + 1;
    const reports: WiregramBlockError[] = [];
    const html = new MarkdownIt().use(markdownItWiregram, { onError: (r: WiregramBlockError) => reports.push(r) }).render(doc);
    expect(reports).toHaveLength(1);
    const { position, error } = reports[0]!;
    expect(position?.start.line).toBe(line);
    const docLine = doc.split('\n')[line - 1]!;
    expect(position!.start.column).toBeGreaterThan(3);
    expect(bad.endsWith(docLine.slice(position!.start.column - 1))).toBe(true);
    expect(html).toContain('role="alert"');
    expect(html).toContain(`line ${line}, column ${position!.start.column}`);
    expect(html.match(/<svg /g)).toHaveLength(1); // the next diagram is still drawn
    if (error.hint) expect(html).toContain('Hint: ');

    let thrown: unknown;
    try {
      new MarkdownIt().use(markdownItWiregram, { fatal: true }).render(doc);
    } catch (e) {
      thrown = e;
    }
    expect(isWiregramError(thrown)).toBe(true);
    expect((thrown as WiregramError).line).toBe(line);
  });

  it("collects the core's findings with their document position", () => {
    const doc = `# T\n\n\`\`\`tcp-sequence\n${HANDSHAKE.replace('client -> server: ACK', 'client -> server: ACK ack=y')}\n\`\`\`\n`;
    const env: { wiregram?: WiregramEnv } = {};
    const seen: string[] = [];
    const html = new MarkdownIt().use(markdownItWiregram, { onWarning: (w: { warning: { code: string } }) => seen.push(w.warning.code) }).render(doc, env);
    expect(html).toContain('<svg');
    expect(env.wiregram!.warnings.length).toBeGreaterThanOrEqual(1);
    const { position } = env.wiregram!.warnings[0]!;
    const line = doc.split('\n').findIndex((l) => l.endsWith('ack=y')) + 1;
    expect(position?.start.line).toBe(line);
    expect(doc.split('\n')[line - 1]!.slice(position!.start.column - 1)).toMatch(/^(ack=)?y$/);
    expect(seen).toContain(env.wiregram!.warnings[0]!.warning.code);
  });

  it('takes the findings from the render itself: none from a renderer that returns only the SVG text', () => {
    const block = HANDSHAKE.replace('client -> server: ACK', 'client -> server: ACK ack=y');
    const doc = `# T\n\n\`\`\`tcp-sequence\n${block}\n\`\`\`\n`;
    const textOnly: { wiregram?: WiregramEnv } = {};
    const html = new MarkdownIt().use(markdownItWiregram, { renderer: (src: string, o: object) => renderSvg(src, o) }).render(doc, textOnly);
    expect(html).toContain('<svg');
    expect(textOnly.wiregram!.warnings).toEqual([]); // no second parse behind the renderer's back
    const withResult: { wiregram?: WiregramEnv } = {};
    new MarkdownIt().use(markdownItWiregram, { renderer: (src: string, o: object) => render(src, o) }).render(doc, withResult);
    expect(withResult.wiregram!.warnings.map((w) => w.warning)).toEqual(render(block).warnings);
    expect(withResult.wiregram!.warnings.length).toBeGreaterThanOrEqual(1);
  });

  it('passes darkSelector to the renderer natively and refuses a hostile one when the plugin is set up', () => {
    const seen: Array<Record<string, unknown>> = [];
    const md = new MarkdownIt().use(markdownItWiregram, {
      darkSelector: 'html.dark > body, [data-theme="dark"]',
      renderer: (src: string, o: Record<string, unknown>) => (seen.push(o), render(src, o)),
    });
    const html = md.render('```tcp-sequence\n' + HANDSHAKE + '\n```\n');
    expect(seen[0]).toMatchObject({ darkSelector: 'html.dark > body, [data-theme="dark"]' });
    expect(seen[0]!.darkClass).toBeUndefined();
    // The page stylesheet (written by the plugin, not by the custom renderer) carries the selector.
    const css = /<style class="wiregram-styles">([^<]*)<\/style>/.exec(html)![1]!;
    expect(css).toMatch(/html\.dark (&gt;|>) body \.wg-diagram:not\(\.wg-light\)/);
    // Quotes dropped (the same selector): no quote for a server renderer to escape inside the style text.
    expect(css).toMatch(/\[data-theme=dark\] \.wg-diagram:not\(\.wg-light\)/);
    expect(css).not.toContain('prefers-color-scheme');
    for (const bad of ['}</style><script>alert(1)</script>', '.a{color:red}', '.a /* */'])
      expect(() => new MarkdownIt().use(markdownItWiregram, { darkSelector: bad })).toThrow(WiregramError);
  });

  it('keeps author text as text', () => {
    const hostile = '```tcp-sequence title="\\"onload=alert(1) <script>"\ntitle <script>alert(2)</script>\nparticipant client as "<img src=x onerror=alert(3)>"\nparticipant server\nclient -> server: SYN\n```\n';
    const html = new MarkdownIt().use(markdownItWiregram).render(hostile);
    expect(html).toContain('<svg');
    expectNoActiveMarkup(html);
    expect(html).toContain('&lt;script&gt;');
  });

  it('vue: survives a real Vue template compile (styles kept, {{ }} in labels stays text)', async () => {
    const doc = '```tcp-sequence title="{{ 6 * 7 }}"\ntitle {{ 1 + 1 }}\nparticipant client\nparticipant server\nclient -> server: SYN\n```\n';
    const html = new MarkdownIt().use(markdownItWiregram, { vue: true, darkSelector: "[data-theme='dark']" }).render(doc);
    const problems: string[] = [];
    const { code } = compile(`<div>${html}</div>`, { onError: (e) => problems.push(e.message), onWarn: (e) => problems.push(e.message) });
    expect(problems).toEqual([]); // Vue would drop a plain <style> with a "side effect" error
    expect(code).toContain('_resolveDynamicComponent("style")');
    const ssr = await renderToString(createSSRApp({ template: `<div>${html}</div>` }));
    // Vue's SSR escapes the quote inside the style text; the HTML parser decodes it again (SVG style is not raw text).
    expect(ssr).toMatch(/<style class="wiregram-styles">[^<]*\[data-theme=dark\] \.wg-diagram:not\(\.wg-light\)/);
    expect(ssr).toContain('{{ 1 + 1 }}');
    expect(ssr).toContain('<figcaption>{{ 6 * 7 }}</figcaption>');
    expect(ssr).not.toContain('>42<');
  });
});

describe('Marp (@marp-team/marp-core)', () => {
  const deck = `---\nmarp: true\n---\n\n# TCP\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\n\`\`\`\n\n---\n\n## Header\n\n\`\`\`packet-header\ntcp\n\`\`\`\n\n---\n\n\`\`\`tcp-sequence\ntitle <script>alert(1)</script>\nparticipant a\nparticipant b\na -> b: SYN\n\`\`\`\n`;

  it('renders the SVG into the slides and its sanitisation keeps it', () => {
    const marp = new Marp().use(markdownItWiregram);
    const { html, css } = marp.render(deck);
    const slides = html.split('<section').slice(1);
    expect(slides).toHaveLength(3);
    expect(slides[0]).toMatch(/<figure class="wiregram wiregram-tcp-sequence"><svg [^>]*viewBox="0 0 /);
    expect(slides[0]).toContain('SYN, ACK, seq=y, ack=x+1');
    expect(slides[1]).toContain('<figure class="wiregram wiregram-packet-header"><svg');
    expect(slides[2]).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Marp's own script tag is the only one; the author's stays text.
    expect(html.match(/<script>/g) ?? []).toHaveLength(1);
    const all = ids(html).filter((id) => id.startsWith('wg-'));
    expect(new Set(all).size).toBe(all.length);
    expect(all.some((id) => /^wg-[0-9a-z]{7}-3-/.test(id))).toBe(true);
    expect(css.length).toBeGreaterThan(0);
  });

  it('keeps working with Marp HTML disabled (html: false)', () => {
    const { html } = new Marp({ html: false }).use(markdownItWiregram).render(deck);
    expect(html.match(/<figure class="wiregram wiregram-[a-z-]+"><svg /g)).toHaveLength(3);
  });
});

describe('fence options (parseFenceMeta of @wiregram/core)', () => {
  it('reports an invalid value with a did-you-mean hint and an unknown key as warnings at the fence, and still draws the block', () => {
    const seen: string[] = [];
    const md = new MarkdownIt().use(markdownItWiregram, { onWarning: (w: { warning: { code: string } }) => seen.push(w.warning.code) });
    const env: { wiregram?: WiregramEnv } = {};
    const html = md.render('Intro\n\n```tcp-sequence style=lifelin colour=red\n' + HANDSHAKE + '\n```\n', env);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).not.toContain('role="alert"');
    expect(env.wiregram!.errors).toEqual([]);
    expect(env.wiregram!.warnings.map((w) => [w.warning.code, w.position?.start.line, w.warning.hint])).toEqual([
      ['invalid-meta-value', 3, 'did you mean style=lifeline?'],
      ['unknown-meta-option', 3, null],
    ]);
    expect(env.wiregram!.warnings[0]!.warning.expected).toBe('states, lifeline, flow, stevens, tcptrace, throughput, rtt, window');
    expect(seen).toEqual(['invalid-meta-value', 'unknown-meta-option']);
  });
});
