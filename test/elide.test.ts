/**
 * `option elide=auto` (issue 17, item 3): a long stream's overview in the sequence layouts. Runs of unremarkable
 * segments fold into one labelled gap; every marked event stays with its neighbours. Asserted on what a reader
 * sees: the SVG's texts and geometry in each style, the PDF's text layer, the CLI flag, and the error for a bad value.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSequence, ELIDE_MODES } from '@wiregram/core';
import { elideTimeline } from '@wiregram/layout';
import { renderPdf } from '@wiregram/pdf';
import { renderSvg } from '@wiregram/svg';
import { frame, tcpPacket, writePcap } from '../packages/core/test/fixtures/capture/build.js';
import { ELIDE } from '../packages/cli/src/commands.js';
import { wiregram } from '../packages/cli/test/helpers.js';
import { overlaps, parseSvg, textBoxes, viewBox } from './support/svg.js';

const dir = mkdtempSync(join(tmpdir(), 'wg-elide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A simulated bulk transfer of 2 × 120 segments with one loss in the middle: 249 segments in all. */
const TRANSFER = `title bulk transfer with one loss
option elide=auto
participant client
participant server
client -> server: SYN
server -> client: SYN, ACK
client -> server: ACK
loop 60
  client -> server: PSH, ACK len=1000
  server -> client: ACK
end
client -x server: PSH, ACK len=1000
client -> server: PSH, ACK len=1000 retransmit
server -> client: ACK
loop 60
  client -> server: PSH, ACK len=1000
  server -> client: ACK
end
client -> server: FIN, ACK
server -> client: FIN, ACK
client -> server: ACK
`;

const GAP = /^… ([\d,]+) segments, ([\d.]+) kB …$/;

