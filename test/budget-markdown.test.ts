/**
 * Issue #14 (1): a 3.8 KB Markdown file with 100 blocks of `bits 1` + `0-65535: a` ran markdown-it for 67 s into
 * `RangeError: Invalid string length`. Each block is now refused by the output budget before layout: the page
 * builds at once, with one positioned error per block, and a raised budget (a plugin option) draws them.
 */
import MarkdownIt from 'markdown-it';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import markdownItWiregram, { type WiregramEnv } from 'markdown-it-wiregram';
import remarkWiregram from 'remark-wiregram';

const BLOCK = '```packet-header\nbits 1\n0-65535: a\n```\n';
const DOC = Array.from({ length: 100 }, () => BLOCK).join('\n');

describe('100 blown-up header blocks in one page', () => {
  it('markdown-it: 100 positioned over-budget errors, a small page, quickly', () => {
    expect(DOC.length).toBeLessThan(4000);
    const env: { wiregram?: WiregramEnv } = {};
    const t = performance.now();
    const html = new MarkdownIt().use(markdownItWiregram).render(DOC, env);
    // Generous (a loaded CI machine); the unbounded version took over a minute and then crashed.
    expect(performance.now() - t).toBeLessThan(20_000);
    expect(html.length).toBeLessThan(1_000_000);
    expect(html.match(/data-wiregram-error="over-budget"/g)).toHaveLength(100);
    const errors = env.wiregram!.errors;
    expect(errors).toHaveLength(100);
    // Block k's (from 0) fence is on line 5k + 1 of the document, the field two lines below.
    errors.forEach((e, k) => expect(e.position?.start.line).toBe(5 * k + 3));
    expect(errors[0]!.error.hint).toContain('maxElements');
  });

  it('remark: the same, as file messages; a raised budget (plugin option) draws the block', () => {
    const file = new VFile({ path: 'blocks.md', value: DOC });
    const html = String(unified().use(remarkParse).use(remarkWiregram).use(remarkRehype).use(rehypeStringify).processSync(file));
    expect(html.length).toBeLessThan(1_000_000);
    expect(file.messages.filter((m) => m.ruleId === 'over-budget')).toHaveLength(100);
    expect(file.messages[0]!.line).toBe(3);
    const one = String(new MarkdownIt().use(markdownItWiregram, { maxElements: 70_000 }).render('```packet-header\nbits 1\n0-255: a\n```\n'));
    expect(one).toContain('<svg');
    expect(one).not.toContain('wiregram-error');
  });

  it('a page budget (maxPageBytes) stops a document of many large diagrams; each document counts afresh', () => {
    const block = '```tcp-sequence\nparticipant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK\n```\n';
    const page = Array.from({ length: 10 }, () => block).join('\n');
    const md = new MarkdownIt().use(markdownItWiregram, { maxPageBytes: 20_000 });
    for (let round = 0; round < 2; round++) {
      const env: { wiregram?: WiregramEnv } = {};
      const html = md.render(page, env);
      const drawn = html.match(/<svg/g)?.length ?? 0;
      expect(drawn).toBeGreaterThan(1);
      expect(drawn).toBeLessThan(10);
      expect(env.wiregram!.errors.length).toBe(10 - drawn);
      expect(env.wiregram!.errors[0]!.error.reason).toContain('maxPageBytes');
    }
    const file = new VFile({ path: 'page.md', value: page });
    unified().use(remarkParse).use(remarkWiregram, { maxPageBytes: 20_000 }).use(remarkRehype).use(rehypeStringify).processSync(file);
    // remark counts the bytes from its hast pass, markdown-it from the text: the same blocks are drawn.
    const drawnByMarkdownIt = md.render(page, {}).match(/<svg/g)?.length ?? 0;
    expect(file.messages.filter((m) => m.ruleId === 'over-budget').length).toBe(10 - drawnByMarkdownIt);
    expect(() => new MarkdownIt().use(markdownItWiregram, { maxPageBytes: -1 })).toThrow(/maxPageBytes/);
  });
});
