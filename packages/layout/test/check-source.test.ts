/**
 * checkSource (what `wiregram check` runs): the errors and warnings of layoutSourceWithModel, drawing a Scene
 * only where the output budget could be at stake. Its shortcut rests on one measured fact — a Scene holds a
 * bounded multiple of the model's estimate — which the real diagrams of the docs and examples keep, with room.
 */
import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/support/errors.js';
import { checkSource, layoutSourceWithModel, SCENE_MARGIN, timelineSurelyFits } from '@wiregram/layout';
import type { Timeline } from '@wiregram/core';
import { docBlocks, outcome, sceneText } from './check-support.js';

describe('checkSource', () => {
  it('on the real diagrams, every Scene stays within half the bound timelineSurelyFits assumes', () => {
    const diagrams = docBlocks('tcp-sequence');
    expect(diagrams.length).toBeGreaterThan(40);
    let laidOut = 0;
    for (const { file, source } of diagrams) {
      for (const style of ['states', 'lifeline', 'flow'] as const) {
        let result;
        try {
          result = layoutSourceWithModel(source, { style });
        } catch {
          continue; // the docs show broken blocks on purpose
        }
        laidOut++;
        const timeline = result.model as Timeline;
        const items = result.scene.items.length;
        const text = sceneText(result.scene);
        // The smallest power-of-two budget timelineSurelyFits vouches for is under twice its bound: a Scene
        // past a quarter of it (so near half the bound) fails here.
        let maxElements = 1;
        while (!timelineSurelyFits(timeline, { maxElements, maxTextBytes: 1e12 })) maxElements *= 2;
        let maxTextBytes = 1;
        while (!timelineSurelyFits(timeline, { maxElements: 1e12, maxTextBytes })) maxTextBytes *= 2;
        expect(items, `${file} (${style}): ${items} elements`).toBeLessThanOrEqual(maxElements / 4);
        expect(text, `${file} (${style}): ${text} bytes of text`).toBeLessThanOrEqual(maxTextBytes / 4);
      }
    }
    expect(laidOut).toBeGreaterThan(100);
    expect(SCENE_MARGIN.factor).toBeGreaterThanOrEqual(16);
  });

  it('an ordinary diagram is checked without a Scene; the same warnings as render', () => {
    const source = 'participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK seq=7\n';
    const checked = checkSource(source);
    expect(checked.drawn).toBe(false);
    expect(checked.warnings).toEqual(layoutSourceWithModel(source).warnings);
    expect(checked.warnings.length).toBeGreaterThan(0);
  });

  it('near the budget it lays out, and refuses what render refuses, with the same error', () => {
    const bulk = `participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK\nloop 20\na -> b: PSH, ACK len=1\nb -> a: ACK\nend\n`;
    // Under the model's estimate but over what the Scene draws: only a real layout finds it.
    const scene = layoutSourceWithModel(bulk).scene.items.length;
    const budget = { maxElements: scene - 1 };
    const fromRender = thrown(() => layoutSourceWithModel(bulk, budget));
    const fromCheck = thrown(() => checkSource(bulk, budget));
    expect(fromCheck).toEqual(fromRender);
    expect(fromCheck.code).toBe('over-budget');
    expect(checkSource(bulk, { maxElements: scene }).drawn).toBe(true);
  });

  it('a long transfer that elide folds: check refuses exactly what render refuses, at any budget', () => {
    const long = 'participant a\nparticipant b\na -> b: SYN\nb -> a: SYN, ACK\na -> b: ACK\nloop 150\na -> b: PSH, ACK len=100\nb -> a: ACK\nend\n';
    const drawn = layoutSourceWithModel(long).scene.items.length;
    for (const maxElements of [drawn - 1, drawn, 2 * drawn, 700, 1000, 60_000]) {
      for (const elide of ['auto', 'on', 'off'] as const) {
        const options = { maxElements, elide };
        expect(outcome(() => checkSource(long, options)), `maxElements ${maxElements}, elide ${elide}`).toBe(outcome(() => layoutSourceWithModel(long, options)));
      }
    }
  });

  it('option, parse, protocol and header errors are those of render', () => {
    const cases: Array<[string, object]> = [
      ['participant a\nparticipant b\na -> b: SYN\n', { style: 'zigzag' }],
      ['participant a\nparticipant b\na -> b: FIN\n', {}],
      ['participant a\na -> : SYN\n', {}],
      ['bits 32\n0-15: a\n8-20: b\n', { language: 'packet-header' }],
      ['participant a\nparticipant b\na -> b: SYN\n', { language: 'tcp-seq' }],
    ];
    for (const [source, options] of cases) {
      const fromRender = thrown(() => layoutSourceWithModel(source, options));
      expect(thrown(() => checkSource(source, options))).toEqual(fromRender);
    }
  });
});
