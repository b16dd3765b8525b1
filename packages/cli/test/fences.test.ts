import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mapBlockPosition as mapInFile, type Position } from '@wiregram/core';
import { type FencedBlock, scanFences } from '../src/fences.js';

// What report.ts does with a scanned block: core's mapper, given the file, the content line and the block's text.
const mapBlockPosition = (block: FencedBlock, position: Position, text: string) => mapInFile(position, { text, contentLine: block.contentLine, value: block.source });

/** Depth-first walk over an mdast tree. */
function visit(node: unknown, fn: (node: unknown) => void): void {
  fn(node);
  for (const child of (node as { children?: unknown[] }).children ?? []) visit(child, fn);
}

const trimEnd = (s: string) => s.replace(/(\n[ \t]*)+$/, '');

const at = (line: number, column: number) => ({ start: { line, column, offset: 0 }, end: { line, column: column + 1, offset: 0 } });

describe('scanFences', () => {
  it('finds top-level fences with their info string and content line', () => {
    const md = '# Title\n\ntext\n\n```tcp-sequence title="Handshake" style=lifeline\nclient -> server: SYN\nserver -> client: SYN, ACK\n```\n';
    const [b] = scanFences(md);
    expect(b).toMatchObject({ lang: 'tcp-sequence', meta: 'title="Handshake" style=lifeline', openLine: 5, contentLine: 6, endLine: 8, closed: true });
    expect(b!.source).toBe('client -> server: SYN\nserver -> client: SYN, ACK');
  });

  it('strips block-quote markers and list indentation, and maps columns back into the file', () => {
    const md = ['> ```packet-header', '> tcp', '> bytes zz', '> ```', '', '1. step', '   ```tcp-sequence', '   a -> b: SYN', '     b -> a: ACK', '   ```'].join('\n');
    const [quote, list] = scanFences(md);
    expect(quote!.source).toBe('tcp\nbytes zz');
    expect(list!.source).toBe('a -> b: SYN\n  b -> a: ACK');
    // `zz` is line 2, column 7 of the block; in the file it is line 3, column 9.
    const p = mapBlockPosition(quote!, at(2, 7), md);
    expect(p.start).toEqual({ line: 3, column: 9, offset: md.indexOf('zz') });
    const q = mapBlockPosition(list!, at(2, 3), md);
    expect(md.split('\n')[q.start.line - 1]!.slice(q.start.column - 1)).toBe('b -> a: ACK');
    expect(q.start.offset).toBe(md.indexOf('b -> a'));
  });

  it('ignores fences nested in longer fences, in HTML comments and in indented code', () => {
    const md = ['````markdown', '```tcp-sequence', 'inner', '```', '````', '<!--', '```tcp-sequence', 'hidden', '```', '-->', '', '    ```tcp-sequence', '    indented code'].join('\n');
    const blocks = scanFences(md);
    expect(blocks.map((b) => b.lang)).toEqual(['markdown']);
  });

  it('closes an unclosed fence at the end of the document or of its block quote', () => {
    const blocks = scanFences('> ```tcp-sequence\n> a -> b: SYN\nplain text\n~~~packet-header\nudp');
    expect(blocks.map((b) => [b.lang, b.source, b.closed, b.endLine])).toEqual([
      ['tcp-sequence', 'a -> b: SYN', false, 2],
      ['packet-header', 'udp', false, 5],
    ]);
  });

  it('needs the closing fence to match the opening one (character and length)', () => {
    const [b] = scanFences('~~~~tcp-sequence\n```\n~~~\na\n~~~~~\nafter');
    expect(b!.source).toBe('```\n~~~\na');
    expect(b!.endLine).toBe(5);
  });

  it('handles CRLF line endings with exact offsets', () => {
    const md = 'x\r\n```tcp-sequence\r\nclient -> server: SYN\r\n```\r\n';
    const [b] = scanFences(md);
    expect(b!.source).toBe('client -> server: SYN');
    expect(md.slice(b!.startOffset, b!.endOffset)).toBe('```tcp-sequence\r\nclient -> server: SYN\r\n```');
    const p = mapBlockPosition(b!, at(1, 11), md);
    expect(md.slice(p.start.offset, p.start.offset + 6)).toBe('server');
  });

  it('finds the same fences, with the same text and lines, as a full CommonMark parser (remark)', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const files = ['examples', 'docs', 'docs/recipes']
      .flatMap((d) => (existsSync(join(root, d)) ? readdirSync(join(root, d)).filter((f) => f.endsWith('.md')).map((f) => join(root, d, f)) : []))
      .map((f) => readFileSync(f, 'utf8'));
    const tricky = [
      '> ```tcp-sequence\n> a\n>   b\n> ```\n\n- x\n\n  ```packet-header\n  tcp\n  ```\n\n1. y\n   ~~~tcp-sequence\n   c\n   ~~~\n',
      '````md\n```tcp-sequence\nx\n```\n````\n\n<!--\n```tcp-sequence\nhidden\n```\n-->\n\n```tcp-sequence\nopen to the end\n',
      '- a\n  - b\n\n    ```tcp-sequence\n    deep\n    ```\n\n  ```tcp-sequence\n  shallow\n  ```\n',
      '- item\n\n  > ```tcp-sequence\n  > quoted in a list\n  > ```\n',
      '```tcp-sequence\r\nwindows\r\n```\r\n\r\n  ```  tcp-sequence   style=flow\r\n   three\r\n  indented\r\n  ```\r\n',
    ];
    expect(files.length).toBeGreaterThan(0);
    for (const md of [...files, ...tricky]) {
      const tree = unified().use(remarkParse).parse(md);
      const expected: Array<[string, string, string, number]> = [];
      visit(tree, (node) => {
        const n = node as { type: string; lang?: string | null; meta?: string | null; value?: string; position?: { start: { line: number; offset: number } } };
        // Fenced code only: it starts at its fence marker, indented code at its indentation.
        if (n.type === 'code' && '`~'.includes(md[n.position!.start.offset]!)) {
          expected.push([n.lang ?? '', n.meta ?? '', n.value!.replace(/\r\n?/g, '\n'), n.position!.start.line]); // we normalise line breaks
        }
      });
      const found = scanFences(md).map((b) => [b.lang, b.meta, b.source, b.openLine]);
      expect(found).toEqual(expected);
    }
  });

  // Trailing blank lines of a fence closed by the end of its container mean nothing to a diagram, and micromark
  // keeps or drops them depending on what follows; compare without them.
  it('agrees with remark on random documents of quotes, lists, comments and fences (property)', () => {
    const vocabulary = [
      '```tcp-sequence', '```', '~~~packet-header', '~~~', '````', 'a -> b: SYN', '', 'text', '<!--', '-->',
      '> ```tcp-sequence', '> a -> b', '> ```', '>', '- item', '  ```tcp-sequence', '  x', '  ```', '    indented',
      '1. step', '   ```packet-header', '   tcp', '   ```', '* other', '# heading',
      '- ```tcp-sequence', '-', '``` `x`', '`````', '    ```', '   ```', '2) two',
    ];
    const remarkFences = (md: string) => {
      const out: Array<[string, string, number]> = [];
      visit(unified().use(remarkParse).parse(md), (node) => {
        const n = node as { type: string; lang?: string | null; value?: string; position?: { start: { line: number; offset: number } } };
        // Fenced code starts at its fence marker; indented code at its indentation.
        if (n.type === 'code' && '`~'.includes(md[n.position!.start.offset]!)) out.push([n.lang ?? '', trimEnd(n.value!), n.position!.start.line]);
      });
      return out;
    };
    const markdownIt = new MarkdownIt({ html: true });
    const markdownItFences = (md: string) =>
      markdownIt
        .parse(md, {})
        .filter((t) => t.type === 'fence')
        .map((t) => [t.info.trim().split(/\s+/)[0] ?? '', trimEnd(t.content.replace(/\n$/, '')), t.map![0] + 1] as [string, string, number]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 14 }), (lines) => {
        const md = lines.join('\n') + '\n';
        const ours = scanFences(md).map((b) => [b.lang, trimEnd(b.source), b.openLine]);
        // micromark and markdown-it disagree on a few corner cases (a list after indented code); either reading will do.
        const theirs = [remarkFences(md), markdownItFences(md)];
        expect(theirs.map((t) => JSON.stringify(t))).toContain(JSON.stringify(ours));
      }),
      { numRuns: 1000 },
    );
  });

  it('maps every position of every block to the same character in the file (property)', () => {
    const line = fc.stringMatching(/^[a-z >:,-]{0,12}$/);
    const block = fc.record({ lines: fc.array(line.filter((l) => !/^ *(>|[-*+] )/.test(l) && !l.includes('`')), { minLength: 1, maxLength: 5 }), quote: fc.boolean(), indent: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (blocks) => {
        const parts: string[] = [];
        for (const b of blocks) {
          const pre = (b.quote ? '> ' : '') + ' '.repeat(b.indent);
          parts.push('para', '', pre + '```tcp-sequence', ...b.lines.map((l) => pre + l), pre + '```', '');
        }
        const md = parts.join('\n');
        const found = scanFences(md);
        expect(found.length).toBe(blocks.length);
        found.forEach((f, i) => {
          expect(f.source).toBe(blocks[i]!.lines.join('\n'));
          f.source.split('\n').forEach((text, li) => {
            for (let col = 1; col <= text.length; col++) {
              const p = mapBlockPosition(f, at(li + 1, col), md);
              expect(md[p.start.offset]).toBe(text[col - 1]);
            }
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});
