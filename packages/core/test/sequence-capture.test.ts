/** The `capture` statement: the host supplies the bytes, the capture module decodes them, the block's options apply. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { compileSequence, WiregramError, type Position } from '@wiregram/core';

const fixture = fileURLToPath(new URL('./fixtures/capture/loopback.pcap', import.meta.url));

test('capture ./file stream 0 reads through options.readFile and keeps the block\'s title and label style', () => {
  const asked: Array<{ path: string; position: Position }> = [];
  const tl = compileSequence('title 抓包\noption labels=wireshark\ncapture ./loopback.pcap stream 0\n', {
    readFile: (path, position) => {
      asked.push({ path, position });
      return readFileSync(fixture);
    },
  });
  expect(asked).toEqual([{ path: './loopback.pcap', position: expect.objectContaining({ start: expect.objectContaining({ line: 3, column: 9 }) }) }]);
  expect(tl.title).toBe('抓包');
  expect(tl.options.labelStyle).toBe('wireshark');
  expect(tl.segments.length).toBeGreaterThan(0);
  expect(tl.segments[0]!.flags).toContain('SYN');
  expect(tl.segments[0]!.label).toMatch(/^\d+ → \d+ \[SYN\] Seq=0 /);
});

test('a host error reading the file becomes a positioned WiregramError', () => {
  try {
    compileSequence('capture ./missing.pcap\n', {
      readFile: () => {
        throw new Error('ENOENT');
      },
    });
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(WiregramError);
    expect(e).toMatchObject({ code: 'capture-read', line: 1, column: 9 });
  }
});

test('garbage bytes are a WiregramError pointing at the capture statement', () => {
  try {
    compileSequence('capture ./x.pcap stream 0\n', { readFile: () => new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) });
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(WiregramError);
    expect((e as WiregramError).line).toBe(1);
  }
});
