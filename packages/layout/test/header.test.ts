import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemBox, layoutHeader, textBox, type Box, type Scene, type SceneItem, type SceneText } from '@wiregram/layout';
import { parsePacketHeader, type HeaderField, type HeaderModel } from '@wiregram/core';
import { field, ipv6Model, model, seedTcpModel, tcpModel, tcpSynModel } from './fixtures/header-models.js';

const texts = (s: Scene) => s.items.filter((i): i is SceneText => i.type === 'text');
const boxes = (s: Scene) => s.items.filter((i) => (i.type === 'rect' || i.type === 'polygon') && (i.role === 'field-box' || i.role === 'flag-box'));
const inside = (a: Box, b: Box, tol = 0.5) => a.x1 >= b.x1 - tol && a.y1 >= b.y1 - tol && a.x2 <= b.x2 + tol && a.y2 <= b.y2 + tol;
const overlap = (a: Box, b: Box, tol = 0.5) => Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > tol && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > tol;

/** The invariants every header scene must satisfy: in bounds, no overlapping texts, cell texts inside a cell. */
function checkScene(s: Scene): void {
  const page: Box = { x1: 0, y1: 0, x2: s.width, y2: s.height };
  const ts = texts(s);
  for (const t of ts) expect(inside(textBox(t), page), `${t.text} inside the scene`).toBe(true);
  for (let i = 0; i < ts.length; i++)
    for (let j = i + 1; j < ts.length; j++)
      expect(overlap(textBox(ts[i]!), textBox(ts[j]!)), `${ts[i]!.text} overlaps ${ts[j]!.text}`).toBe(false);
  const cells = boxes(s).map(itemBox);
  for (const t of ts) {
    if (t.role === 'ruler-label' || t.role === 'offset-label' || t.role === 'title') continue;
    expect(cells.some((c) => inside(textBox(t), c)), `${t.text} inside its cell`).toBe(true);
    expect(t.fontSize).toBeGreaterThanOrEqual(7);
  }
}

describe('layoutHeader: the TCP header', () => {
  const s = layoutHeader(tcpModel());

  it('draws 32-bit rows with fields at their bit offsets', () => {
    checkScene(s);
    const rects = s.items.filter((i) => i.type === 'rect' && i.role === 'field-box') as Extract<SceneItem, { type: 'rect' }>[];
    const src = texts(s).find((t) => t.text === 'Source Port')!;
    const dst = texts(s).find((t) => t.text === 'Destination Port')!;
    const seq = texts(s).find((t) => t.text === 'Sequence Number')!;
    expect(src.y).toBeCloseTo(dst.y);
    expect(seq.y).toBeGreaterThan(src.y);
    const srcRect = rects.find((r) => inside(textBox(src), itemBox(r)))!;
    const seqRect = rects.find((r) => inside(textBox(seq), itemBox(r)))!;
    expect(srcRect.width * 2).toBeCloseTo(seqRect.width);
    expect(srcRect.x).toBeCloseTo(seqRect.x);
  });

  it('writes 1-bit flags as upright stacked letters, as the seed figure does', () => {
    const letters = texts(s).filter((t) => t.role === 'flag');
    const syn = ['S', 'Y', 'N'].map((l) => letters.filter((t) => t.text === l));
    // Find the S, Y, N that share one x (one column) and run top to bottom.
    const column = syn[0]!.map((S) => [S, syn[1]!.find((Y) => Y.x === S.x), syn[2]!.find((N) => N.x === S.x)]).find((c) => c[1] && c[2])!;
    expect(column).toBeDefined();
    expect(column[0]!.y).toBeLessThan(column[1]!.y);
    expect(column[1]!.y).toBeLessThan(column[2]!.y);
    expect(column.every((t) => t!.rotate === 0)).toBe(true);
    expect(column[0]!.title).toBe('Synchronize');
    const flagBoxes = s.items.filter((i) => i.role === 'flag-box');
    expect(flagBoxes).toHaveLength(8);
  });

  it('draws variable-length options and data as open rows with a torn edge', () => {
    const open = s.items.filter((i) => i.type === 'polygon' && i.role === 'field-box') as Extract<SceneItem, { type: 'polygon' }>[];
    expect(open).toHaveLength(2);
    for (const p of open) expect(p.points.length).toBeGreaterThan(6);
    const opts = texts(s).find((t) => t.text === 'Options')!;
    const data = texts(s).find((t) => t.text === 'Data')!;
    expect(data.y).toBeGreaterThan(opts.y);
  });

  it('describes the header in words for screen readers', () => {
    expect(s.title).toBe('TCP header');
    expect(s.description).toContain('Source Port (bits 0–15)');
    expect(s.description).toContain('Synchronize (bit 110)');
    expect(s.description).toContain('Options (variable length)');
    expect(s.steps).toBe(0);
  });

  it('is deterministic', () => {
    expect(layoutHeader(tcpModel())).toEqual(s);
  });
});

