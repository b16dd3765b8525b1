/**
 * @wiregram/slidev without Slidev: its transformers run as Slidev 52 runs them — the `pre` transformer over each
 * slide's trimmed text (with the slide's place in the deck), then the codeblock transformer for each fence —
 * with real markdown-it and the Vue template compiler. The real deck is test/hosts/slidev.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { compile } from '@vue/compiler-dom';
import addon, { firstContentLine, placedFence, wiregramTransformers, wiregramVitePlugins, type SlideLike } from '../src/index.js';

const DECK = `---
theme: default
wiregram:
  labelStyle: flags
---

# One

\`\`\`tcp-sequence
participant client
participant server
client -> server: SYN
\`\`\`

---
layout: center
---


# Two

\`\`\`tcp-sequence
participant client
participant server
client -> server: PSH, ACK len=1
\`\`\`

\`\`\`js
const x = 1
\`\`\`

\`\`\`tcp-sequence stlye=flow
participant a
\`\`\`
`;

const dir = mkdtempSync(join(tmpdir(), 'wg-slidev-'));
const file = join(dir, 'slides.md');
writeFileSync(file, DECK);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Slides as Slidev's parser cuts them: start, contentStart (0-based lines), raw text, trimmed content. */
function slides(): SlideLike[] {
  const lines = DECK.split('\n');
  const cut = (start: number, contentStart: number, end: number): SlideLike => {
    const raw = lines.slice(start, end).join('\n');
    const content = lines.slice(contentStart, end).join('\n').trim();
    return { content, source: { filepath: file, start, contentStart, raw, contentRaw: content } };
  };
  return [cut(0, 5, 14), cut(14, 17, lines.length)];
}

/** MagicString's two members the transformer uses. */
function magic(original: string) {
  const inserts: Array<[number, string]> = [];
  return {
    original,
    appendLeft: (index: number, text: string) => void inserts.push([index, text]),
    toString: () => inserts.sort((a, b) => b[0] - a[0]).reduce((s, [i, t]) => s.slice(0, i) + t + s.slice(i), original),
  };
}

function run(transformers: ReturnType<typeof wiregramTransformers>) {
  const html: string[] = [];
  for (const slide of slides()) {
    const s = magic(slide.content!);
    const ctx = { s, slide, options: { data: { headmatter: { wiregram: { labelStyle: 'flags', log: false } } } } };
    for (const pre of transformers.pre) pre(ctx);
    for (const token of new MarkdownIt().parse(s.toString(), {}).filter((t) => t.type === 'fence')) {
      const out = transformers.codeblocks[0]!({ info: token.info, code: token.content, slide, options: ctx.options });
      html.push(out ?? `(not ours: ${token.info})`);
    }
  }
  return html;
}

