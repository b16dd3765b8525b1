/**
 * @wiregram/eleventy without Eleventy: the fence stash (what Liquid would otherwise see), and the plugin's hooks
 * run against a stand-in config with real markdown-it and a template pass that behaves like Liquid's output
 * tags (`{{ … }}` replaced, `{% raw %}` without `{% endraw %}` an error). The real Eleventy build is
 * test/hosts/eleventy.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import MarkdownIt from 'markdown-it';
import wiregram, { FenceStash, type EleventyConfigLike } from '../src/index.js';

const DOC = [
  '# {{ title }}',
  '',
  '```tcp-sequence caption="{{ caption }}"',
  'participant client',
  'participant server',
  'client -> server: SYN',
  'note over client: {{ x }} and {% raw %}',
  '```',
  '',
  '````js',
  '```tcp-sequence',
  'not a diagram: inside another fence',
  '```',
  '````',
  '',
  '  ~~~packet-header',
  '  udp',
  '  ~~~',
  '',
  '1. a list item',
  '',
  '   ```tcp-sequence',
  '   participant a',
  '   participant b',
  '   a -> b: SYN',
  '   note over a: {{ y }} in a list',
  '   ```',
  '',
  '> quoted:',
  '> ~~~ tcp-sequence title="{% raw %}"',
  '> participant a',
  '> participant b',
  '> a -> b: SYN',
  '> note over b: {{ z }} in a quote',
  '> ~~~',
  '',
  '<div>',
  '```tcp-sequence',
  '{{ html }} block: not a fence',
  '```',
  '</div>',
].join('\n');

/** What Liquid would do to the text: fill output tags, and fail on an unmatched raw tag. */
function liquid(text: string, data: Record<string, string>): string {
  if (/\{%\s*raw\s*%\}/.test(text) && !/\{%\s*endraw\s*%\}/.test(text)) throw new Error('tag {% raw %} not closed');
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => data[k] ?? '');
}

describe('FenceStash', () => {
  it('hides diagram fences (info string included) behind placeholders with the same number of lines', () => {
    const stash = new FenceStash();
    const out = stash.protect(DOC)!;
    expect(out.split('\n')).toHaveLength(DOC.split('\n').length);
    expect(out).not.toContain('{{ x }}');
    expect(out).not.toContain('{% raw %}');
    expect(out).not.toContain('{{ caption }}');
    // Other fences, and what is inside them, are left alone.
    expect(out).toContain('````js\n```tcp-sequence\nnot a diagram');
    expect(out).toMatch(/^ {2}~~~wiregram-stash [0-9a-f]{16}$/m);
    // Fences in list items and blockquotes too (markdown-it found them), their containers kept.
    expect(out).not.toContain('{{ y }}');
    expect(out).not.toContain('{{ z }}');
    expect(out).toMatch(/^ {3}```wiregram-stash [0-9a-f]{16}\n\n\n\n\n {3}```$/m);
    expect(out).toMatch(/^> ~~~wiregram-stash [0-9a-f]{16}\n>\n>\n>\n>\n> ~~~$/m);
    // An HTML block is not Markdown: what looks like a fence in it is left to the template engine.
    expect(out).toContain('{{ html }} block');
    expect(stash.restore(out)).toBe(DOC);
    // CRLF files keep their line ends.
    const crlf = DOC.replace(/\n/g, '\r\n');
    const outCrlf = stash.protect(crlf)!;
    expect(outCrlf.split('\r\n')).toHaveLength(crlf.split('\r\n').length);
    expect(stash.restore(outCrlf)).toBe(crlf);
    // A parse that throws (a site plugin wanting page data in env) falls back to markdown-it's defaults.
    const fallback = new FenceStash().protect(DOC, () => {
      throw new TypeError("Cannot read properties of undefined (reading 'url')");
    });
    expect(fallback).toBe(out);
    expect(fallback?.match(/wiregram-stash/g)).toHaveLength(4);
    expect(stash.protect('# no diagrams\n```js\nx\n```\n')).toBeNull();
  });

  it('gives back what markdown-it would have read from the original fence', () => {
    const stash = new FenceStash();
    const out = stash.protect(DOC)!;
    const infos = new MarkdownIt({ html: true }).parse(out, {}).filter((t) => t.type === 'fence').map((t) => stash.lookup(t.info));
    expect(infos[0]).toEqual({ info: 'tcp-sequence caption="{{ caption }}"', content: 'participant client\nparticipant server\nclient -> server: SYN\nnote over client: {{ x }} and {% raw %}\n' });
    expect(infos[1]).toBeNull();
    expect(infos[2]).toEqual({ info: 'packet-header', content: 'udp\n' });
    expect(infos[3]).toEqual({ info: 'tcp-sequence', content: 'participant a\nparticipant b\na -> b: SYN\nnote over a: {{ y }} in a list\n' });
    expect(infos[4]).toEqual({ info: 'tcp-sequence title="{% raw %}"', content: 'participant a\nparticipant b\na -> b: SYN\nnote over b: {{ z }} in a quote\n' });
    expect(infos).toHaveLength(5);
    expect(stash.lookup('wiregram-stash 0123456789abcdef')).toBeNull();
  });
});

