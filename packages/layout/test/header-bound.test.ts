/**
 * headerSurelyFits (budget.ts), which lets `wiregram check` skip a header's layout, is an upper bound: whenever
 * it says a header fits a budget, layoutHeader draws within that budget and refuses nothing. Checked at the
 * tightest budgets the bound accepts, on every header of the docs and examples and on generated models that
 * reach every part of the layout (fields across rows, variable-length fields, flag captions, brackets, rotated
 * and elided names, wide and CJK text, mirrored rows).
 */
import { describe, expect, it } from 'vitest';
import { parsePacketHeader, type HeaderField, type HeaderGroup, type HeaderModel } from '@wiregram/core';
import { checkSource, layoutHeader, layoutSourceWithModel } from '@wiregram/layout';
import { headerSurelyFits } from '../src/budget.js';
import { docBlocks, outcome, sceneText } from './check-support.js';

const HUGE = 1e15;

/** The smallest limit the bound accepts (it is monotone in each limit). */
function tightest(fits: (limit: number) => boolean): number {
  let hi = 1;
  while (!fits(hi)) hi *= 2;
  let lo = Math.floor(hi / 2);
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** At the tightest budgets the bound accepts, the layout draws within them and does not throw. */
function expectSound(model: HeaderModel, what: string, layout: { ruler?: boolean; offsets?: boolean; bitWidth?: number; fontSize?: number } = {}): { items: number; maxElements: number } {
  const maxElements = tightest((n) => headerSurelyFits(model, { maxElements: n, maxTextBytes: HUGE }));
  const maxTextBytes = tightest((n) => headerSurelyFits(model, { maxElements: HUGE, maxTextBytes: n }));
  expect(headerSurelyFits(model, { maxElements, maxTextBytes }), what).toBe(true);
  const scene = layoutHeader(model, { ...layout, maxElements, maxTextBytes });
  expect(scene.items.length, `${what}: elements`).toBeLessThanOrEqual(maxElements);
  expect(sceneText(scene), `${what}: text bytes`).toBeLessThanOrEqual(maxTextBytes);
  return { items: scene.items.length, maxElements };
}

/** A small deterministic PRNG (mulberry32): the same models on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Source Port', 'Destination Port', 'Sequence Number', 'Acknowledgment Number', 'Data Offset', 'Reserved', 'Window', 'Checksum', 'Urgent Pointer', 'Options', 'Payload', 'Flow Label', 'Hop Limit', 'Traffic Class'];
const ODD = ['序列号', '确认号', '窗口大小', '🚀🚀', 'e\u0301e\u0301', 'ΐΐ', 'ß', 'x', 'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW', 'a b c d e f g h i j k l m n o p q r s t u v w x y z'];

function generatedModel(seed: number): HeaderModel {
  const r = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const text = () => (r() < 0.7 ? pick(WORDS) : pick(ODD)) + (r() < 0.2 ? ` ${pick(ODD)}` : '');
  const rowBits = r() < 0.6 ? pick([8, 16, 32, 64]) : 1 + Math.floor(r() * 128);
  const fields: HeaderField[] = [];
  const groups: HeaderGroup[] = [];
  let offset = 0;
  const count = 1 + Math.floor(r() * 30);
  for (let i = 0; i < count; i++) {
    offset += r() < 0.15 ? Math.floor(r() * 3 * rowBits) : 0;
    const roll = r();
    if (roll < 0.25) {
      // A run of 1-bit flags, sometimes captioned as a flag group.
      const n = 1 + Math.floor(r() * 9);
      const start = offset;
      for (let k = 0; k < n; k++) {
        fields.push({ name: r() < 0.5 ? pick(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR']) : text(), short: r() < 0.4 ? pick(['S', 'A', 'F', 'NS', 'CWR']) : null, offset, bits: 1, kind: 'flag', value: r() < 0.5 ? pick(['Set', 'Not set']) : null, raw: r() < 0.5 ? Math.floor(r() * 2) : null, color: null, wireshark: null, position: null });
        offset += 1;
      }
      if (r() < 0.7) groups.push({ kind: 'flags', name: pick(['Flags', 'Control bits', '标志']), short: r() < 0.5 ? 'Flags' : null, offset: start, bits: n, value: r() < 0.6 ? '0x012 (SYN, ACK)' : null, raw: r() < 0.5 ? 18 : null, wireshark: null });
      continue;
    }
    const variable = roll < 0.35;
    const bits = variable ? null : r() < 0.3 ? 1 + Math.floor(r() * 8) : r() < 0.8 ? 1 + Math.floor(r() * 2 * rowBits) : 1 + Math.floor(r() * 6 * rowBits);
    const value = r() < 0.5 ? (r() < 0.5 ? String(Math.floor(r() * 65536)) : `${text()}: ${Math.floor(r() * 1e6)} (${text()})`) : null;
    fields.push({ name: text(), short: r() < 0.3 ? text().slice(0, 6) : null, offset, bits, kind: variable ? pick(['options', 'data'] as const) : pick(['field', 'reserved', 'padding'] as const), value, raw: value !== null && r() < 0.6 ? Math.floor(r() * 1e9) : null, color: r() < 0.2 ? '#ffcc00' : null, wireshark: null, position: null });
    if (variable && r() < 0.5) groups.push({ kind: 'options', name: 'Options', short: null, offset, bits: r() < 0.5 ? 3 * rowBits : null, value: r() < 0.5 ? 'MSS: 1460, NOP' : null, raw: r() < 0.5 ? 12 : null, wireshark: null });
    offset += bits ?? rowBits;
  }
  if (r() < 0.3) {
    // Stacked layers, bracketed in the margin.
    const cut = Math.floor(offset / 2);
    groups.push({ kind: 'layer', name: 'Internet Protocol Version 4', short: pick(['ipv4', 'tcp', 'ßtraße', 'ΐ']), offset: 0, bits: cut, value: null, raw: null, wireshark: null });
    groups.push({ kind: 'layer', name: text(), short: r() < 0.5 ? 'tcp' : null, offset: cut, bits: null, value: null, raw: null, wireshark: null });
  }
  return {
    kind: 'header',
    title: r() < 0.6 ? text() : null,
    protocol: r() < 0.5 ? pick(['tcp', 'ipv6', 'ßtraße']) : null,
    rowBits,
    ruler: r() < 0.5,
    offsets: r() < 0.5,
    fields,
    bytes: null,
    warnings: [],
    position: null,
    groups,
    byteOffset: r() < 0.2 ? Math.floor(r() * 100) : 0,
    bitOrder: r() < 0.2 ? 'descending' : 'ascending',
    description: r() < 0.2 ? text() : null,
  };
}

describe('headerSurelyFits', () => {
  it('bounds every header of the docs and examples, and clears the default budget for each', () => {
    const headers = docBlocks('packet-header');
    expect(headers.length).toBeGreaterThan(15);
    let checked = 0;
    for (const { file, source } of headers) {
      let model: HeaderModel;
      try {
        model = parsePacketHeader(source);
      } catch {
        continue; // the docs show broken blocks on purpose
      }
      checked++;
      for (const layout of [{}, { ruler: true, offsets: true }, { bitWidth: 12, fontSize: 20 }]) expectSound(model, `${file}: ${source.slice(0, 40)}`, layout);
      // What check does with them: no layout, the same (no) warnings as render.
      expect(headerSurelyFits(model, {}), file).toBe(true);
      const checkedSource = checkSource(source, { language: 'packet-header' });
      expect(checkedSource.drawn).toBe(false);
      expect(checkedSource.warnings).toEqual(layoutSourceWithModel(source, { language: 'packet-header' }).warnings);
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('bounds generated headers (every layout path), and is not vacuous', () => {
    let ratioSum = 0;
    const n = 400;
    for (let seed = 1; seed <= n; seed++) {
      const model = generatedModel(seed);
      const { items, maxElements } = expectSound(model, `seed ${seed}`);
      ratioSum += maxElements / items;
    }
    // Loose enough to be safe, tight enough that ordinary headers clear the default 60,000 by far.
    expect(ratioSum / n).toBeLessThan(60);
  });

  it('near the budget, check lays the header out and refuses exactly what render refuses', () => {
    const source = 'bits 32\n0-15: Source Port\n16-31: Destination Port\n32-63: Sequence Number\n+var: Options\n';
    const drawn = layoutSourceWithModel(source, { language: 'packet-header' }).scene.items.length;
    const outcomes = new Set<string>();
    for (const maxElements of [drawn - 1, drawn, drawn + 1, 2 * drawn, 100, 1000, 60_000]) {
      const options = { language: 'packet-header' as const, maxElements };
      const fromRender = outcome(() => layoutSourceWithModel(source, options));
      expect(outcome(() => checkSource(source, options)), `maxElements ${maxElements}`).toBe(fromRender);
      outcomes.add(fromRender === 'ok' ? 'ok' : 'refused');
    }
    expect([...outcomes].sort()).toEqual(['ok', 'refused']);
    // Drawn where the bound does not clear the budget, skipped where it does.
    expect(checkSource(source, { language: 'packet-header', maxElements: 2 * drawn }).drawn).toBe(true);
    expect(checkSource(source, { language: 'packet-header' }).drawn).toBe(false);
  });

  it('does not vouch for a field object listed twice or an offset it cannot bound', () => {
    const model = parsePacketHeader('bits 32\n0-15: a\n16-31: b\n');
    expect(headerSurelyFits(model, {})).toBe(true);
    expect(headerSurelyFits({ ...model, fields: [model.fields[0]!, model.fields[0]!] }, {})).toBe(false);
    expect(headerSurelyFits({ ...model, fields: [{ ...model.fields[0]!, offset: Number.NaN }] }, {})).toBe(false);
  });
});