describe('@wiregram/slidev transformers', () => {
  it('finds where each slide starts in the deck (front matter and leading blank lines skipped)', () => {
    expect(slides().map(firstContentLine)).toEqual([7, 20]);
    expect(DECK.split("\n")[19]).toBe("# Two");
  });

  it('puts the page stylesheet into one diagram per slide: the first drawn one', () => {
    const text = ['```tcp-sequence', 'participant a', 'a -> b: SYN', '```', '', '```tcp-sequence', 'participant a', 'participant b', 'a -> b: SYN', '```', '', '```packet-header', 'tcp', '```', ''].join('\n');
    const t = wiregramTransformers({ log: false });
    const out: string[] = [];
    for (let round = 0; round < 2; round++) {
      // Slidev transforms a slide again on every edit: the second round must carry the sheet again.
      const s = magic(text);
      const slide = { content: text };
      t.pre[0]!({ s, slide });
      for (const token of new MarkdownIt().parse(s.toString(), {}).filter((k) => k.type === 'fence')) out.push(t.codeblocks[0]!({ info: token.info, code: token.content, slide }) ?? '');
    }
    const sheets = out.map((h) => (h.match(/class="wiregram-styles"/g) ?? []).length);
    expect(out[0]).toContain('wiregram-error');
    expect(sheets).toEqual([0, 1, 0, 0, 1, 0]);
  });

  it('draws the diagrams Vue-safe, leaves other fences to Slidev, and reports in deck lines', () => {
    const reports: Array<{ file: string | null; line: number | undefined; code: string }> = [];
    const html = run(wiregramTransformers({ log: (_l, r) => void reports.push({ file: r.file, line: r.position?.start.line, code: r.code }) }));
    expect(html).toHaveLength(4);
    expect(html[0]).toMatch(/^<figure class="wiregram wiregram-tcp-sequence"><svg /);
    expect(html[0]).toContain('<component is="style" class="wiregram-styles">');
    expect(html[0]).toMatch(/\.dark \.wg-diagram:not\(\.wg-light\)/);
    expect(html[1]).toContain('wiregram-error');
    expect(html[2]).toBe('(not ours: js)');
    const line = DECK.split('\n').indexOf('client -> server: PSH, ACK len=1') + 1;
    const typo = DECK.split('\n').indexOf('\`\`\`tcp-sequence stlye=flow') + 1;
    expect(reports).toEqual([
      { file, line, code: 'no-connection' },
      { file, line: typo, code: 'unknown-meta-option' },
    ]);
    const problems: string[] = [];
    compile(`<div>${html[0]}${html[1]}</div>`, { onError: (e) => problems.push(e.message), onWarn: (e) => problems.push(e.message) });
    expect(problems).toEqual([]);
  });

  it("the addon takes its options from the headmatter's `wiregram:`", () => {
    const html = run(addon());
    expect(html[0]).toContain('SYN=1');
  });

  it('ids are numbered by the fence line: unique across slides, the same every build', () => {
    const a = run(wiregramTransformers({ log: false }));
    const b = run(wiregramTransformers({ log: false }));
    expect(a).toEqual(b);
    expect(a[0]).toMatch(/id="wg-[0-9a-z]{7}-9-"/);
  });

  it('strict with the vite plugin: every slide is drawn, then the build fails once listing every problem', () => {
    const [plugin] = wiregramVitePlugins();
    plugin!.buildStart();
    const html = run(wiregramTransformers({ log: false, strict: true }));
    expect(html.filter((h) => h.includes('wiregram-error'))).toHaveLength(1);
    // A slide transformed twice (Slidev does) lists its problems once.
    run(wiregramTransformers({ log: false, strict: true }));
    let message = '';
    try {
      plugin!.buildEnd();
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = DECK.split('\n');
    expect(message).toMatch(/^wiregram strict mode: 2 problems in /);
    expect(message).toContain(`slides.md:${lines.indexOf('client -> server: PSH, ACK len=1') + 1}:1: client cannot send data`);
    expect(message).toContain(`slides.md:${lines.indexOf('\`\`\`tcp-sequence stlye=flow') + 1}:1: warning: the fence option stlye is not one wiregram knows`);
    // The next build starts clean; a build that failed on its own is not failed twice.
    plugin!.buildStart();
    expect(() => plugin!.buildEnd()).not.toThrow();
    plugin!.buildStart();
    run(wiregramTransformers({ log: false, strict: true }));
    expect(() => plugin!.buildEnd(new Error('vite failed'))).not.toThrow();
  });

  it('strict without the vite plugin (transformers set up by hand): the first broken block throws', () => {
    expect(() => run(wiregramTransformers({ log: false, strict: true }))).toThrow(/wiregram strict mode: 1 problem/);
    expect(() => run(wiregramTransformers({ log: false, strict: false }))).not.toThrow();
  });

  it('placedFence puts the fence at its line, with a marker no body line can close', () => {
    expect(placedFence('tcp-sequence', 'a\n```\nb\n', 3)).toBe('\n\n````tcp-sequence\na\n```\nb\n````\n');
  });
});
