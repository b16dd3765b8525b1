/**
 * Diagnostics by default, in both Markdown plugins: every broken block and ignored fence option is printed as
 * `file:line:col: message [code]` with the line of the file on disk even when the host stripped the front
 * matter before the parser saw the text; strict mode (option or WIREGRAM_STRICT=1) fails the document listing
 * every problem; the page's error box shows no path and no <pre>/<code> for a highlighter to take.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { VFile } from 'vfile';
import MarkdownIt from 'markdown-it';
import remarkWiregram, { type RemarkWiregramOptions } from 'remark-wiregram';
import markdownItWiregram, { type MarkdownItWiregramOptions } from 'markdown-it-wiregram';
import { lineInFile } from '@wiregram/core';
import { formatBlockReport, strictMode } from '@wiregram/svg';
import { HANDSHAKE } from './support/markdown.js';

const BAD = 'client => server: SYN';
const FRONT = '---\ntitle: Broken page\ndescription: front matter the host strips\n---\n';
const BODY = `# Broken\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\n\`\`\`\n\nText.\n\n\`\`\`tcp-sequence stlye=flow\nparticipant client\nparticipant server\n${BAD}\n\`\`\`\n`;
const FILE = FRONT + BODY;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const BAD_LINE = lineOf(FILE, BAD);
const FENCE_LINE = lineOf(FILE, 'stlye=flow');

const dir = mkdtempSync(join(tmpdir(), 'wg-diag-'));
const path = join(dir, 'bad.md');
writeFileSync(path, FILE);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

function remarkRun(options: RemarkWiregramOptions, value = BODY, at = path) {
  const lines: string[] = [];
  const file = new VFile({ path: at, value });
  const html = String(
    unified()
      .use(remarkParse)
      .use(remarkWiregram, { log: (line: string) => lines.push(line), ...options })
      .use(remarkRehype)
      .use(rehypeStringify)
      .processSync(file),
  );
  return { html, lines, file };
}

function mdRun(options: MarkdownItWiregramOptions, value = BODY, at = path) {
  const lines: string[] = [];
  const html = new MarkdownIt().use(markdownItWiregram, { log: (line: string) => lines.push(line), ...options }).render(value, { path: at });
  return { html, lines };
}

describe.each([
  ['remark-wiregram', remarkRun],
  ['markdown-it-wiregram', mdRun],
] as const)('%s', (_name, run) => {
  it('logs the real file line of a block whose front matter the host stripped, and the ignored fence option', () => {
    const { lines, html } = run({});
    expect(BAD_LINE).toBe(22);
    const error = lines.find((l) => !l.includes('warning:'))!;
    expect(error).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${BAD_LINE}:1: .+ \\[unknown-statement\\]`));
    expect(lines.some((l) => l.startsWith(`${path}:${FENCE_LINE}:`) && /warning: .*stlye.*\[unknown-meta-option\]/.test(l))).toBe(true);
    // The page: line and column of the file, no path, no <pre>/<code> a highlighter would restyle.
    const box = /<figure[^>]*wiregram-error[^>]*>[\s\S]*?<\/figure>/.exec(html)![0].replace(/&gt;/g, '>').replace(/&quot;/g, '"');
    expect(box).toContain(`(line ${BAD_LINE}, column 1)`);
    expect(box).toContain(`> ${BAD_LINE} | ${BAD}`);
    expect(box).not.toMatch(/<pre|<code/);
    expect(box).not.toContain(dir);
    expect(box).not.toContain('bad.md');
    // The good diagram is still drawn: the build goes on.
    expect(html.match(/<svg /g)).toHaveLength(1);
  });

  it('without a readable file, uses the lines of the text it was given', () => {
    const missing = join(dir, 'not-on-disk.md');
    const { lines } = run({}, BODY, missing);
    expect(lines.some((l) => l.startsWith(`${missing}:${BAD_LINE - 4}:1:`))).toBe(true);
  });

  it('strict: fails the document after drawing it, listing every problem (option and WIREGRAM_STRICT=1)', () => {
    let thrown: Error | null = null;
    try {
      run({ strict: true });
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.message).toMatch(/wiregram strict mode: 2 problems/);
    expect(thrown?.message).toContain(`:${BAD_LINE}:1:`);
    expect(thrown?.message).toContain(`:${FENCE_LINE}:`);
    vi.stubEnv('WIREGRAM_STRICT', '1');
    expect(() => run({})).toThrow(/strict mode/);
    expect(() => run({ strict: false })).not.toThrow();
    vi.stubEnv('WIREGRAM_STRICT', '0');
    expect(() => run({})).not.toThrow();
  });
});

describe('report helpers', () => {
  it('prints to stderr by default, once per line per process', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const once = () => unified().use(remarkParse).use(remarkWiregram).use(remarkRehype).use(rehypeStringify).processSync(new VFile({ path, value: BODY }));
      once();
      once();
      const printed = spy.mock.calls.map((c) => String(c[0]));
      expect(printed.filter((l) => l.includes(`bad.md:${BAD_LINE}:1:`))).toHaveLength(1);
      expect(printed[0]).toMatch(/^wiregram: /);
      expect(warn.mock.calls.some((c) => String(c[0]).includes('stlye'))).toBe(true);
    } finally {
      spy.mockRestore();
      warn.mockRestore();
    }
  });

  it('escapes control characters of author text in the log line', () => {
    const line = formatBlockReport({ severity: 'error', file: 'a.md', position: { start: { line: 3, column: 2 } }, code: 'x', reason: 'bad \u001b[31mred\nnext', hint: null });
    expect(line).toBe('a.md:3:2: bad \\u001b[31mred next [x]');
  });

  it('strictMode: the option wins over the environment', () => {
    vi.stubEnv('WIREGRAM_STRICT', 'true');
    expect(strictMode(undefined)).toBe(true);
    expect(strictMode(false)).toBe(false);
    vi.stubEnv('WIREGRAM_STRICT', '');
    expect(strictMode(undefined)).toBe(false);
  });

  it('lineInFile finds a block after stripped front matter, and the n-th copy of a repeated block', () => {
    expect(lineInFile(FILE, BODY, lineOf(BODY, BAD) - 2, `participant client\nparticipant server\n${BAD}`)).toBe(BAD_LINE - 2);
    const twice = 'x\n```a\nsame\n```\n\n```a\nsame\n```\n';
    const seen = twice.replace('x\n', '');
    // The seen text is not inside the file (changed elsewhere): the block is found by its own text, second copy.
    const file = 'front\nmatter\n' + twice.replace('x\n', 'y\n');
    expect(lineInFile(file, seen.replace('```a', '```b'), 6, 'same')).toBe(9);
    expect(lineInFile('nothing here', 'other', 2, 'absent')).toBeNull();
  });
});
