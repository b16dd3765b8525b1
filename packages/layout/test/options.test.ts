import { layoutSource, layoutSourceWithModel } from '@wiregram/layout';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/support/errors.js';

const SRC = 'client -> server: SYN\nserver -> client: SYN, ACK\n';

describe('option values are validated where they are mapped', () => {
  it.each([
    [{ style: 'zigzag' }, 'style', 'states, lifeline, flow, stevens, tcptrace, throughput, rtt, window', null],
    [{ style: 'flwo' }, 'style', 'states, lifeline, flow, stevens, tcptrace, throughput, rtt, window', "did you mean style: 'flow'?"],
    [{ layout: 'lifelin' }, 'layout', 'states, lifeline, flow, stevens, tcptrace, throughput, rtt, window', "did you mean layout: 'lifeline'?"],
    [{ labelStyle: 'x' }, 'labelStyle', 'textbook, flags, wireshark', null],
    [{ labelStyle: 'flag' }, 'labelStyle', 'textbook, flags, wireshark', "did you mean labelStyle: 'flags'?"],
    [{ stateNames: 'hyphens' }, 'stateNames', 'underscore, hyphen', "did you mean stateNames: 'hyphen'?"],
    [{ numbering: 'absolut' }, 'numbering', 'relative, absolute', "did you mean numbering: 'absolute'?"],
    [{ theme: 'neon' }, 'theme', 'auto, light, dark', null],
    [{ theme: 'drak' }, 'theme', 'auto, light, dark', "did you mean theme: 'dark'?"],
  ])('%o → WiregramError naming the option, the allowed values and a hint', (options, name, expected, hint) => {
    const e = thrown(() => layoutSource(SRC, options as never));
    expect(e.code).toBe('invalid-option');
    expect(e.reason).toContain(`option ${name}:`);
    expect(e.expected).toBe(expected);
    if (hint) expect(e.hint).toBe(hint);
    else expect(e.hint).toMatch(new RegExp(`use one of .* or leave ${name} out`));
  });

  it('language: a near miss gets a suggestion', () => {
    const e = thrown(() => layoutSource(SRC, { language: 'tcp-sequnce' as never }));
    expect(e.hint).toBe("did you mean language: 'tcp-sequence'?");
  });

  it('numbers and booleans too (fontSize, unit, bitWidth, rowBits, ruler)', () => {
    for (const bad of [{ fontSize: -1 }, { fontSize: Number.NaN }, { unit: 0 }, { bitWidth: '20' }, { rowBits: 2.5 }, { ruler: 'yes' }, { title: 1 }]) {
      const e = thrown(() => layoutSourceWithModel(SRC, bad as never));
      expect(e.reason).toContain(`option ${Object.keys(bad)[0]}:`);
    }
  });

  it('valid values, and a palette-object theme (PDF), still pass', () => {
    expect(layoutSource(SRC, { style: 'flow', labelStyle: 'flags', stateNames: 'hyphen', numbering: 'absolute', fontSize: 14 }).items.length).toBeGreaterThan(0);
    expect(layoutSource(SRC, { theme: { background: '#fff' } } as never).items.length).toBeGreaterThan(0);
    expect(layoutSource('tcp', { language: 'packet-header', rowBits: 32, bitWidth: 20, ruler: false }).items.length).toBeGreaterThan(0);
  });
});
