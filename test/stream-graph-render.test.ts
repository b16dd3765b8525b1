/**
 * The stream graphs as drawn (issue 17): the SVG's bars, steps and points read back through its own axes (grid
 * lines and tick labels) give the numbers core's `streamGraph` computed; every graph has its titles, axis titles,
 * ticks and legend in SVG and PDF, light and dark, CJK names included; a 55,000-segment stream gives a small SVG
 * that still holds every marked event; the direction switch and its errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSequence, streamGraph, STREAM_GRAPHS, WiregramError, type Segment, type Timeline } from '@wiregram/core';
import { layoutTimeline } from '@wiregram/layout';
import { renderSvg, sceneToSvg } from '@wiregram/svg';
import { renderPdf } from '@wiregram/pdf';
import type { Document, Element } from '@xmldom/xmldom';
import { FAST_RETRANSMIT as TEXTBOOK } from './support/seeds.js';
import { elements, parseSvg } from './support/svg.js';

/** `12 k` → 12000, `1,500` → 1500, `0.25` → 0.25. */
function tickValue(text: string): number {
  const m = /^(-?[\d,.]+)(?: ([kMG]))?$/.exec(text.trim());
  if (!m) throw new Error(`not a tick label: ${text}`);
  return Number(m[1]!.replace(/,/g, '')) * (m[2] ? { k: 1e3, M: 1e6, G: 1e9 }[m[2]]! : 1);
}

const num = (el: Element, a: string) => Number(el.getAttribute(a));
const classed = (doc: Document, role: string) => elements(doc).filter((e) => e.getAttribute('class') === `wg-${role}`);

/** The SVG's own axes: pixel → value from its grid lines and tick labels (least squares is overkill: two ends). */
function axesOf(svg: string) {
  const doc = parseSvg(svg);
  const ticks = classed(doc, 'graph-tick');
  const xt = ticks.filter((t) => /text-anchor:middle/.test(t.getAttribute('style') ?? ''));
  const yt = ticks.filter((t) => /text-anchor:end/.test(t.getAttribute('style') ?? ''));
  const grid = classed(doc, 'graph-grid');
  const vx = grid.filter((g) => num(g, 'x1') === num(g, 'x2')).map((g) => num(g, 'x1')).sort((a, b) => a - b);
  const hy = grid.filter((g) => num(g, 'y1') === num(g, 'y2')).map((g) => num(g, 'y1')).sort((a, b) => b - a);
  const xv = xt.map((t) => tickValue(t.textContent!)).sort((a, b) => a - b);
  const yv = yt.map((t) => tickValue(t.textContent!)).sort((a, b) => a - b);
  expect(vx.length).toBe(xv.length);
  expect(hy.length).toBe(yv.length);
  const lin = (p: number[], v: number[]) => (px: number) => v[0]! + ((px - p[0]!) / (p[p.length - 1]! - p[0]!)) * (v[v.length - 1]! - v[0]!);
  const plot = { left: vx[0]!, right: vx[vx.length - 1]!, top: hy[hy.length - 1]!, bottom: hy[0]! };
  return { doc, x: lin(vx, xv), y: lin(hy, yv), plot, perPx: { x: (xv[xv.length - 1]! - xv[0]!) / (plot.right - plot.left), y: (yv[yv.length - 1]! - yv[0]!) / (plot.bottom - plot.top) } };
}