describe('layoutHeader: ruler, offsets, values, colour', () => {
  it('puts an RFC bit ruler 0…31 above the grid', () => {
    const s = layoutHeader(tcpModel({ ruler: true }));
    checkScene(s);
    const labels = texts(s).filter((t) => t.role === 'ruler-label');
    expect(labels.map((t) => t.text)).toEqual(Array.from({ length: 32 }, (_, i) => String(i)));
    const gridTop = Math.min(...boxes(s).map((b) => itemBox(b).y1));
    for (const l of labels) expect(textBox(l).y2).toBeLessThanOrEqual(gridTop);
    for (let i = 1; i < labels.length; i++) expect(labels[i]!.x).toBeGreaterThan(labels[i - 1]!.x);
  });

  it('thins the ruler when bits are too narrow for their numbers', () => {
    const s = layoutHeader(model([field('A', null, 0, 64), field('B', null, 64, 64)], { rowBits: 64, ruler: true }));
    checkScene(s);
    const labels = texts(s).filter((t) => t.role === 'ruler-label');
    expect(labels.length).toBeLessThan(64);
    expect(labels[0]!.text).toBe('0');
  });

  it('writes byte offsets beside each row, left of the grid', () => {
    const s = layoutHeader(tcpModel({ offsets: true }));
    checkScene(s);
    const offs = texts(s).filter((t) => t.role === 'offset-label');
    expect(offs.map((t) => t.text)).toEqual(['0', '4', '8', '12', '16', '20']);
    const gridLeft = Math.min(...boxes(s).map((b) => itemBox(b).x1));
    for (const o of offs) expect(textBox(o).x2).toBeLessThanOrEqual(gridLeft);
  });

  it('counts offsets from where the header starts inside a packet', () => {
    const s = layoutHeader(tcpModel({ offsets: true, byteOffset: 34 }));
    expect(texts(s).filter((t) => t.role === 'offset-label').map((t) => t.text)).toEqual(['34', '38', '42', '46', '50', '54']);
  });

  it("uses the author's accessible description when the source gave one", () => {
    expect(layoutHeader(tcpModel({ description: 'The TCP header, as in RFC 9293.' })).description).toBe('The TCP header, as in RFC 9293.');
  });

  it('shows decoded values under the names', () => {
    const s = layoutHeader(tcpSynModel());
    checkScene(s);
    const name = texts(s).find((t) => t.text === 'Source Port')!;
    const value = texts(s).find((t) => t.text === '8080')!;
    expect(value.role).toBe('field-value');
    expect(value.x).toBeCloseTo(name.x);
    expect(value.y).toBeGreaterThan(name.y);
    expect(texts(s).find((t) => t.text === '0xe6c1')).toBeDefined();
    // The SYN bit's value sits under its letters.
    const values = texts(s).filter((t) => t.role === 'field-value');
    expect(values.filter((t) => t.text === '1')).toHaveLength(2); // SYN, Sequence Number
  });

  it('carries a field colour to its box', () => {
    const m = tcpModel();
    m.fields[2]!.color = '#ffcc00';
    const s = layoutHeader(m);
    const coloured = s.items.filter((i) => i.color === '#ffcc00');
    expect(coloured).toHaveLength(1);
    expect(coloured[0]!.role).toBe('field-box');
  });

  it('merges whole rows of a long field into one box (IPv6 addresses)', () => {
    const s = layoutHeader(ipv6Model({ offsets: true }));
    checkScene(s);
    const src = texts(s).find((t) => t.text === 'Source Address')!;
    const box = boxes(s).map(itemBox).find((b) => inside(textBox(src), b))!;
    const rowBox = boxes(s).map(itemBox).find((b) => inside(textBox(texts(s).find((t) => t.text === 'Payload Length')!), b))!;
    expect(box.y2 - box.y1).toBeCloseTo(4 * (rowBox.y2 - rowBox.y1));
  });

  it('draws a field that crosses a row boundary as one outline, labelled once, with a faint line where the rows meet', () => {
    const s = layoutHeader(model([field('Head', null, 0, 16), field('Crossing', null, 16, 48, 'field', 'ab:cd:ef:01:23:45'), field('Tail', null, 64, 32)]));
    checkScene(s);
    expect(boxes(s)).toHaveLength(3);
    const outline = boxes(s).find((b) => b.type === 'polygon') as Extract<SceneItem, { type: 'polygon' }>;
    expect(outline).toBeDefined();
    const ob = itemBox(outline);
    const head = boxes(s).map(itemBox).find((b) => inside(textBox(texts(s).find((t) => t.text === 'Head')!), b))!;
    // Starts where Head ends (bit 16), reaches the right edge, and covers the whole second row.
    expect(ob.x2).toBeCloseTo(head.x1 + 2 * (head.x2 - head.x1));
    expect(ob.x1).toBeCloseTo(head.x1);
    expect(ob.y1).toBeCloseTo(head.y1);
    expect(ob.y2 - ob.y1).toBeCloseTo(2 * (head.y2 - head.y1));
    expect(texts(s).filter((t) => t.text.startsWith('Crossing'))).toHaveLength(1);
    expect(texts(s).filter((t) => t.text === 'ab:cd:ef:01:23:45')).toHaveLength(1);
    expect(texts(s).some((t) => t.text.includes('(cont.)'))).toBe(false);
    // The name sits where the field starts (first row), the value in the larger part (the whole second row).
    const name = texts(s).find((t) => t.text === 'Crossing')!;
    expect(name.y).toBeLessThan(head.y2);
    expect(textBox(name).x1).toBeGreaterThan(head.x2);
    expect(texts(s).find((t) => t.text === 'ab:cd:ef:01:23:45')!.y).toBeGreaterThan(head.y2);
    const seps = s.items.filter((i) => i.type === 'line' && i.dash) as Extract<SceneItem, { type: 'line' }>[];
    expect(seps.length).toBeGreaterThan(0);
    for (const l of seps) {
      expect(l.y1).toBeCloseTo(head.y2);
      expect(l.x1).toBeGreaterThanOrEqual(head.x2 - 0.5);
    }
  });

  it('keeps pieces apart that only touch at a corner, each named (the later one marked cont.)', () => {
    const s = layoutHeader(model([field('A', null, 0, 24), field('Corner', null, 24, 16, 'field', '0x1234'), field('B', null, 40, 24)]));
    checkScene(s);
    expect(boxes(s).every((b) => b.type === 'rect')).toBe(true);
    expect(texts(s).map((t) => t.text)).toEqual(expect.arrayContaining(['Corner (cont.)']));
    expect(texts(s).filter((t) => t.text === '0x1234')).toHaveLength(1);
  });

  it('names each field that straddles a row once (Ethernet MAC addresses)', () => {
    const s = layoutHeader(model([field('Destination MAC', 'Dst MAC', 0, 48), field('Source MAC', 'Src MAC', 48, 48), field('EtherType', 'Type', 96, 16)]));
    checkScene(s);
    const shown = texts(s).map((t) => t.text);
    expect(shown.sort()).toEqual(['Destination MAC', 'EtherType', 'Source MAC']);
    expect(boxes(s).filter((b) => b.type === 'polygon')).toHaveLength(2);
  });
});

