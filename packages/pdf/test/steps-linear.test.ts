/**
 * Issue #14: a step deck was quadratic — page k drew the whole diagram up to step k. Now each step page shows
 * the band (a readable page's worth) that holds that step's segment, so pages cost the same whatever k is.
 */
import { describe, expect, it } from 'vitest';
import { WiregramError } from '@wiregram/core';
import { layoutSource } from '@wiregram/layout';
import { renderPdf, scenesToPdf } from '@wiregram/pdf';
import { pdfFile, pdfInfo, pdfText } from './helpers.js';

const bulk = (n: number) => `participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK\nloop ${n}\na -> b: PSH, ACK len=100\nb -> a: ACK\nend\n`;

describe('step decks are linear in the segments', () => {
  it('twice the segments give about twice the bytes, not four times', () => {
    const small = renderPdf(bulk(40), { steps: true, pageSize: '16:9' }).length;
    const large = renderPdf(bulk(80), { steps: true, pageSize: '16:9' }).length;
    expect(large / small).toBeLessThan(2.4);
    const fitSmall = renderPdf(bulk(40), { steps: true }).length;
    const fitLarge = renderPdf(bulk(80), { steps: true }).length;
    expect(fitLarge / fitSmall).toBeLessThan(2.4);
  });

  it('page k shows segment k and its neighbours, not the far past; the participants head every page', () => {
    const scene = layoutSource(bulk(40));
    const path = pdfFile(scenesToPdf([scene], { steps: true, pageSize: '16:9' }), 'steps-band');
    const info = pdfInfo(path);
    expect(info.pages).toBe(scene.steps + 1);
    // Step 80 (page 81) is data segment 39, seq=3801 (steps 1–3 the handshake, then data k and its ACK).
    const late = pdfText(path, 81);
    expect(late).toContain('PSH, ACK, seq=3801');
    expect(late).not.toContain('SYN');
    expect(late).not.toContain('ack=3901'); // never a later step
    expect(late).toMatch(/\ba\b[\s\S]*\bb\b/);
    const early = pdfText(path, 4);
    expect(early).toContain('SYN');
    expect(early).not.toContain('ack=201');
  });

  it('maxPages caps a deck before it is drawn, naming the option', () => {
    let error: unknown = null;
    try {
      renderPdf(bulk(100), { steps: true, maxPages: 50 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WiregramError);
    expect((error as WiregramError).code).toBe('over-budget');
    expect((error as WiregramError).reason).toContain('maxPages');
    expect((error as WiregramError).hint).toContain('maxPages');
    expect(pdfInfo(pdfFile(renderPdf(bulk(100), { steps: true, maxPages: 204 }))).pages).toBe(204);
  });
});
