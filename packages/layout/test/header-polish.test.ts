/**
 * What a reader sees in header figures: group captions and brackets, options that flow across rows, option
 * values printed once, faint row lines inside tall fields, flag letters that stay legible in narrow grids,
 * Mermaid's bit order — checked on the rendered SVG (texts, viewBox, overlaps) and on the Scene geometry.
 */
import { describe, expect, it } from 'vitest';
import { itemBox, layoutHeader, layoutSource, textBox, type Box, type Scene, type SceneItem, type SceneText } from '@wiregram/layout';
import { parsePacketHeader } from '@wiregram/core';
import { renderSvg } from '@wiregram/svg';
import { overlaps, parseSvg, textBoxes, viewBox } from '../../../test/support/svg.js';
import { field, model, tcpModel } from './fixtures/header-models.js';

const texts = (s: Scene) => s.items.filter((i): i is SceneText => i.type === 'text');
const cells = (s: Scene) => s.items.filter((i) => (i.type === 'rect' || i.type === 'polygon') && (i.role === 'field-box' || i.role === 'flag-box'));
const inside = (a: Box, b: Box, tol = 0.5) => a.x1 >= b.x1 - tol && a.y1 >= b.y1 - tol && a.x2 <= b.x2 + tol && a.y2 <= b.y2 + tol;
const header = (src: string) => layoutHeader(parsePacketHeader(src));
const one = (s: Scene, text: string) => {
  const found = texts(s).filter((t) => t.text === text);
  expect(found, text).toHaveLength(1);
  return found[0]!;
};

/** A SYN in IPv4 whose TCP options are MSS, NOP, NOP, Timestamps (at byte 46: mid-row), NOP, WS, SACK_PERM, EOL. */
const STACK = `ipv4 + tcp
ruler
offsets
bytes 4500 0040 0000 4000 4006 0000 7f00 0001 7f00 0001 1f90 d431 0000 0001 0000 0000 b002 faf0 e6c1 0000
      0204 05b4 0101 080a 0001 e240 0000 0000 0103 0307 0402 0000`;
const TCP_SYN = 'tcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000';

/** The reader's checks on the real SVG: every text inside the viewBox, no two texts overlap. */
function checkSvg(svg: string): ReturnType<typeof textBoxes> {
  const doc = parseSvg(svg);
  const vb = viewBox(doc);
  const boxes = textBoxes(doc);
  for (const b of boxes) expect(b.x1 >= vb.x - 0.5 && b.y1 >= vb.y - 0.5 && b.x2 <= vb.x + vb.width + 0.5 && b.y2 <= vb.y + vb.height + 0.5, `${b.text} inside the viewBox`).toBe(true);
  expect(overlaps(boxes).map(([a, b]) => `${a.text} × ${b.text}`)).toEqual([]);
  return boxes;
}

describe('every built-in, with and without bytes, ruler and offsets', () => {
  const BYTES: Record<string, string> = {
    tcp: '1f90 d431 0000 0001 0000 0000 a002 faf0 e6c1 0000 0204 05b4 0402 080a 0001 e240 0000 0000 0103 0307',
    'tcp-rfc793': '1f90 d431 0000 0001 0000 0000 5012 faf0 e6c1 0000',
    udp: '1f90 0035 001c 1234',
    ipv4: '4500 003c 1c46 4000 4006 b1e6 c0a8 0001 c0a8 00c7',
    ipv6: '6000 0000 0014 0640 2001 0db8 0000 0000 0000 0000 0000 0001 2001 0db8 0000 0000 0000 0000 0000 0002',
    icmp: '0800 f7ff 0001 0001',
    ethernet: 'ffff ffff ffff 0011 2233 4455 0800',
  };
  for (const [name, bytes] of Object.entries(BYTES)) {
    for (const extra of ['', '\nruler\noffsets']) {
      for (const withBytes of [false, true]) {
        const src = `${name}${extra}${withBytes ? `\nbytes ${bytes}` : ''}`;
        it(JSON.stringify(src.replace(/\n/g, ' ; ').slice(0, 60)), () => {
          const boxes = checkSvg(renderSvg(src, { language: 'packet-header' }));
          const m = parsePacketHeader(src);
          expect(m.warnings).toEqual([]);
          // Every field is named (full, short or elided with its name as tooltip), once per outline.
          const shown = new Set(boxes.flatMap((b) => [b.text, b.title ?? '']));
          for (const f of m.fields.filter((x) => (x.bits ?? 8) > 1)) {
            expect(shown.has(f.name) || shown.has(f.short ?? '') || [...shown].some((t) => t.startsWith(`${f.name}:`)), f.name).toBe(true);
          }
          expect(boxes.filter((b) => b.text.includes('(cont.)'))).toEqual([]);
        });
      }
    }
  }
});