describe('a simulated transfer, folded', () => {
  const full = compileSequence(TRANSFER);

  it('folds the two runs of plain data and ACKs, keeping handshake, loss, retransmission and close with neighbours', () => {
    const { timeline, gaps } = elideTimeline(full, 'auto');
    expect(full.segments).toHaveLength(249);
    expect(gaps).toHaveLength(2);
    // Every segment is either drawn or counted in a gap, and the gaps' bytes are the folded segments' bytes.
    expect(timeline.segments.length + gaps.reduce((n, g) => n + g.count, 0)).toBe(249);
    for (const g of gaps) {
      let bytes = 0;
      for (let i = g.first; i <= g.last; i++) bytes += full.segments[i]!.len;
      expect(g.bytes).toBe(bytes);
    }
    const kept = timeline.segments;
    expect(kept.filter((s) => s.flags.includes('SYN'))).toHaveLength(2);
    expect(kept.filter((s) => s.flags.includes('FIN'))).toHaveLength(2);
    expect(kept.filter((s) => s.lost)).toHaveLength(1);
    expect(kept.filter((s) => s.retransmission)).toHaveLength(1);
    // Two neighbours each side of the loss are drawn.
    const lost = kept.findIndex((s) => s.lost);
    expect(kept[lost - 2]!.len + kept[lost - 1]!.len).toBeGreaterThan(0);
    expect(kept.slice(lost + 1, lost + 4).map((s) => s.retransmission)).toContain(true);
    // Renumbered, and time still runs forwards.
    expect(kept.map((s) => s.index)).toEqual(kept.map((_, i) => i));
    for (let i = 1; i < kept.length; i++) expect(kept[i]!.sentAt).toBeGreaterThanOrEqual(kept[i - 1]!.sentAt);
    // Every state change still has its segment.
    for (const st of timeline.states) if (st.cause !== null) expect(kept[st.cause]).toBeDefined();
  });

  for (const style of ['states', 'lifeline', 'flow'] as const) {
    it(`${style}: the gaps are labelled, the marked events drawn, nothing overlaps, and the figure is far shorter`, () => {
      const svg = renderSvg(TRANSFER, { style });
      const doc = parseSvg(svg);
      const texts = textBoxes(doc);
      const gaps = texts.filter((t) => GAP.test(t.text));
      expect(gaps).toHaveLength(2);
      const folded = gaps.reduce((n, g) => n + Number(GAP.exec(g.text)![1]!.replace(/,/g, '')), 0);
      expect(folded).toBeGreaterThan(200);
      expect(texts.some((t) => /retransmission/i.test(t.text))).toBe(true);
      expect(texts.some((t) => /FIN/.test(t.text))).toBe(true);
      expect(overlaps(texts)).toEqual([]);
      const unfolded = viewBox(parseSvg(renderSvg(TRANSFER.replace('option elide=auto', 'option elide=off'), { style })));
      expect(viewBox(doc).height).toBeLessThan(unfolded.height / 4);
      // The description lists what is drawn, the gaps included.
      expect(doc.getElementsByTagName('desc')[0]!.textContent).toMatch(/segments/);
    });
  }

  it('auto leaves a short diagram whole; on folds it anyway; off (and no option) never folds', () => {
    const short = TRANSFER.replace(/loop 60/g, 'loop 10');
    expect(compileSequence(short).segments.length).toBeLessThanOrEqual(100);
    expect(textBoxes(parseSvg(renderSvg(short))).filter((t) => GAP.test(t.text))).toHaveLength(0);
    expect(textBoxes(parseSvg(renderSvg(short.replace('elide=auto', 'elide=on')))).filter((t) => GAP.test(t.text))).toHaveLength(2);
    expect(textBoxes(parseSvg(renderSvg(TRANSFER.replace('option elide=auto\n', ''))))).not.toContainEqual(expect.objectContaining({ text: expect.stringMatching(GAP) }));
    // The API option wins over the block's.
    expect(textBoxes(parseSvg(renderSvg(TRANSFER, { elide: 'off' }))).filter((t) => GAP.test(t.text))).toHaveLength(0);
  });

  it('past the output budget, a long diagram is pointed to the overview, which fits', () => {
    const whole = TRANSFER.replace('option elide=auto\n', '');
    expect(() => renderSvg(whole, { maxElements: 600 })).toThrow(expect.objectContaining({ code: 'over-budget', hint: expect.stringMatching(/^draw an overview with option elide=auto /) }));
    expect(textBoxes(parseSvg(renderSvg(TRANSFER, { maxElements: 600 }))).filter((t) => GAP.test(t.text))).toHaveLength(2);
  });

  it('a bad value is an error at the option, with the values', () => {
    expect(() => compileSequence('option elide=sometimes\nclient -> server: SYN')).toThrow(
      expect.objectContaining({ code: 'bad-option', line: 1, column: 8, expected: 'elide=auto | on | off' }),
    );
    expect(() => renderSvg('client -> server: SYN', { elide: 'always' as 'on' })).toThrow(expect.objectContaining({ code: 'invalid-option' }));
  });

  it('PDF: the gaps are in the text layer, light and dark', () => {
    for (const theme of ['light', 'dark'] as const) {
      const file = join(dir, `transfer-${theme}.pdf`);
      writeFileSync(file, renderPdf(TRANSFER, { style: 'lifeline', ...(theme === 'dark' ? { theme: 'dark' } : {}) }));
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      expect(text.match(/… [\d,]+ segments, [\d.]+ kB …/g)).toHaveLength(2);
      expect(text).toContain('retransmission');
    }
  });
});

/** A capture: 400 data segments, an ACK every second one, one loss repaired by a fast retransmission. */
function bulkCapture(): Uint8Array {
  const packets: Uint8Array[] = [];
  const c = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 443 };
  const s = { src: '10.0.0.2', dst: '10.0.0.1', sport: 443, dport: 40000 };
  const C = 1000;
  const S = 9000;
  packets.push(tcpPacket({ ...c, seq: C, flags: 'S' }), tcpPacket({ ...s, seq: S, ack: C + 1, flags: 'SA' }), tcpPacket({ ...c, seq: C + 1, ack: S + 1, flags: 'A' }));
  let next = C + 1;
  let hole = -1;
  for (let k = 0; k < 400; k++) {
    packets.push(tcpPacket({ ...c, seq: next, ack: S + 1, flags: 'PA', payload: 1000 }));
    if (k === 200) hole = next;
    next += 1000;
    if (hole >= 0 && k > 200 && k <= 203) packets.push(tcpPacket({ ...s, seq: S + 1, ack: hole, flags: 'A' }));
    if (k === 203) {
      packets.push(tcpPacket({ ...c, seq: hole, ack: S + 1, flags: 'PA', payload: 1000 }));
      hole = -1;
    }
    if (hole < 0 && k % 2 === 1) packets.push(tcpPacket({ ...s, seq: S + 1, ack: next, flags: 'A' }));
  }
  packets.push(tcpPacket({ ...c, seq: next, ack: S + 1, flags: 'FA' }), tcpPacket({ ...s, seq: S + 1, ack: next + 1, flags: 'FA' }), tcpPacket({ ...c, seq: next + 1, ack: S + 2, flags: 'A' }));
  return writePcap(
    packets.map((ip, i) => ({ sec: 1_700_000_000, nsec: i * 100_000, data: frame(101, ip) })),
    { linkType: 101, nano: true },
  );
}

