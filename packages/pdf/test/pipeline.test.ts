/**
 * The real pipeline: text → core → layout → PDF, on the seed wavehand (CJK participant names). These tests use
 * the Scenes the layout really produces, so what they check is what a user gets.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compileSequence, WiregramError } from '@wiregram/core';
import * as layout from '@wiregram/layout';
import type { Scene, SceneText } from '@wiregram/layout';
import { renderDeck, renderPdf, scenesToPdf } from '../src/index.js';
import { pdfFile, pdfInfo, pdfText, squash, toPng } from './helpers.js';

const WAVEHAND = readFileSync(new URL('./fixtures/wavehand.tcp', import.meta.url), 'utf8');
const wavehand = (): Scene => layout.layoutTimeline(compileSequence(WAVEHAND));
const textsOf = (scene: Scene, pred: (t: SceneText) => boolean = () => true) =>
  scene.items.filter((i): i is SceneText => i.type === 'text' && pred(i));

describe('seed wavehand through core and layout', () => {
  test('every label, state and name is on the page, labels in segment order', () => {
    const scene = wavehand();
    const path = pdfFile(scenesToPdf([scene]), 'seed-wavehand');
    toPng(path, 'seed-wavehand');
    const text = squash(pdfText(path));
    for (const t of textsOf(scene)) expect(text).toContain(squash(t.text));
    for (const s of ['客户端', '服务端', '数据传输', 'FIN,seq=u', 'ACK,seq=v,ack=u+1', 'FIN,ACK,seq=w,ack=u+1', 'ACK,seq=u+1,ack=w+1', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK', '2MSL']) {
      expect(text).toContain(s);
    }
    const labels = textsOf(scene, (t) => t.role === 'label').sort((a, b) => a.step - b.step);
    const at = labels.map((l) => text.indexOf(squash(l.text)));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Each endpoint's states read in time order (the layout's own x separates the two columns).
    for (const side of ['left', 'right'] as const) {
      const mid = scene.width / 2;
      const states = textsOf(scene, (t) => t.role === 'state' && (side === 'left' ? t.x < mid : t.x > mid)).sort((a, b) => a.y - b.y);
      expect(states.length).toBeGreaterThan(4);
      let from = -1;
      for (const st of states) {
        const i = text.indexOf(squash(st.text), from + 1);
        expect(i, `${side}: ${st.text} after position ${from}`).toBeGreaterThan(from);
        from = i;
      }
    }
  });

  test('text sits where the layout put it: centred on its x, as wide as measured, on its baseline', () => {
    const scene = wavehand();
    const path = pdfFile(scenesToPdf([scene], { margin: 0 }), 'geometry');
    const xml = execFileSync('pdftotext', ['-bbox-layout', path, '-'], { encoding: 'utf8' });
    const lines = [...xml.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((m) => ({
      x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]),
      text: [...m[5]!.matchAll(/>([^<]*)<\/word>/g)].map((w) => w[1]).join(' '),
    }));
    const labels = textsOf(scene, (t) => t.role === 'label' && t.anchor === 'middle' && t.rotate === 0);
    expect(labels.length).toBeGreaterThan(5);
    for (const label of labels) {
      const line = lines.find((l) => l.text === label.text.replace(/&/g, '&amp;'));
      expect(line, label.text).toBeDefined();
      // 1 px = 0.75 pt at margin 0; poppler's boxes are glyph advances, so width and centre are exact.
      expect(Math.abs((line!.x0 + line!.x1) / 2 - label.x * 0.75)).toBeLessThan(0.2);
      expect(Math.abs(line!.x1 - line!.x0 - label.width * 0.75)).toBeLessThan(0.2);
      expect(line!.y0).toBeLessThan(label.y * 0.75);
      expect(line!.y1).toBeGreaterThan(label.y * 0.75);
    }
  });

  test('the document title and subject are the diagram title and its description in words', () => {
    const scene = wavehand();
    const info = pdfInfo(pdfFile(scenesToPdf([scene])));
    expect(info.fields.Title).toBe('TCP 四次挥手');
    expect(info.fields.Subject).toBe(scene.description);
    expect(info.fields.Subject).toMatch(/FIN/);
  });

  test('the page stays under 80 KB', () => {
    expect(scenesToPdf([wavehand()]).length).toBeLessThan(80 * 1024);
    expect(scenesToPdf([wavehand()], { pageSize: 'a4', title: true }).length).toBeLessThan(80 * 1024);
  });

  test('steps: n + 1 pages, page k + 1 shows segment k (and its states) but not k + 1', () => {
    const scene = wavehand();
    expect(scene.steps).toBe(7);
    const path = pdfFile(scenesToPdf([scene], { steps: true, pageSize: '16:9', title: true }), 'seed-steps');
    toPng(path, 'seed-steps');
    expect(pdfInfo(path).pages).toBe(8);
    const labels = textsOf(scene, (t) => t.role === 'label');
    for (let k = 0; k <= scene.steps; k++) {
      const page = squash(pdfText(path, k + 1));
      for (const l of labels) {
        if (l.step <= k) expect(page, `page ${k + 1}: ${l.text}`).toContain(squash(l.text));
        else expect(page, `page ${k + 1}: ${l.text}`).not.toContain(squash(l.text));
      }
    }
    // TIME_WAIT arrives with the last FIN (step 6); the 2MSL bracket with the last ACK (step 7).
    const timeWait = textsOf(scene, (t) => t.text === 'TIME_WAIT')[0]!;
    expect(pdfText(path, timeWait.step)).not.toContain('TIME_WAIT');
    expect(pdfText(path, timeWait.step + 1)).toContain('TIME_WAIT');
  });

  test('byte-identical for the same source', () => {
    const a = scenesToPdf([wavehand()], { steps: true });
    const b = scenesToPdf([wavehand()], { steps: true });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('renderPdf / renderDeck (text in, PDF out)', () => {
  test('renderPdf draws the wavehand with every state', () => {
    const path = pdfFile(renderPdf(WAVEHAND), 'render');
    const text = squash(pdfText(path));
    for (const s of ['客户端', '服务端', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK']) expect(text).toContain(s);
  });

  test('renderPdf steps deck of the handshake: 4 slides, layout options pass through', () => {
    const source = WAVEHAND.split('== 数据传输 ==')[0]!;
    const path = pdfFile(renderPdf(source, { steps: true, pageSize: '16:9', labelStyle: 'flags' }), 'render-steps');
    expect(pdfInfo(path).pages).toBe(4);
    expect(squash(pdfText(path, 1))).not.toContain('SYN=1');
    expect(squash(pdfText(path, 2))).toContain('SYN=1');
  });

  test('renderDeck: one page per source, header layouts too', () => {
    const path = pdfFile(renderDeck([WAVEHAND, { source: 'tcp', language: 'packet-header' }], { pageSize: '4:3' }), 'render-deck');
    toPng(path, 'render-deck');
    const info = pdfInfo(path);
    expect(info.pages).toBe(2);
    expect(info.sizes[1]).toEqual([960, 720]);
    expect(squash(pdfText(path, 2))).toMatch(/Sourceport/i);
  });

  test('a source error is a WiregramError with a line', () => {
    try {
      renderPdf('participant a\nparticipant b\na -> b: PSH, ACK len=10');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WiregramError);
      expect((e as WiregramError).line).toBe(3);
    }
  });
});