describe('groups: the flags caption and the option/layer brackets', () => {
  it('captions the TCP flags "Flags" over exactly the flag cells, inside the row, below the ruler', () => {
    const s = header('tcp\nruler');
    const cap = one(s, 'Flags');
    const flagCells = cells(s).filter((c) => c.role === 'flag-box').map(itemBox);
    const capBox = flagCells.find((b) => inside(textBox(cap), b))!;
    const letters = flagCells.filter((b) => b !== capBox);
    // AE (AccECN, as tshark 4.0.17 names the bit), CWR, ECE, URG, ACK, PSH, RST, SYN, FIN.
    expect(letters).toHaveLength(9);
    expect(capBox.x1).toBeCloseTo(Math.min(...letters.map((b) => b.x1)));
    expect(capBox.x2).toBeCloseTo(Math.max(...letters.map((b) => b.x2)));
    for (const b of letters) expect(b.y1).toBeCloseTo(capBox.y2);
    const ruler = texts(s).filter((t) => t.role === 'ruler-label');
    for (const r of ruler) expect(textBox(r).y2).toBeLessThan(capBox.y1);
    // The row holding the flags still starts and ends with Data Offset and Window.
    const doff = cells(s).map(itemBox).find((b) => inside(textBox(one(s, 'Data Offset')), b))!;
    expect(doff.y1).toBeCloseTo(capBox.y1);
    expect(doff.y2).toBeCloseTo(Math.max(...letters.map((b) => b.y2)));
  });

  it('writes the decoded flags into the caption when they fit', () => {
    const s = header(TCP_SYN);
    expect(texts(s).map((t) => t.text)).toContain('Flags: 0x002 (SYN)');
  });

  it('brackets the options and each protocol layer in the right margin, labels readable and apart', () => {
    const s = header(STACK);
    const gridRight = Math.max(...cells(s).map((c) => itemBox(c).x2));
    const labels = texts(s).filter((t) => t.role === 'divider-label');
    expect(labels.map((t) => t.text).sort()).toEqual(['Internet Protocol Version 4', 'Options (24 bytes)', 'Transmission Control Protocol']);
    for (const l of labels) {
      const b = textBox(l);
      expect(b.x1).toBeGreaterThan(gridRight);
      expect(b.x2).toBeLessThanOrEqual(s.width);
      expect(l.fontSize).toBeGreaterThanOrEqual(9);
    }
    const opts = labels.find((t) => t.text.startsWith('Options'))!;
    const mss = cells(s).map(itemBox).find((b) => inside(textBox(one(s, 'Maximum Segment Size')), b))!;
    const bracket = s.items.filter((i) => i.role === 'divider').map(itemBox).find((b) => b.x1 < opts.x && b.x2 > gridRight && b.y1 <= textBox(opts).y1)!;
    expect(bracket.y1).toBeGreaterThanOrEqual(mss.y1 - 0.5);
    expect(bracket.y1).toBeLessThan(mss.y2);
    checkSvg(renderSvg(STACK, { language: 'packet-header' }));
  });
});

