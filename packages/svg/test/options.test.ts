import { describe, expect, it } from 'vitest';
import { render, renderSvg } from '@wiregram/svg';
import { thrown } from '../../../test/support/errors.js';

const SRC = 'client -> server: SYN\nserver -> client: SYN, ACK\n';
describe('renderSvg / render refuse option values they would otherwise ignore', () => {
  it.each([
    [{ style: 'zigzag' }, 'style'],
    [{ labelStyle: 'x' }, 'labelStyle'],
    [{ stateNames: 'camel' }, 'stateNames'],
    [{ numbering: 'roman' }, 'numbering'],
    [{ theme: 'neon' }, 'theme'],
  ])('%o', (options, name) => {
    for (const fn of [() => renderSvg(SRC, options as never), () => render(SRC, options as never)]) {
      const e = thrown(fn);
      expect(e.code).toBe('invalid-option');
      expect(e.reason).toContain(`option ${name}:`);
      expect(e.expected).toMatch(/, /);
      expect(e.hint).toBeTruthy();
    }
  });

  it('names the near miss', () => {
    expect(thrown(() => renderSvg(SRC, { labelStyle: 'wirehsark' as never })).hint).toBe("did you mean labelStyle: 'wireshark'?");
    expect(thrown(() => renderSvg(SRC, { language: 'packet-headr' as never })).hint).toBe("did you mean language: 'packet-header'?");
  });

  it('valid values render', () => {
    expect(renderSvg(SRC, { style: 'lifeline', labelStyle: 'flags', theme: 'dark' })).toMatch(/^<svg/);
  });
});