describe('the drawn graph reads back, through its own axes, as the numbers streamGraph computed', () => {
  const tl = compileSequence(TEXTBOOK);

  it('tcptrace: each segment bar spans seq..seq+len at its time; the ACK step line passes through every ACK', () => {
    const svg = sceneToSvg(layoutTimeline(tl, { style: 'tcptrace' }), { theme: 'light' });
    const { doc, x, y, plot, perPx } = axesOf(svg);
    const g = streamGraph(tl, 'tcptrace');
    const inPlot = (e: Element) => {
      const [px, py] = e.tagName === 'polyline' ? e.getAttribute('points')!.trim().split(/[\s,]+/).map(Number) : [num(e, 'x1'), num(e, 'y1')];
      return py! >= plot.top - 1 && px! >= plot.left - 1;
    };
    const bars = (role: string) =>
      classed(doc, role)
        .filter((e) => e.tagName === 'line' && inPlot(e) && num(e, 'x1') === num(e, 'x2'))
        .map((e) => [x(num(e, 'x1')), y(Math.max(num(e, 'y1'), num(e, 'y2'))), y(Math.min(num(e, 'y1'), num(e, 'y2')))] as const)
        .sort((a, b) => a[0] - b[0]);
    for (const [key, role] of [
      ['data', 'graph-data'],
      ['retransmission', 'graph-retransmission'],
    ] as const) {
      const s = g.series.find((sr) => sr.key === key)!;
      const drawn = bars(role);
      expect(drawn.length, key).toBe(s.x.length);
      s.x.forEach((t, i) => {
        expect(Math.abs(drawn[i]![0] - t)).toBeLessThanOrEqual(perPx.x);
        expect(Math.abs(drawn[i]![1] - s.y[i]!)).toBeLessThanOrEqual(perPx.y);
        expect(Math.abs(drawn[i]![2] - s.y2![i]!)).toBeLessThanOrEqual(perPx.y);
      });
    }
    const ack = g.series.find((s) => s.key === 'ack')!;
    const pts = classed(doc, 'graph-ack')
      .filter((e) => e.tagName === 'polyline')
      .flatMap((e) => e.getAttribute('points')!.trim().split(/\s+/).map((p) => p.split(',').map(Number) as [number, number]))
      .filter(([px]) => px >= plot.left - 1);
    ack.x.forEach((t, i) => {
      const hit = pts.some(([px, py]) => Math.abs(x(px) - t) <= perPx.x && Math.abs(y(py) - ack.y[i]!) <= perPx.y);
      expect(hit, `ACK ${ack.y[i]} at ${t}`).toBe(true);
    });
    // The lost segment's cross and the zero window's triangle are drawn where they happened.
    const lost = g.series.find((s) => s.key === 'lost')!;
    const cross = classed(doc, 'graph-lost').filter((e) => e.tagName === 'line' && inPlot(e));
    expect(cross.length).toBe(2 * lost.x.length);
    const cx = (num(cross[0]!, 'x1') + num(cross[0]!, 'x2')) / 2;
    expect(Math.abs(x(cx) - lost.x[0]!)).toBeLessThanOrEqual(perPx.x);
    expect(classed(doc, 'graph-zero-window').filter((e) => e.tagName === 'polyline' && inPlot(e)).length).toBe(1);
  });

  it('stevens: a point per segment at (time, seq)', () => {
    const svg = sceneToSvg(layoutTimeline(tl, { style: 'stevens' }), { theme: 'dark' });
    const { doc, x, y, plot, perPx } = axesOf(svg);
    const g = streamGraph(tl, 'stevens');
    const pts = [...classed(doc, 'graph-data'), ...classed(doc, 'graph-retransmission')]
      .filter((e) => e.tagName === 'line' && num(e, 'y1') >= plot.top - 2 && num(e, 'x1') >= plot.left - 1)
      .map((e) => [x(num(e, 'x1')), y((num(e, 'y1') + num(e, 'y2')) / 2)] as const);
    const want = g.series.filter((s) => s.key === 'data' || s.key === 'retransmission').flatMap((s) => s.x.map((t, i) => [t, s.y[i]!] as const));
    expect(pts.length).toBe(want.length);
    for (const [t, v] of want) expect(pts.some(([a, b]) => Math.abs(a - t) <= perPx.x && Math.abs(b - v) <= perPx.y), `${t}, ${v}`).toBe(true);
  });
});

describe('every graph has its words, in SVG and PDF, light and dark', () => {
  const words: Record<string, string[]> = {
    stevens: ['Time / Sequence (Stevens): 客户端 → 服务端', 'Sequence number (bytes, relative)', 'Time (one-way trips)', 'data segment', 'retransmission', 'lost / not captured'],
    tcptrace: ['Time / Sequence (tcptrace)', 'ACK', 'receive window (ACK + window)', 'zero window', 'retransmission'],
    throughput: ['Throughput', 'Throughput (bytes per one-way trip)', 'throughput', 'Time (one-way trips)'],
    rtt: ['Round Trip Time', 'Round-trip time (one-way trips)', 'Sequence number (bytes, relative)', 'round-trip time'],
    window: ['Window Scaling', 'advertised window', 'bytes in flight', 'Bytes'],
  };
  it.each(STREAM_GRAPHS)('%s', (kind) => {
    const src = TEXTBOOK.replace('participant client', `option layout=${kind}\nparticipant client`);
    for (const theme of ['light', 'dark'] as const) {
      const doc = parseSvg(renderSvg(src, { theme }));
      const texts = elements(doc, 'text').map((t) => t.textContent);
      expect(texts).toContain('快速重传 (fast retransmit)');
      for (const w of words[kind]!) expect(texts.some((t) => t === w || t?.startsWith(w)), `${kind} ${theme}: ${w}`).toBe(true);
      expect(classed(doc, 'graph-tick').length).toBeGreaterThanOrEqual(6);
      expect(elements(doc, 'desc')[0]!.textContent).toMatch(/of the data from 客户端 to 服务端; 6 data segments, 6,000 bytes over 12 one-way trips; 1 retransmission; 1 lost or not captured/);
    }
    const dir = mkdtempSync(join(tmpdir(), 'wg-graph-pdf-'));
    const file = join(dir, `${kind}.pdf`);
    writeFileSync(file, renderPdf(src, { theme: 'dark' }));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const w of [words[kind]![0]!, '快速重传']) expect(text.replace(/\s+/g, ' ')).toContain(w.split(':')[0]);
  });
});