describe('TCP options', () => {
  const s = header(STACK);

  it('flow across rows: Timestamps (byte 46, mid-row) is one outline from its byte to the next row, labelled once', () => {
    const ts = one(s, 'Timestamps');
    expect(one(s, 'TSval 123456, TSecr 0').y).toBeGreaterThan(ts.y);
    const outline = cells(s).filter((c) => c.type === 'polygon' && inside(textBox(ts), itemBox(c)));
    expect(outline).toHaveLength(1);
    const poly = outline[0] as Extract<SceneItem, { type: 'polygon' }>;
    const ob = itemBox(poly);
    // Where the outline starts in its first row.
    const startX = Math.min(...poly.points.filter(([, y]) => Math.abs(y - ob.y1) < 0.01).map(([x]) => x));
    const nop = cells(s).map(itemBox).filter((b) => b.y1 < ob.y1 + 1 && b.y2 > ob.y1 + 1 && b.x2 <= startX + 0.5);
    // Two NOPs before it in its first row (bytes 44, 45), the option starts right after them.
    expect(nop).toHaveLength(2);
    const rowH = nop[0]!.y2 - nop[0]!.y1;
    expect(ob.y2 - ob.y1).toBeCloseTo(3 * rowH);
    const grid = cells(s).map(itemBox);
    expect(ob.x2).toBeCloseTo(Math.max(...grid.map((b) => b.x2)));
    expect(texts(s).some((t) => t.text.includes('(cont.)'))).toBe(false);
  });

  it('close the last row cleanly: no torn edge when every byte is decoded', () => {
    expect(cells(s).filter((c) => c.type === 'polygon' && c.points.length > 10)).toEqual([]);
    const pad = cells(s).map(itemBox).find((b) => inside(textBox(one(s, 'Padding')), b))!;
    expect(pad.y2).toBeCloseTo(Math.max(...cells(s).map((c) => itemBox(c).y2)));
  });

  it('show each name once and the value without repeating it', () => {
    const shown = texts(s).map((t) => t.text);
    for (const v of ['1460', '7 (multiply by 128)', 'TSval 123456, TSecr 0']) expect(shown).toContain(v);
    for (const dup of ['MSS: 1460', 'SACK permitted', 'NOP', 'EOL', 'Window scale: 7 (multiply by 128)']) expect(shown).not.toContain(dup);
    expect(shown.filter((t) => t === 'SACK Permitted')).toHaveLength(1);
    expect(shown.filter((t) => t === 'No-Operation')).toHaveLength(3);
  });

  it('use the short name with the value when the cell is narrow', () => {
    const m = model([field('Maximum Segment Size', 'MSS', 0, 32, 'options', 'MSS: 1460')]);
    const narrow = layoutHeader(m, { bitWidth: 3.5 });
    const shown = texts(narrow).map((t) => t.text);
    expect(shown.some((t) => t === 'MSS' || t === 'MSS: 1460')).toBe(true);
    expect(shown.join(' ')).toContain('1460');
    expect(shown.join(' ').match(/MSS/g)).toHaveLength(1);
  });
});

describe('fields over several whole rows (IPv6 addresses)', () => {
  const s = header('ipv6\nbytes 6000 0000 0014 0640 2001 0db8 0000 0000 0000 0000 0000 0001 2001 0db8 0000 0000 0000 0000 0000 0002');
  it('draw faint dashed row lines inside the merged box, never through its texts', () => {
    for (const name of ['Source Address', 'Destination Address']) {
      const label = one(s, name);
      const box = cells(s).map(itemBox).find((b) => inside(textBox(label), b))!;
      const rowH = (box.y2 - box.y1) / 4;
      const lines = s.items.filter((i): i is Extract<SceneItem, { type: 'line' }> => i.type === 'line' && !!i.dash && i.y1 > box.y1 && i.y1 < box.y2);
      expect(new Set(lines.map((l) => Math.round(l.y1)))).toEqual(new Set([1, 2, 3].map((k) => Math.round(box.y1 + k * rowH))));
      for (const l of lines) {
        expect(l.x1).toBeGreaterThanOrEqual(box.x1);
        expect(l.x2).toBeLessThanOrEqual(box.x2);
        for (const t of texts(s)) {
          const tb = textBox(t);
          const crosses = l.y1 > tb.y1 && l.y1 < tb.y2 && l.x2 > tb.x1 && l.x1 < tb.x2;
          expect(crosses, `${t.text} crossed by a row line`).toBe(false);
        }
      }
    }
    expect(texts(s).map((t) => t.text)).toEqual(expect.arrayContaining(['2001:db8::1', '2001:db8::2']));
  });
});

