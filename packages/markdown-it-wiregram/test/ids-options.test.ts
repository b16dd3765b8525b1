import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import markdownItWiregram, { type WiregramBlockError, type WiregramBlockWarning } from '../src/index.js';

const fence = (body: string, meta = '') => '```tcp-sequence' + (meta ? ' ' + meta : '') + '\n' + body + '\n```\n\n';
const HANDSHAKE = 'client -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK';
const CLOSE = HANDSHAKE + '\nclient -> server: FIN, ACK\nserver -> client: ACK';
const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);

describe('ids across renders (Slidev overview, combined pages)', () => {
  const md = new MarkdownIt().use(markdownItWiregram);
  const docA = '# A\n\n' + fence(HANDSHAKE) + fence(CLOSE);
  const docB = '# B\n\n' + fence(CLOSE) + fence(HANDSHAKE, 'style=flow');

  it('two renders of different documents, each with a fresh env, have disjoint ids', () => {
    const a = ids(md.render(docA, {}));
    const b = ids(md.render(docB, {}));
    expect(a.length).toBeGreaterThan(4);
    expect(b.length).toBeGreaterThan(4);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('one document never repeats an id, even with the same diagram twice', () => {
    const all = ids(md.render(docA + fence(HANDSHAKE), {}));
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => /^wg-[0-9a-z]{7}-3-$/.test(id))).toHaveLength(1);
  });

  it('output is byte-identical across renders and plugin instances', () => {
    const other = new MarkdownIt().use(markdownItWiregram);
    expect(other.render(docA, {})).toBe(md.render(docA, {}));
  });

  it('a custom idPrefix is the base of the prefix', () => {
    const html = new MarkdownIt().use(markdownItWiregram, { idPrefix: 'fig-' }).render(fence(HANDSHAKE), {});
    expect(ids(html)[0]).toMatch(/^fig-[0-9a-z]{7}-1-$/);
  });
});

describe('option values', () => {
  it('a bad plugin option is a WiregramError naming the option, with a hint (fatal), or an error box', () => {
    const errors: WiregramBlockError[] = [];
    const html = new MarkdownIt().use(markdownItWiregram, { labelStyle: 'flag', onError: (e) => errors.push(e) }).render(fence(HANDSHAKE), {});
    expect(html).toContain('data-wiregram-error="invalid-option"');
    expect(errors[0]!.error.reason).toContain('option labelStyle:');
    expect(errors[0]!.error.hint).toBe("did you mean labelStyle: 'flags'?");
    const fatal = new MarkdownIt().use(markdownItWiregram, { style: 'zigzag', fatal: true });
    expect(() => fatal.render(fence(HANDSHAKE), {})).toThrow(/option style: "zigzag"/);
  });

  it('a bad fence value stays a warning at the fence and the block still renders', () => {
    const warnings: WiregramBlockWarning[] = [];
    const html = new MarkdownIt().use(markdownItWiregram, { onWarning: (w) => warnings.push(w) }).render(fence(HANDSHAKE, 'label-style=flag'), {});
    expect(html).toContain('<svg');
    expect(html).not.toContain('wiregram-error');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.warning.code).toBe('invalid-meta-value');
    expect(warnings[0]!.warning.hint).toBe('did you mean label-style=flags?');
    expect(warnings[0]!.position!.start.line).toBe(1);
  });
});