describe('layoutHeader: text that does not fit', () => {
  it('uses the short name, then a smaller size, then elides with the full text as a tooltip', () => {
    const s = layoutHeader(
      model([
        field('Explicit Congestion Notification', 'ECN', 0, 3),
        field('A very long field name without a short form', null, 3, 5),
        field('Rest', null, 8, 24),
      ]),
    );
    checkScene(s);
    expect(texts(s).some((t) => t.text === 'ECN')).toBe(true);
    const elided = texts(s).find((t) => t.title === 'A very long field name without a short form')!;
    expect(elided.text.endsWith('…')).toBe(true);
  });

  it('shows the value alone in a cell too small for name and value', () => {
    const s = layoutHeader(model([field('Traffic Class', null, 0, 2, 'field', '0x2e'), field('Rest', null, 2, 30, 'field', '7')]));
    checkScene(s);
    const v = texts(s).find((t) => t.text === '0x2e')!;
    expect(v.role).toBe('field-value');
    expect(v.title).toBe('Traffic Class: 0x2e');
  });

  it('lays out Chinese labels (the seed figure) without overflow', () => {
    const s = layoutHeader(seedTcpModel());
    checkScene(s);
    for (const name of ['源端口号（16 位）', '序号（32 位）', '窗口大小（16 位）', '选项', '数据']) expect(texts(s).some((t) => t.text === name), name).toBe(true);
  });

  it('never overflows, overlaps or leaves the scene, for any layout (property)', () => {
    const name = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/\s+/g, ' ').trim() || 'x'),
      fc.constantFrom('Source Port', '源端口号（16 位）', 'Window', 'SYN', 'Explicit Congestion Notification', 'W', 'Ää'),
    );
    const arbField = fc.record({
      name,
      short: fc.option(fc.constantFrom('S', 'Src', 'ECN', '窗口'), { nil: null }),
      bits: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 70 })),
      value: fc.option(fc.oneof(fc.constantFrom('0', '1', '0xffff', 'MSS=1460, SACK_PERM'), fc.string({ maxLength: 12 })), { nil: null }),
      flag: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(arbField, { minLength: 1, maxLength: 14 }),
        fc.constantFrom(8, 16, 32, 64),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (specs, rowBits, ruler, offsets, variable) => {
          let offset = 0;
          const fields: HeaderField[] = specs.map((sp) => {
            const f = field(sp.name, sp.short, offset, sp.bits, sp.flag && sp.bits === 1 ? 'flag' : 'field', sp.value);
            offset += sp.bits;
            return f;
          });
          if (variable) fields.push(field('Options', null, offset, null, 'options'), field('Data', null, offset, null, 'data'));
          const m: HeaderModel = model(fields, { rowBits, ruler, offsets, title: 'Random' });
          checkScene(layoutHeader(m));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('layoutHeader on parsed packet-header sources', () => {
  for (const src of ['tcp', 'udp', 'ipv4', 'ipv6', 'icmp', 'tcp-rfc793', 'tcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000']) {
    it(JSON.stringify(src), () => {
      const m = parsePacketHeader(src + '\n');
      const s = layoutHeader(m);
      checkScene(s);
      for (const f of m.fields) expect(s.description).toContain(f.name);
    });
  }

  it('draws the decoded values of real bytes', () => {
    const s = layoutHeader(parsePacketHeader('tcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000\n'));
    const values = texts(s).filter((t) => t.role === 'field-value').map((t) => t.text);
    expect(values).toEqual(expect.arrayContaining(['8080', '54321', '0xe6c1']));
  });
});