describe('a capture, folded', () => {
  const bytes = bulkCapture();
  writeFileSync(join(dir, 'bulk.pcap'), bytes);
  const source = 'option elide=auto layout=flow labels=wireshark\ncapture bulk.pcap stream 0\n';
  const readFile = () => bytes;

  it('flow: gaps carry segments, bytes and capture time; the fast retransmission, its original and the dup ACKs are drawn', () => {
    const doc = parseSvg(renderSvg(source, { readFile }));
    const texts = textBoxes(doc).map((t) => t.text);
    const gaps = texts.filter((t) => /^… [\d,]+ segments, [\d.]+ kB, [\d.]+ ms …$/.test(t));
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    expect(texts.filter((t) => /^\[TCP Fast Retransmission\] 40000 → 443 \[PSH, ACK\] Seq=200001 /.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /^40000 → 443 \[PSH, ACK\] Seq=200001 /.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /^\[TCP Dup ACK \d+#[123]\]/.test(t))).toHaveLength(3);
    expect(texts.filter((t) => /\[SYN\]|\[SYN, ACK\]|\[FIN, ACK\]/.test(t))).toHaveLength(4);
  });

  it('labels are made only for what the overview keeps, and a drawing that folds otherwise still labels all it draws', () => {
    const plain = compileSequence('option layout=flow labels=wireshark\ncapture bulk.pcap stream 0\n', { readFile });
    const lazy = compileSequence(source, { readFile });
    const { timeline: kept, gaps } = elideTimeline(lazy, 'auto');
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    // A folded segment is never drawn: its label was never made. A kept one has the label the whole stream gives it.
    const folded = new Set(gaps.flatMap((g) => Array.from({ length: g.count }, (_, k) => g.first + k)));
    for (const s of lazy.segments) expect(s.label === '').toBe(folded.has(s.index));
    expect(kept.segments.map((s) => s.label)).toEqual(plain.segments.filter((s) => !folded.has(s.index)).map((s) => s.label));
    // The block says elide=auto; a host (or an API caller) that draws it whole gets every label, as without the option.
    const told = compileSequence(source, { readFile, elide: 'off' });
    expect(told.segments.map((s) => s.label)).toEqual(plain.segments.map((s) => s.label));
    const whole = elideTimeline(lazy, 'off').timeline;
    expect(whole.segments.map((s) => s.label)).toEqual(plain.segments.map((s) => s.label));
    const drawn = textBoxes(parseSvg(renderSvg(source, { readFile, elide: 'off' }))).map((t) => t.text);
    for (const s of plain.segments) expect(drawn).toContain(s.label);
  });

  it('the CLI: --elide auto folds, --elide off overrides the block', () => {
    writeFileSync(join(dir, 'bulk.md'), '# bulk\n\n```tcp-sequence\ncapture bulk.pcap stream 0\n```\n');
    const on = wiregram(['render', 'bulk.md', '--elide', 'auto', '-o', 'on'], { cwd: dir });
    expect(on.code, on.stderr).toBe(0);
    const folded = readFileSync(join(dir, 'on', 'bulk-1.svg'), 'utf8');
    expect(folded).toMatch(/… [\d,]+ segments, [\d.]+ kB, [\d.]+ ms …/);
    const off = wiregram(['render', 'bulk.md', '--elide', 'off', '-o', 'off'], { cwd: dir });
    expect(off.code, off.stderr).toBe(0);
    expect(readFileSync(join(dir, 'off', 'bulk-1.svg'), 'utf8')).not.toMatch(/ segments, [\d.]+ kB/);
    // The CLI writes core's list out (so that --help loads nothing): the same values.
    expect([...ELIDE]).toEqual([...ELIDE_MODES]);
    const bad = wiregram(['render', 'bulk.md', '--elide', 'sometimes'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid value 'sometimes' for --elide: expected auto, on, off");
  }, 60_000);
});