describe('flag letters in narrow grids', () => {
  it('stay at 9 px or more when a tcp-sequence header squeezes the bit columns', () => {
    const s = layoutSource('participant c\nparticipant s\nc -> s: SYN mss=1460\nheader\n');
    const flags = texts(s).filter((t) => t.role === 'flag');
    expect(flags.length).toBeGreaterThanOrEqual(24);
    for (const f of flags) expect(f.fontSize, f.text).toBeGreaterThanOrEqual(9);
    // The letters still fit their 1-bit cells.
    const boxes = cells(s).filter((c) => c.role === 'flag-box').map(itemBox);
    for (const f of flags) expect(boxes.some((b) => inside(textBox(f), b)), f.text).toBe(true);
  });

  it('stay at 9 px or more at the narrowest default bit width', () => {
    const s = layoutHeader(tcpModel(), { bitWidth: 12 });
    for (const f of texts(s).filter((t) => t.role === 'flag')) expect(f.fontSize).toBeGreaterThanOrEqual(9);
  });
});

describe('Mermaid packet blocks', () => {
  const VALID = [
    'packet-beta\n0-15: "Source Port"\n16-31: "Destination Port"\n32-63: "Sequence Number"\n',
    'packet\ntitle UDP Packet\n+16: "Source Port"\n+16: "Destination Port"\n32-47: "Length"\n48-63: "Checksum"\n64-95: "Data (variable length)"\n',
    '---\ntitle: "TCP Packet"\nconfig:\n  packet:\n    bitsPerRow: 16\n    showBits: true\n    bitOrder: ascending\n---\npacket\n0-15: "Source Port"\n16-31: "Destination Port"\n',
    '%%{init: { "packet": { "bitsPerRow": 16, "bitOrder": "descending" } }}%%\npacket\n0-7: "A"\n8-15: "B"\n',
    '---\nconfig:\n  packet:\n    bitOrder: descending\n---\npacket\n0-3: "Mode"\n4: "EN"\n5: "IRQ"\n6-7: "Rsvd"\n8-15: "Prescaler"\n16-31: "Count"\n',
  ];
  for (const src of VALID) {
    it(`renders without warnings: ${JSON.stringify(src.slice(0, 50))}`, () => {
      expect(parsePacketHeader(src).warnings).toEqual([]);
      checkSvg(renderSvg(src, { language: 'packet-header' }));
    });
  }

  it('mirrors every row for bitOrder: descending (bit 0 on the right), offsets and title stay', () => {
    const src = VALID[4]!.replace('packet\n', 'packet\ntitle Register\n').replace('bitOrder: descending', 'bitOrder: descending\n    showBits: true');
    const m = parsePacketHeader(src);
    expect(m.bitOrder).toBe('descending');
    expect(m.ruler).toBe(true);
    const s = layoutHeader(m);
    expect(one(s, 'Mode').x).toBeGreaterThan(one(s, 'Prescaler').x);
    expect(one(s, 'Prescaler').x).toBeGreaterThan(one(s, 'Count').x);
    const ruler = texts(s).filter((t) => t.role === 'ruler-label');
    const zero = ruler.find((t) => t.text === '0')!;
    expect(Math.max(...ruler.map((t) => t.x))).toBeCloseTo(zero.x);
    const asc = layoutHeader(parsePacketHeader(src.replace('bitOrder: descending', 'bitOrder: ascending')));
    expect(one(asc, 'Mode').x).toBeLessThan(one(asc, 'Count').x);
    expect(one(s, 'Register').x).toBeCloseTo(one(asc, 'Register').x);
    checkSvg(renderSvg(src, { language: 'packet-header' }));
  });

  it('rejects an unknown bit order with the values it accepts', () => {
    expect(() => parsePacketHeader('packet\nbitOrder: sideways\n0-7: "A"\n')).toThrow(/not a bit order/);
  });
});
