/**
 * "Did you mean" hints cost edit distances; they belong on the error path only. The parser's `suggest` is
 * wrapped in a spy: valid blocks of every kind must never call it, a misspelt one must.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('../src/header/util.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/header/util.js')>();
  return {
    ...real,
    suggest: (word: string, candidates: readonly string[]) => {
      calls.n++;
      return real.suggest(word, candidates);
    },
  };
});

const { parsePacketHeader } = await import('@wiregram/core');
const { WiregramError } = await import('@wiregram/core');

const VALID = [
  'tcp',
  'tcp\nruler\noffsets\ncolor SYN #ffcc00\ncolor tcp.window_size_value orange',
  'ipv4 + tcp\nbytes 4500 0028 0000 4000 4006 0000 7f00 0001 7f00 0001 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000',
  'udp\nbytes 1f90 0035 001c 1234',
  'ipv6', 'icmp', 'ethernet', 'tcp-rfc793', 'icmp-echo',
  'title T\nbits 16\nbitOrder descending\n0-15: A {color: red, short: a, kind: field}\n+var: Options',
  'packet-beta\ntitle X\n0-15: "A"\n+16: "B"\naccTitle: t\naccDescr: d',
  '---\ntitle: "TCP"\nconfig:\n  packet:\n    bitsPerRow: 16\n    bitOrder: descending\n---\npacket\n0-15: "A"',
  '%%{init: {"packet": {"bitsPerRow": 8}}}%%\npacket\n0-7: "A" %% comment',
];

describe('did-you-mean hints are computed only for errors', () => {
  beforeEach(() => {
    calls.n = 0;
  });
  for (const src of VALID) {
    it(`valid: ${JSON.stringify(src.slice(0, 40))}`, () => {
      parsePacketHeader(src);
      expect(calls.n).toBe(0);
    });
  }

  it('a misspelt statement still gets its hint', () => {
    let err: unknown;
    try {
      parsePacketHeader('tcp\nrular');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WiregramError);
    expect((err as InstanceType<typeof WiregramError>).hint).toMatch(/ruler/);
    expect(calls.n).toBeGreaterThan(0);
  });
});
