import { describe, expect, it } from 'vitest';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkWiregram, { type RemarkWiregramOptions } from '../src/index.js';

const fence = (body: string, meta = '') => '```tcp-sequence' + (meta ? ' ' + meta : '') + '\n' + body + '\n```\n\n';
const HANDSHAKE = 'client -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK';
const CLOSE = HANDSHAKE + '\nclient -> server: FIN, ACK\nserver -> client: ACK';
const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
const run = (md: string, options: RemarkWiregramOptions = {}) => {
  const file = new VFile({ value: md, path: 'page.md' });
  const html = String(unified().use(remarkParse).use(remarkWiregram, options).use(remarkRehype).use(rehypeStringify).processSync(file));
  return { html, file };
};

describe('ids across files', () => {
  const docA = '# A\n\n' + fence(HANDSHAKE) + fence(CLOSE);
  const docB = '# B\n\n' + fence(CLOSE) + fence(HANDSHAKE, 'style=flow');

  it('two files with different diagrams have disjoint ids', () => {
    const a = ids(run(docA).html);
    const b = ids(run(docB).html);
    expect(a.length).toBeGreaterThan(4);
    expect(b.length).toBeGreaterThan(4);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('one file never repeats an id, even with the same diagram twice', () => {
    const all = ids(run(docA + fence(HANDSHAKE)).html);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => /^wg-[0-9a-z]{7}-3-$/.test(id))).toHaveLength(1);
  });

  it('output is byte-identical across runs; file.data records the prefix used', () => {
    const first = run(docA);
    expect(run(docA).html).toBe(first.html);
    const prefixes = first.file.data.wiregram!.blocks.map((b) => b.idPrefix);
    expect(prefixes).toHaveLength(2);
    for (const [i, p] of prefixes.entries()) {
      expect(p).toMatch(new RegExp(`^wg-[0-9a-z]{7}-${i + 1}-$`));
      expect(first.html).toContain(`id="${p}"`);
    }
  });
});

describe('option values', () => {
  it('a bad plugin option fails the block with a message naming the option and a hint', () => {
    const { html, file } = run(fence(HANDSHAKE), { numbering: 'absolut' });
    expect(html).toContain('wiregram-error');
    const m = file.messages.find((x) => x.ruleId === 'invalid-option')!;
    expect(m.reason).toContain('option numbering:');
    expect(m.note).toBe("did you mean numbering: 'absolute'?");
  });

  it('a bad fence value stays a warning and the block still renders', () => {
    const { html, file } = run(fence(HANDSHAKE, 'style=flwo'));
    expect(html).toContain('<svg');
    expect(html).not.toContain('wiregram-error');
    expect(file.messages).toHaveLength(1);
    expect(file.messages[0]!.ruleId).toBe('invalid-meta-value');
    expect(file.messages[0]!.fatal).toBe(false);
    expect(file.messages[0]!.note).toBe('did you mean style=flow?');
  });
});
