/**
 * remark-wiregram in real pipelines: unified + remark-parse + remark-rehype + rehype-stringify (processSync, no
 * allowDangerousHtml), and @mdx-js/mdx compiled and run with React. Assertions are on what a reader gets: the
 * figure, the SVG's texts and ids, the messages a build log shows.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { VFile } from 'vfile';
import { compileSync, evaluateSync } from '@mdx-js/mdx';
import * as runtime from 'react/jsx-runtime';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import remarkWiregram, { type RemarkWiregramOptions } from 'remark-wiregram';
import { WiregramError } from '@wiregram/core';
import { render, renderSvg } from '@wiregram/svg';
import { expectNoActiveMarkup, HANDSHAKE } from './support/markdown.js';


const PAGE = `# Handshakes

\`\`\`tcp-sequence title="Three-way handshake"
${HANDSHAKE}
\`\`\`

Some text between.

\`\`\`packet-header The TCP header
tcp
\`\`\`

\`\`\`js
console.log('not a diagram')
\`\`\`

- a list item holding a diagram:

  \`\`\`tcp-sequence
  ${HANDSHAKE.split('\n').join('\n  ')}
  \`\`\`
`;

function pipeline(options: RemarkWiregramOptions = {}) {
  return unified().use(remarkParse).use(remarkWiregram, options).use(remarkRehype).use(rehypeStringify);
}

function hastOf(markdown: string, options: RemarkWiregramOptions = {}): { tree: HastRoot; file: VFile } {
  const p = unified().use(remarkParse).use(remarkWiregram, options).use(remarkRehype);
  const file = new VFile({ path: 'page.md', value: markdown });
  const tree = p.runSync(p.parse(file), file) as HastRoot;
  return { tree, file };
}

function elements(node: HastRoot | ElementContent, out: Element[] = []): Element[] {
  if (node.type === 'element') out.push(node);
  if ('children' in node) for (const child of node.children) elements(child as ElementContent, out);
  return out;
}
const textOf = (node: ElementContent): string =>
  node.type === 'text' ? node.value : node.type === 'element' ? node.children.map(textOf).join('') : '';
const classes = (e: Element) => (e.properties.className as string[] | undefined) ?? [];

describe('unified + remark-rehype + rehype-stringify', () => {
  it('turns each diagram block into a figure with inline SVG and leaves other code alone', () => {
    const { tree } = hastOf(PAGE);
    const all = elements(tree);
    const figures = all.filter((e) => e.tagName === 'figure');
    expect(figures).toHaveLength(3);
    expect(figures.map((f) => classes(f))).toEqual([
      ['wiregram', 'wiregram-tcp-sequence'],
      ['wiregram', 'wiregram-packet-header'],
      ['wiregram', 'wiregram-tcp-sequence'],
    ]);
    for (const f of figures) {
      const svg = f.children.find((c): c is Element => c.type === 'element' && c.tagName === 'svg');
      expect(svg, 'figure holds an svg element').toBeDefined();
      expect(svg!.properties.viewBox).toMatch(/^0 0 [\d.]+ [\d.]+$/);
    }
    // The handshake's labels, computed by the core, are in the first diagram's text.
    const labels = elements(figures[0]!).filter((e) => e.tagName === 'text').map(textOf);
    expect(labels).toEqual(expect.arrayContaining(['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']));
    expect(textOf(figures[0]!.children.at(-1)!)).toBe('Three-way handshake');
    expect(textOf(figures[1]!.children.at(-1)!)).toBe('The TCP header');
    // The JavaScript block is still an ordinary code block.
    const codes = all.filter((e) => e.tagName === 'code');
    expect(codes.map((c) => classes(c))).toContainEqual(['language-js']);
    // Never a raw node: the tree is plain hast elements and text.
    const raw: unknown[] = [];
    const walk = (n: HastRoot | ElementContent) => {
      if (n.type === 'raw') raw.push(n);
      if ('children' in n) n.children.forEach((c) => walk(c as ElementContent));
    };
    walk(tree);
    expect(raw).toEqual([]);
  });

  it('gives every diagram its own id prefix, in page order, and repeats no id', () => {
    const { tree } = hastOf(PAGE);
    const figures = elements(tree).filter((e) => e.tagName === 'figure');
    const ids = elements(tree).map((e) => e.properties.id).filter((id): id is string => typeof id === 'string');
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    figures.forEach((f, i) => {
      const own = elements(f).map((e) => e.properties.id).filter(Boolean) as string[];
      expect(own.length).toBeGreaterThan(0);
      for (const id of own) expect(id).toMatch(new RegExp(`^wg-[0-9a-z]{7}-${i + 1}-`));
      // Every internal reference points at an id inside the same figure.
      const refs = elements(f).flatMap((e) => [e.properties.ariaLabelledBy, e.properties.ariaDescribedBy]).flat().filter(Boolean) as string[];
      for (const ref of refs) expect(own).toContain(ref);
    });
  });

  it('processes synchronously, without allowDangerousHtml, byte-identically', () => {
    const first = String(pipeline().processSync(PAGE));
    const second = String(pipeline().processSync(PAGE));
    expect(first).toBe(second);
    expect(first.match(/<svg /g)).toHaveLength(3);
    expect(first).toContain('<figcaption>Three-way handshake</figcaption>');
    expect(first).toContain('<code class="language-js">');
  });

  it('passes options to the renderer, and fence options override them per block', () => {
    const md = '```tcp-sequence label-style=flags\n' + HANDSHAKE + '\n```\n\n```tcp-sequence\n' + HANDSHAKE + '\n```\n';
    const { tree } = hastOf(md, { labelStyle: 'wireshark', theme: 'dark' });
    const [flags, wireshark] = elements(tree).filter((e) => e.tagName === 'figure').map((f) => elements(f).filter((e) => e.tagName === 'text').map(textOf));
    expect(flags!.some((t) => /SYN=1/.test(t))).toBe(true);
    expect(wireshark!.some((t) => /\[SYN\]/.test(t) && /Seq=0/.test(t))).toBe(true);
  });

  it('follows a dark selector (Docusaurus, Starlight) and refuses one that could leave the stylesheet', () => {
    const html = String(pipeline({ darkSelector: "[data-theme='dark']" }).processSync('```tcp-sequence\n' + HANDSHAKE + '\n```\n'));
    const css = /<style class="wiregram-styles">([^<]*)<\/style>/.exec(html)?.[1] ?? '';
    // Quotes dropped (the same selector): inside <style>, an escaped quote would be read literally.
    expect(css).toMatch(/\[data-theme=dark\] \.wg-diagram:not\(\.wg-light\)/);
    expect(css).not.toContain('sentinel');
    expect(css).not.toContain('prefers-color-scheme');
    expect(() => pipeline({ darkSelector: '}</style><script>' }).processSync('x')).toThrow(/darkSelector/);
  });

  it('passes darkSelector to the renderer natively (a selector list works) and refuses a hostile one at set-up', () => {
    const seen: Array<Record<string, unknown>> = [];
    const renderer = (src: string, o: Record<string, unknown>) => (seen.push(o), render(src, o));
    const { tree } = hastOf('```tcp-sequence\n' + HANDSHAKE + '\n```\n', { darkSelector: 'html.dark > body, .theme-dark', renderer });
    expect(seen[0]).toMatchObject({ darkSelector: 'html.dark > body, .theme-dark' });
    expect(seen[0]!.darkClass).toBeUndefined();
    const css = textOf(elements(tree).find((e) => e.tagName === 'style')!);
    expect(css).toMatch(/html\.dark > body \.wg-diagram:not\(\.wg-light\)/);
    expect(css).toMatch(/\.theme-dark \.wg-diagram:not\(\.wg-light\)/);
    for (const bad of ['.a{color:red}', '.a /* */', "[data-theme='dark'"])
      expect(() => unified().use(remarkParse).use(remarkWiregram, { darkSelector: bad }).processSync('x')).toThrow(WiregramError);
  });

  it('writes SVG files with a dark variant and emits <picture> in output: "file"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-remark-'));
    try {
      const html = String(pipeline({ output: 'file', outDir: dir, publicPath: '/img/wg' }).processSync(PAGE));
      const files = readdirSync(dir).sort();
      expect(files.filter((f) => f.endsWith('.dark.svg'))).toHaveLength(2); // the two handshakes are one file
      expect(files).toHaveLength(4);
      expect(html).not.toContain('<svg');
      const light = files.find((f) => f.startsWith('tcp-sequence') && !f.includes('.dark'))!;
      expect(html).toContain(`<source srcset="/img/wg/${light.replace('.svg', '.dark.svg')}" media="(prefers-color-scheme: dark)">`);
      expect(html).toMatch(new RegExp(`<img src="/img/wg/${light}" alt="[^"]*Three-way handshake`));
      const lightSvg = readFileSync(join(dir, light), 'utf8');
      const darkSvg = readFileSync(join(dir, light.replace('.svg', '.dark.svg')), 'utf8');
      expect(lightSvg.startsWith('<svg')).toBe(true);
      expect(darkSvg).not.toBe(lightSvg);
      expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors', () => {
  // The bad statement sits in a list item inside a blockquote, so both line and column need mapping.
  const BAD = 'client => server: SYN';
  const md = `# Broken\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\n\`\`\`\n\n> - item\n>\n>   \`\`\`tcp-sequence\n>   participant client\n>   participant server\n>   ${BAD}\n>   \`\`\`\n\nAfter.\n`;
  const badLine = md.split('\n').findIndex((l) => l.endsWith(BAD)) + 1;

  it('reports a vfile message at the file line and column, and keeps building with an error box', () => {
    const file = new VFile({ path: 'broken.md', value: md });
    const html = String(pipeline().processSync(file));
    const errors = file.messages.filter((m) => m.source === 'wiregram');
    expect(errors).toHaveLength(1);
    const m = errors[0]!;
    expect(m.fatal).toBe(false);
    expect(m.line).toBe(badLine);
    const fileLine = md.split('\n')[badLine - 1]!;
    expect(m.column!).toBeGreaterThan(fileLine.indexOf('client'));
    expect(BAD.endsWith(fileLine.slice(m.column! - 1))).toBe(true);
    expect(md.slice(m.place && 'start' in m.place ? m.place.start.offset : -1).startsWith(fileLine.slice(m.column! - 1))).toBe(true);
    expect(m.ruleId).toMatch(/^[a-z][a-z0-9-]+$/);
    expect(m.reason.length).toBeGreaterThan(5);
    // The good diagram is still drawn; the bad one is a visible alert with the reason, the code frame and the hint.
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('role="alert"');
    expect(html).toContain(`(line ${badLine}, column ${m.column})`);
    expect(html).toContain(m.reason.replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').slice(0, 20));
    expect(html).toContain('<p>After.</p>');
    expect(file.data.wiregram?.errors).toHaveLength(1);
  });

  it("reports the core's findings (an accepted override) as warnings at their file position", () => {
    const doc = `Text\n\n\`\`\`tcp-sequence\n${HANDSHAKE.replace('client -> server: ACK', 'client -> server: ACK ack=y')}\n\`\`\`\n`;
    const file = new VFile({ path: 'override.md', value: doc });
    const html = String(pipeline().processSync(file));
    expect(html.match(/<svg /g)).toHaveLength(1);
    const warnings = file.messages.filter((m) => m.source === 'wiregram');
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    const w = warnings[0]!;
    expect(w.fatal).toBe(false);
    const line = doc.split('\n').findIndex((l) => l.endsWith('ack=y')) + 1;
    expect(w.line).toBe(line);
    expect(doc.split('\n')[line - 1]!.slice(w.column! - 1)).toMatch(/^(ack=)?y$/);
    expect(file.data.wiregram?.errors).toHaveLength(0);
    const quiet = new VFile({ path: 'override.md', value: doc });
    pipeline({ warnings: false }).processSync(quiet);
    expect(quiet.messages).toHaveLength(0);
  });

  it('takes the findings from the render itself: none from a renderer that returns only the SVG text', () => {
    const block = HANDSHAKE.replace('client -> server: ACK', 'client -> server: ACK ack=y');
    const doc = `Text\n\n\`\`\`tcp-sequence\n${block}\n\`\`\`\n`;
    const textOnly = new VFile({ path: 'override.md', value: doc });
    const html = String(pipeline({ renderer: (src: string, o: object) => renderSvg(src, o) }).processSync(textOnly));
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(textOnly.messages).toHaveLength(0); // no second parse behind the renderer's back
    const withResult = new VFile({ path: 'override.md', value: doc });
    pipeline({ renderer: (src: string, o: object) => render(src, o) }).processSync(withResult);
    expect(withResult.messages.map((m) => m.reason)).toEqual(render(block).warnings.map((w) => w.reason));
    expect(withResult.messages.length).toBeGreaterThanOrEqual(1);
  });

  it('shows readers the line and column, never a file path (the build log names the file)', () => {
    const file = new VFile({ path: join(process.cwd(), 'docs/broken.md'), value: md });
    const logged: string[] = [];
    const html = String(pipeline({ log: (line: string) => logged.push(line) }).processSync(file));
    expect(html).toContain(`(line ${badLine}, column`);
    expect(html).not.toContain('broken.md');
    expect(html).not.toContain(process.cwd());
    expect(logged.some((l) => l.startsWith(`docs/broken.md:${badLine}:`))).toBe(true);
  });

  it('throws (file.fail) with fatal: true', () => {
    const file = new VFile({ path: 'broken.md', value: md });
    let thrown: unknown;
    try {
      pipeline({ fatal: true }).processSync(file);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ fatal: true, line: badLine, source: 'wiregram' });
  });
});

