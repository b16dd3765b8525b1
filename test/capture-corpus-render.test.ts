/**
 * Issue 16's last step of the round trip: every stream of the CI capture corpus (real Linux TCP, impaired; the
 * generator is packages/core/test/fixtures/capture/corpus/netns.py) imports to text that renders — one arrow
 * label per imported segment in the flow layout the text asks for, in SVG and PDF — and, folded with
 * `option elide=auto`, keeps every segment tshark marked. (Fields, marks, labels and import → check → compile are
 * compared with tshark in packages/core/test/capture-corpus.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureToSequenceText, indexStreams, timelineFromCapture } from '@wiregram/core';
import { elideTimeline } from '@wiregram/layout';
import { renderPdf } from '@wiregram/pdf';
import { renderSvg } from '@wiregram/svg';
import { generateCorpus, type Corpus } from '../packages/core/test/fixtures/capture/corpus.js';
import { elements, parseSvg } from './support/svg.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let corpus: Corpus | null = null;
let skipReason = '';

beforeAll(() => {
  // A folder of its own: the core corpus test may be generating its copy at the same time.
  const made = generateCorpus(ROOT, join(ROOT, 'test-output', 'capture-corpus-render'));
  if ('skip' in made) skipReason = made.skip;
  else corpus = made;
}, 120_000);

const streams = (file: string) => indexStreams(new Uint8Array(readFileSync(file))).streams.map((s) => s.index);

describe('every stream of the capture corpus: import → render', () => {
  it('the imported text renders one labelled arrow per segment, in SVG and PDF', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    let rendered = 0;
    for (const file of corpus.files) {
      const bytes = new Uint8Array(readFileSync(file));
      for (const stream of streams(file)) {
        const text = captureToSequenceText(bytes, { stream });
        const lines = text.split('\n').filter((l) => / -> /.test(l)).length;
        const doc = parseSvg(renderSvg(text));
        const labels = elements(doc, 'text').filter((t) => t.getAttribute('class') === 'wg-label');
        expect(labels.length, `${file} stream ${stream}`).toBe(lines);
        rendered++;
      }
      // One PDF per file (its first stream): every label is in the text layer.
      const pdf = join(corpus.dir, `${file.split('/').pop()}.pdf`);
      const first = captureToSequenceText(bytes, { stream: 0 });
      writeFileSync(pdf, renderPdf(first));
      const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
      expect(pdfText.match(/ Seq=\d+ /g)?.length, file).toBe(first.split('\n').filter((l) => / -> /.test(l)).length);
    }
    expect(rendered).toBeGreaterThanOrEqual(9 * corpus.files.length);
  }, 300_000);

  it('elide=on keeps every segment tshark marked, and counts the others in its gaps', (ctx) => {
    if (!corpus) return ctx.skip(skipReason);
    for (const file of corpus.files) {
      const bytes = new Uint8Array(readFileSync(file));
      for (const stream of streams(file)) {
        const tl = timelineFromCapture(bytes, { stream });
        const { timeline, gaps } = elideTimeline(tl, 'on');
        const marked = tl.segments.filter((s) => s.marks.length > 0).map((s) => s.label);
        const kept = new Set(timeline.segments.map((s) => s.label));
        for (const label of marked) expect(kept.has(label), `${file} stream ${stream}: ${label}`).toBe(true);
        expect(timeline.segments.length + gaps.reduce((n, g) => n + g.count, 0)).toBe(tl.segments.length);
      }
    }
  }, 300_000);
});
