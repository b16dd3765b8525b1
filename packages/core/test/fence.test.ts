import { describe, expect, it } from 'vitest';
import { parseFenceMeta } from '@wiregram/core';

describe('parseFenceMeta', () => {
  it('reads the title, options in camelCase and the source flag', () => {
    expect(parseFenceMeta('title="Three-way handshake" style=lifeline label-style=flags source')).toEqual({
      caption: 'Three-way handshake',
      options: { style: 'lifeline', labelStyle: 'flags' },
      showSource: true,
      unknown: [],
      problems: [],
    });
    expect(parseFenceMeta('layout=flow labels=wireshark state-names=hyphen numbering=absolute theme=dark').options).toEqual({
      style: 'flow',
      labelStyle: 'wireshark',
      stateNames: 'hyphen',
      numbering: 'absolute',
      theme: 'dark',
    });
  });

  it('takes plain words as the caption, braces, quotes and escapes', () => {
    expect(parseFenceMeta('TCP header, as RFC 9293 draws it').caption).toBe('TCP header, as RFC 9293 draws it');
    expect(parseFenceMeta("{caption='It\\'s lost' show-source}")).toMatchObject({ caption: "It's lost", showSource: true });
    expect(parseFenceMeta("{caption='It\\'s lost' source}")).toMatchObject({ caption: "It's lost", showSource: true });
    expect(parseFenceMeta('caption="say \\"hi\\"" words ignored').caption).toBe('say "hi"');
    expect(parseFenceMeta(null)).toEqual({ caption: null, options: {}, showSource: false, unknown: [], problems: [] });
    expect(parseFenceMeta('   ').caption).toBeNull();
  });

  it('reports an invalid value with the allowed ones and a did-you-mean hint, and ignores it', () => {
    const meta = 'title=x style=lifelin theme=dark';
    const m = parseFenceMeta(meta);
    expect(m.options).toEqual({ theme: 'dark' });
    expect(m.problems).toEqual([
      {
        code: 'invalid-meta-value',
        key: 'style',
        value: 'lifelin',
        index: 8,
        length: 13,
        reason: 'unknown style "lifelin" in the fence\'s options',
        expected: 'states, lifeline, flow, stevens, tcptrace, throughput, rtt, window',
        hint: 'did you mean style=lifeline?',
      },
    ]);
    expect(meta.slice(m.problems[0]!.index, m.problems[0]!.index + m.problems[0]!.length)).toBe('style=lifelin');
    expect(parseFenceMeta('label-style=Flags').problems[0]).toMatchObject({ hint: 'did you mean label-style=flags?' });
    expect(parseFenceMeta('numbering=zzzzzzzz').problems[0]).toMatchObject({ expected: 'relative, absolute', hint: null });
  });

  it('reports unknown keys (positions inside braces too), but not keys other tools use', () => {
    const meta = '{ colour=red stlye=flow }';
    const m = parseFenceMeta(meta);
    expect(m.unknown).toEqual(['colour', 'stlye']);
    expect(m.problems.map((p) => [p.code, p.key, meta.slice(p.index, p.index + p.length), p.hint])).toEqual([
      ['unknown-meta-option', 'colour', 'colour=red', null],
      ['unknown-meta-option', 'stlye', 'stlye=flow', 'did you mean style=?'],
    ]);
    expect(m.problems[0]!.reason).toBe('the fence option colour is not one wiregram knows; it is ignored');
    expect(m.options).toEqual({});
    expect(parseFenceMeta('id=fig1 class=wide filename=a.txt name=x').problems).toEqual([]);
  });
});
