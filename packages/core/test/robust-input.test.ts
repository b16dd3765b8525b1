/**
 * Issue #14 (8): front matter goes through a real YAML parser, and `participant … at` takes only addresses.
 */
import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/support/errors.js';
import { compileSequence, parsePacketHeader } from '@wiregram/core';

describe('packet-header front matter (YAML)', () => {
  it('decodes escapes: title: "say \\"hi\\"" → say "hi"; single quotes and plain scalars too', () => {
    expect(parsePacketHeader('---\ntitle: "say \\"hi\\""\n---\n0-7: a').title).toBe('say "hi"');
    expect(parsePacketHeader("---\ntitle: 'it''s'\n---\n0-7: a").title).toBe("it's");
    expect(parsePacketHeader('---\ntitle: TCP header # a comment\n---\n0-7: a').title).toBe('TCP header');
    expect(parsePacketHeader('---\ntitle: "\\u4E2D\\t文"\n---\n0-7: a').title).toBe('中\t文');
  });

  it("reads Mermaid's config.packet settings (and the older flat spelling)", () => {
    const m = parsePacketHeader('---\nconfig:\n  packet:\n    bitsPerRow: 16\n    showBits: true\n    bitOrder: descending\n---\n0-7: a');
    expect(m.rowBits).toBe(16);
    expect(m.ruler).toBe(true);
    expect(m.bitOrder).toBe('descending');
    expect(parsePacketHeader('---\nbitsPerRow: 8\n---\n0-7: a').rowBits).toBe(8);
  });

  it('a YAML error or a bad value names its line and column in the block', () => {
    const e = thrown(() => parsePacketHeader('---\ntitle: ok\nconfig: [a\n---\n0-7: a'));
    expect(e.code).toBe('header-bad-frontmatter');
    expect(e.line).toBe(3);
    expect(e.reason).toMatch(/not valid YAML/);
    const rows = thrown(() => parsePacketHeader('---\nconfig:\n  packet:\n    bitsPerRow: 99999\n---\n0-7: a'));
    expect([rows.line, rows.column]).toEqual([4, 17]);
    const show = thrown(() => parsePacketHeader('---\nshowBits: maybe\n---\n0-7: a'));
    expect([show.code, show.line, show.column]).toEqual(['header-bad-frontmatter', 2, 11]);
    expect(thrown(() => parsePacketHeader('---\ntitle: [1, 2]\n---\n0-7: a')).reason).toContain('title must be text');
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = '---\na: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n0-7: a';
    expect(thrown(() => parsePacketHeader(bomb)).code).toBe('header-bad-frontmatter');
  });
});

describe('participant addresses', () => {
  const at = (address: string) => compileSequence(`participant x at ${address}\nparticipant y\nx -> y: SYN`);

  it('accepts IPv4, IPv6 (bracketed with a port), host names with a dot, localhost', () => {
    for (const [text, address, port] of [
      ['10.0.0.1:80', '10.0.0.1', 80],
      ['[2001:db8::1]:443', '2001:db8::1', 443],
      ['2001:db8::1', '2001:db8::1', null],
      ['[::ffff:192.0.2.1]:80', '::ffff:192.0.2.1', 80],
      ['server.example:8080', 'server.example', 8080],
      ['localhost:80', 'localhost', 80],
    ] as const) {
      const p = at(text).participants[0]!;
      expect(p.address).toBe(address);
      if (port !== null) expect(p.port).toBe(port);
    }
  });

  it('`participant x at not-an-address:80` is an error at the address, with what was expected', () => {
    const e = thrown(() => at('not-an-address:80'));
    expect(e.code).toBe('bad-address');
    expect([e.line, e.column, e.position!.end.column]).toEqual([1, 18, 32]);
    expect(e.expected).toContain('IPv4');
    for (const bad of ['10.0.0.256:80', '1.2.3:80', '[fe80::zz]:80', '[1:2:3:4:5:6:7:8:9]:80', 'bad_host.example:80', '-a.example:80', 'a..b:80']) {
      expect(thrown(() => at(bad)).code, bad).toBe('bad-address');
    }
  });
});