describe('files referenced by a block (capture)', () => {
  it('reads a capture next to the Markdown file, and refuses paths outside the project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-remark-capture-'));
    try {
      mkdirSync(join(dir, 'docs'));
      copyFileSync(fileURLToPath(new URL('../packages/core/test/fixtures/capture/loopback.pcap', import.meta.url)), join(dir, 'docs/trace.pcap'));
      const md = '# Capture\n\n```tcp-sequence\ncapture ./trace.pcap stream 0\n```\n\n```tcp-sequence\ncapture ../../outside.pcap stream 0\n```\n';
      const file = new VFile({ path: join(dir, 'docs/page.md'), cwd: dir, value: md });
      const html = String(pipeline().processSync(file));
      expect(html.match(/<svg /g)).toHaveLength(1);
      expect(html).toMatch(/\[SYN\]|SYN/);
      const errors = file.messages.filter((m) => m.source === 'wiregram');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.line).toBe(md.split('\n').indexOf('capture ../../outside.pcap stream 0') + 1);
      expect(errors[0]!.reason).toMatch(/outside|project/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('untrusted author text', () => {
  const md = [
    '```tcp-sequence title="\\"onload=alert(1) <script>alert(2)</script>"',
    'title <img src=x onerror=alert(3)> javascript:alert(4)',
    'participant client as "<script>alert(5)</script>"',
    'participant server as "\\"onload=alert(6)"',
    'client -> server: SYN',
    '```',
  ].join('\n');

  it('stays text in HTML output', () => {
    const html = String(pipeline().processSync(md));
    expectNoActiveMarkup(html);
    expect(html).toContain('&#x3C;script>alert(5)&#x3C;/script>');
    expect(html).toContain('javascript:alert(4)'); // as text, never in an attribute
    expect(html).not.toMatch(/(href|src)="javascript:/i);
  });

  it('stays text through MDX and React', () => {
    const { default: Content } = evaluateSync(md, { ...runtime, remarkPlugins: [remarkWiregram] } as never);
    const html = renderToStaticMarkup(createElement(Content));
    expect(html).toContain('<svg');
    expectNoActiveMarkup(html);
    expect(html).toContain('&lt;script&gt;alert(5)&lt;/script&gt;');
  });
});

describe('MDX', () => {
  const mdx = `import { Fragment } from 'react'\n\n# Hello {1 + 1}\n\n\`\`\`tcp-sequence title="Handshake"\n${HANDSHAKE}\n\`\`\`\n\n<Fragment>after</Fragment>\n\n\`\`\`packet-header\ntcp\n\`\`\`\n`;

  it('compiles to JSX elements (no dangerouslySetInnerHTML) and renders the SVG with React', () => {
    const code = String(compileSync(mdx, { remarkPlugins: [remarkWiregram] }));
    expect(code).toContain('"svg"');
    expect(code).not.toContain('dangerouslySetInnerHTML');
    const { default: Content } = evaluateSync(mdx.replace(/^import .*\n/, ''), { ...runtime, remarkPlugins: [remarkWiregram] } as never);
    const html = renderToStaticMarkup(createElement(Content, { components: { Fragment: ({ children }: { children: unknown }) => children } } as never));
    expect(html).toContain('<h1>Hello 2</h1>');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<figcaption>Handshake</figcaption>');
    expect(html).toContain('SYN, ACK, seq=y, ack=x+1');
    // React keeps the attributes the SVG needs, with SVG spelling.
    expect(html).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
    expect(html).toMatch(/id="wg-[0-9a-z]{7}-1-/);
    expect(html).toMatch(/id="wg-[0-9a-z]{7}-2-/);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

afterAll(() => undefined);

describe('fence options (parseFenceMeta of @wiregram/core)', () => {
  it('warns about an invalid value with a did-you-mean hint and an unknown key, and still draws the block', () => {
    const file = new VFile({ path: 'page.md', value: 'Intro\n\n```tcp-sequence style=lifelin colour=red\n' + HANDSHAKE + '\n```\n' });
    const html = String(unified().use(remarkParse).use(remarkWiregram).use(remarkRehype).use(rehypeStringify).processSync(file));
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).not.toContain('role="alert"');
    expect(file.messages.map((m) => [m.ruleId, m.line, m.note])).toEqual([
      ['invalid-meta-value', 3, 'did you mean style=lifeline?'],
      ['unknown-meta-option', 3, 'known: title="…", style=, label-style=, state-names=, numbering=, theme=, steps, source'],
    ]);
    expect(file.messages[0]!.reason).toBe('unknown style "lifelin" in the fence\'s options');
    expect(file.messages[0]!.expected).toEqual(['states, lifeline, flow, stevens, tcptrace, throughput, rtt, window']);
    expect(file.messages[1]!.reason).toBe('unknown option `colour` in the fence of a tcp-sequence block');
  });
});