/** A long bulk transfer as a capture would give it: data every 20 µs, an ACK every second segment. */
function longStream(segments: number): Timeline {
  const base = compileSequence('participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK');
  const segs: Segment[] = [];
  let sent = 1;
  let t = 0;
  const mk = (from: 'a' | 'b', seq: number, ack: number, len: number, extra: Partial<Segment> = {}): Segment => ({
    ...base.segments[2]!,
    index: segs.length,
    from,
    to: from === 'a' ? 'b' : 'a',
    flags: ['ACK'],
    seq: { symbol: null, offset: seq, relative: seq },
    ack: { symbol: null, offset: ack, relative: ack },
    len,
    window: 65535,
    options: [],
    marks: [],
    retransmission: false,
    time: (t += 20e-6),
    ...extra,
  });
  let k = 0;
  let stalled = false;
  while (segs.length < segments) {
    k++;
    segs.push(mk('a', sent, 1, 1448));
    sent += 1448;
    if (k % 2 === 0) {
      const stall: boolean = !stalled && segs.length >= 30_000;
      stalled ||= stall;
      segs.push(mk('b', 1, sent, 0, stall ? { window: 0, marks: [{ kind: 'zero-window', text: 'zero window' }] } : {}));
    }
    if (k % 5000 === 0) {
      segs.push(mk('a', sent - 1448 * 50, 1, 1448, { retransmission: true, marks: [{ kind: 'retransmission', text: 'retransmission' }] }));
    }
  }
  return { ...base, title: 'long', segments: segs, states: base.states, duration: t };
}

describe('a long stream stays small', () => {
  it('55,000 segments: an SVG under 1 MB, bounded by the plot, with every retransmission and the zero window drawn', () => {
    const tl = longStream(55_000);
    const scene = layoutTimeline(tl, { style: 'tcptrace' });
    const svg = sceneToSvg(scene, { theme: 'light' });
    expect(svg.length).toBeLessThan(1_000_000);
    expect(scene.items.length).toBeLessThan(5000);
    const doc = parseSvg(svg);
    const retrans = tl.segments.filter((s) => s.retransmission).length;
    expect(retrans).toBeGreaterThanOrEqual(5);
    // Far apart in time: one bar each (plus the legend's swatch: a bar and its two end ticks).
    const bars = classed(doc, 'graph-retransmission').filter((e) => num(e, 'x1') === num(e, 'x2'));
    expect(bars.length).toBe(retrans + 1);
    expect(classed(doc, 'graph-zero-window').length).toBe(2); // the marker and its legend swatch
    expect(elements(doc, 'desc')[0]!.textContent).toMatch(/retransmissions?; .*1 zero-window advertisement/);
  });
});

describe('the direction switch', () => {
  it('draws the other direction; an unknown name is a positioned, typed error', () => {
    const tl = compileSequence(TEXTBOOK);
    const fwd = layoutTimeline(tl, { style: 'tcptrace' });
    const back = layoutTimeline(tl, { style: 'tcptrace', direction: 'reverse' });
    const title = (s: typeof fwd) => s.items.find((i) => i.type === 'text' && i.text.startsWith('Time / Sequence'));
    expect(title(fwd)).toMatchObject({ text: 'Time / Sequence (tcptrace): 客户端 → 服务端' });
    expect(title(back)).toMatchObject({ text: 'Time / Sequence (tcptrace): 服务端 → 客户端' });
    const src = TEXTBOOK.replace('participant client', 'option layout=tcptrace direction=server\nparticipant client');
    expect(renderSvg(src)).toContain('服务端 → 客户端');
    let err: unknown;
    try {
      renderSvg(TEXTBOOK.replace('participant client', 'option layout=tcptrace direction=bob\nparticipant client'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WiregramError);
    expect((err as WiregramError).message).toMatch(/direction=bob: no participant is called "bob"/);
    expect((err as WiregramError).expected).toMatch(/client \| server \| reverse/);
  });
});
