import { describe, expect, it } from 'vitest';
import { mapBlockPosition, type Position } from '../src/errors.js';

const at = (line: number, column: number, endColumn = column + 1): Position => ({
  start: { line, column, offset: 0 },
  end: { line, column: endColumn, offset: 0 },
});

/** The file text a mapped position points at (start to end), via its offsets. */
const slice = (text: string, p: Position) => text.slice(p.start.offset, p.end.offset);

/** The text at a mapped position, via its line and column: must agree with the offsets. */
const byLineCol = (text: string, p: Position, length: number) => {
  const line = text.split(/\r\n|\r|\n/)[p.start.line - 1]!;
  return line.slice(p.start.column - 1, p.start.column - 1 + length);
};

describe('mapBlockPosition', () => {
  it('shifts lines past the fence in a plain fence', () => {
    const text = '# T\n\n```tcp-sequence\nclient -> server: SYN\nbogus here\n```\n';
    const p = mapBlockPosition(at(2, 1, 6), { text, contentLine: 4, value: 'client -> server: SYN\nbogus here' });
    expect(p.start).toEqual({ line: 5, column: 1, offset: text.indexOf('bogus') });
    expect(slice(text, p)).toBe('bogus');
  });

  it('shifts every line by the fence indentation, keeping the content’s own indentation', () => {
    const text = 'x\n\n  ```tcp-sequence\n  a -> b: SYN\n    b -> a: ACK\n  ```\n';
    // The parser strips two spaces (the fence's indent): line 2 keeps two of its own.
    const value = 'a -> b: SYN\n  b -> a: ACK';
    const p = mapBlockPosition(at(2, 3, 4), { text, contentLine: 4, value });
    expect(p.start.line).toBe(5);
    expect(p.start.column).toBe(5);
    expect(slice(text, p)).toBe('b');
    expect(byLineCol(text, p, 6)).toBe('b -> a');
  });

  it('shifts every line past its `> ` marker in a block quote, not only the first', () => {
    const text = '> ```packet-header\n> tcp\n> bytes zz\n> ```\n';
    const p = mapBlockPosition(at(2, 7, 9), { text, contentLine: 2, value: 'tcp\nbytes zz' });
    expect(p.start).toEqual({ line: 3, column: 9, offset: text.indexOf('zz') });
    expect(slice(text, p)).toBe('zz');
  });

  it('handles a fence in a nested list item inside a block quote', () => {
    const text = 'intro\n\n> - item\n>   1. step\n>      ```tcp-sequence\n>      client -> server: SYN\n>      bogus line\n>      ```\n';
    const value = 'client -> server: SYN\nbogus line';
    const p = mapBlockPosition(at(2, 1, 6), { text, contentLine: 6, value });
    expect(p.start).toEqual({ line: 7, column: 8, offset: text.indexOf('bogus') });
    expect(slice(text, p)).toBe('bogus');
    // A span across lines maps both ends with their own line's prefix.
    const span = mapBlockPosition({ start: { line: 1, column: 19, offset: 0 }, end: { line: 2, column: 6, offset: 0 } }, { text, contentLine: 6, value });
    expect(slice(text, span)).toBe('SYN\n>      bogus');
  });

  it('keeps tabs inside the content as one column each', () => {
    const text = '> ```tcp-sequence\n> a\t->\tb: SYN\n> ```\n';
    const p = mapBlockPosition(at(1, 6, 7), { text, contentLine: 2, value: 'a\t->\tb: SYN' });
    expect(p.start.column).toBe(8);
    expect(slice(text, p)).toBe('b');
  });

  it('finds the text after a container tab the Markdown parser expanded to spaces', () => {
    // `-\t` opens a list item; CommonMark turns the tab's remaining columns into spaces in the block's text.
    const text = '-\t```tcp-sequence\n\t  bogus here\n  ```\n';
    const q = mapBlockPosition(at(1, 3, 8), { text, contentLine: 2, value: '  bogus here' });
    expect(slice(text, q)).toBe('bogus');
    expect(q.start).toEqual({ line: 2, column: 4, offset: text.indexOf('bogus') });
  });

  it('counts CRLF and CR line breaks as one break each', () => {
    const text = 'x\r\n> ```tcp-sequence\r\n> client -> server: SYN\r\n> bogus\r\n> ```\r\n';
    const p = mapBlockPosition(at(2, 1, 6), { text, contentLine: 3, value: 'client -> server: SYN\nbogus' });
    expect(p.start).toEqual({ line: 4, column: 3, offset: text.indexOf('bogus') });
    expect(slice(text, p)).toBe('bogus');
    const cr = text.replace(/\r\n/g, '\r');
    expect(slice(cr, mapBlockPosition(at(1, 11, 17), { text: cr, contentLine: 3, value: 'client -> server: SYN\rbogus' }))).toBe('server');
  });

  it('uses the last content line’s prefix for a position past the block’s last line', () => {
    const text = '> ```tcp-sequence\n> a -> b: SYN\n> ```\n';
    const p = mapBlockPosition(at(2, 1, 1), { text, contentLine: 2, value: 'a -> b: SYN' });
    expect(p.start.line).toBe(3);
    expect(p.start.column).toBe(3);
  });

  it('falls back to the fence column without the file text', () => {
    const p = mapBlockPosition(at(1, 3), { text: '', contentLine: 10, value: 'abcdef', fenceColumn: 4 });
    expect(p.start).toMatchObject({ line: 10, column: 6 });
  });
});
