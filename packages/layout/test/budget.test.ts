/**
 * Issue #14: a few bytes of source must not make a huge figure. The output budget (maxElements, maxTextBytes)
 * is checked from the model before any geometry is built, and the error names the line and the option.
 */
import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/support/errors.js';
import { DEFAULT_BUDGET, layoutSource, layoutSourceWithModel } from '@wiregram/layout';

const bulk = (n: number) => `participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK\nloop ${n}\na -> b: PSH, ACK len=1\nb -> a: ACK\nend\n`;

describe('output budget', () => {
  it('`bits 1` + `0-65535: a` (17 bytes) is refused at the field, naming maxElements, before any geometry', () => {
    const t = performance.now();
    const e = thrown(() => layoutSource('bits 1\n0-65535: a', { language: 'packet-header' }));
    const ms = performance.now() - t;
    expect(e.code).toBe('over-budget');
    expect(e.line).toBe(2);
    expect(e.column).toBe(1);
    expect(e.reason).toContain('maxElements');
    expect(e.reason).toContain('field "a"');
    expect(e.hint).toMatch(/maxElements: \d+/);
    // Refused from the model: a generous bound that a 65,536-row layout (~1 s) would not meet.
    expect(ms).toBeLessThan(500);
  });

  it('the same block renders with a raised budget, and a small budget refuses an ordinary diagram', () => {
    const scene = layoutSource('bits 1\n0-1999: a', { language: 'packet-header' });
    expect(scene.items.length).toBeGreaterThan(2000);
    expect(scene.items.length).toBeLessThan(DEFAULT_BUDGET.maxElements);
    const e = thrown(() => layoutSource(bulk(50), { maxElements: 100 }));
    expect(e.code).toBe('over-budget');
    // The segment that crosses the budget: in the loop body.
    expect([7, 8]).toContain(e.line);
    expect(layoutSource(bulk(50), { maxElements: 1000 }).items.length).toBeLessThanOrEqual(1000);
  });

  it('text bytes: a note repeated by a loop is refused at the note, naming maxTextBytes', () => {
    const src = `participant a\nparticipant b\nloop 1000\nnote over a: ${'x'.repeat(3000)}\nend\n`;
    const e = thrown(() => layoutSource(src, { maxTextBytes: 1_000_000 }));
    expect(e.code).toBe('over-budget');
    expect(e.line).toBe(4);
    expect(e.reason).toContain('maxTextBytes');
  });

  it('100 notes of 1,327 lines (issue #14, 2): a positioned budget error by default, a diagram when raised — never a stack overflow', () => {
    const note = Array.from({ length: 1327 }, (_, i) => (i === 1326 ? 'z' : 'x')).join('\\n');
    let src = 'participant a\nparticipant b\n';
    for (let i = 0; i < 100; i++) src += `note over a: ${note}\n`;
    const e = thrown(() => layoutSource(src));
    expect(e.code).toBe('over-budget');
    expect(e.line).toBeGreaterThan(2);
    const laid = layoutSourceWithModel(src, { maxElements: 200_000 });
    const texts = laid.scene.items.filter((i) => i.type === 'text' && i.role.startsWith('note'));
    expect(texts.length).toBe(100 * 1327);
    expect(texts.some((t) => t.type === 'text' && t.text === 'z')).toBe(true);
  });

  it('refuses a budget that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '100'] as unknown[]) {
      const e = thrown(() => layoutSource(bulk(1), { maxElements: bad as number }));
      expect(e.code).toBe('invalid-option');
      expect(e.reason).toContain('maxElements');
    }
    expect(thrown(() => layoutSource(bulk(1), { maxTextBytes: 0 })).code).toBe('invalid-option');
  });
});