describe('the plugin', () => {
  function setUp(options = {}) {
    let pre: ((data: unknown, content: string) => string | undefined | void) | undefined;
    const md = new MarkdownIt({ html: true });
    const config: EleventyConfigLike = {
      addPreprocessor: (_name, ext, fn) => {
        expect(ext).toBe('md');
        pre = fn;
      },
      amendLibrary: (_name, fn) => fn(md),
    };
    wiregram(config, { log: false, ...options });
    return { md, registered: pre !== undefined, preprocess: (text: string) => pre!({}, text) ?? text };
  }

  it('template code in labels survives the template pass; the page around it is still templated', () => {
    const { md, preprocess } = setUp();
    const html = md.render(liquid(preprocess(DOC), { title: 'Hello', caption: 'nope' }), { page: { inputPath: './src/a.md' } });
    expect(html).toContain('<h1>Hello</h1>');
    expect(html).toContain('{{ x }} and {% raw %}');
    expect(html).toContain('{{ y }} in a list');
    expect(html).toContain('{{ z }} in a quote');
    expect(html).toContain('<figcaption>{{ caption }}</figcaption>');
    expect(html.match(/<figure class="wiregram wiregram-/g)).toHaveLength(4);
    expect(html).toMatch(/<li>[\s\S]*<figure class="wiregram wiregram-tcp-sequence[\s\S]*<\/li>/);
    expect(html).toMatch(/<blockquote>[\s\S]*<figure class="wiregram wiregram-tcp-sequence[\s\S]*<\/blockquote>/);
    // Without the stash the template pass fails on the unmatched raw tag.
    expect(() => liquid(DOC, {})).toThrow(/raw/);
  });

  it('renders with a child of the data cascade: the page path for reports, nothing written into user data', () => {
    const log = vi.fn();
    const { md, preprocess } = setUp({ log });
    const data = { page: { inputPath: './src/bad.md' }, path: '/user/data' };
    const doc = '---\nignored: front matter\n---\n\n```tcp-sequence\nparticipant a\nparticipant b\na -> b: PSH, ACK len=1\n```\n';
    md.render(preprocess(doc.replace(/^---[\s\S]*?---\n/, '')), data);
    expect(data).toEqual({ page: { inputPath: './src/bad.md' }, path: '/user/data' });
    expect(log).toHaveBeenCalledTimes(1);
    const [, report] = log.mock.calls[0]!;
    expect(report.file).toMatch(/src\/bad\.md$/);
    expect(report.code).toBe('no-connection');
  });

  it('broken fences in a blockquote and a list item are reported at their lines and columns in the file', () => {
    const log = vi.fn();
    const { md, preprocess } = setUp({ log });
    const dir = mkdtempSync(join(tmpdir(), 'wg-eleventy-'));
    try {
      const file = join(dir, 'nested.md');
      const body = '# Nested\n\n> ~~~tcp-sequence\n> participant a\n> participant b\n> a -> b: PSH, ACK len=1 {{ x }}\n> ~~~\n\n- item\n\n  ```tcp-sequence\n  participant a\n  participant b\n  a -> b: FIN\n  ```\n';
      const text = '---\ntitle: nested\nlayout: x.liquid\n---\n' + body;
      writeFileSync(file, text);
      const html = md.render(liquid(preprocess(body), {}), { page: { inputPath: file } });
      expect(html.match(/wiregram-error/g)?.length).toBeGreaterThanOrEqual(2);
      const lines = text.split('\n');
      const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
      const places = log.mock.calls.map(([, r]) => `${r.position.start.line}:${r.position.start.column} ${r.code}`);
      // `{{ x }}` reached wiregram (not Liquid): an unquoted label is a syntax error, at its column in the file.
      const braces = lines[at('PSH, ACK len=1') - 1]!.indexOf('{{') + 1;
      expect(places).toEqual([`${at('PSH, ACK len=1')}:${braces} syntax`, `${at('a -> b: FIN')}:3 fin-from-closed`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('protectFences: false registers no preprocessor (the text is left to the template engine)', () => {
    expect(setUp({ protectFences: false }).registered).toBe(false);
    expect(setUp().registered).toBe(true);
  });
});
