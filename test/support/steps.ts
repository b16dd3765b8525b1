/**
 * What a reader sees of a step-by-step diagram (`steps`): the segments and labels on screen right now. An item
 * counts as shown when neither it nor an ancestor up to its `<svg>` is `visibility: hidden`, `display: none` or
 * transparent — whichever of those the slide tool uses (reveal.js fragments, Slidev clicks, `--wg-shown`).
 */
import type { Page } from 'playwright-core';

export interface ShownSteps {
  /** Segment lines shown, per diagram in `scope`. */
  segments: number[];
  /** Label texts shown, per diagram, in drawing order. */
  labels: string[][];
}

/** The shown segments and labels of every diagram under the `index`-th element matching `scope`. */
export function shownSteps(page: Page, scope: string, index = 0): Promise<ShownSteps> {
  return page.evaluate(([selector, n]) => {
    const shown = (el: Element) => {
      for (let e: Element | null = el; e && e.tagName.toLowerCase() !== 'svg'; e = e.parentElement) {
        const cs = getComputedStyle(e);
        if (cs.visibility === 'hidden' || cs.display === 'none' || Number(cs.opacity) < 0.01) return false;
      }
      return true;
    };
    const root = document.querySelectorAll(selector)[n];
    const svgs = root ? Array.from(root.querySelectorAll('svg.wg-diagram')) : [];
    return {
      segments: svgs.map((svg) => Array.from(svg.querySelectorAll('line[class^="wg-segment"]')).filter(shown).length),
      labels: svgs.map((svg) => Array.from(svg.querySelectorAll('text.wg-label')).filter(shown).map((t) => t.textContent ?? '')),
    };
  }, [scope, index] as const);
}

/** Wait (bounded) until the diagrams under `scope` show `segments` segments each, then return what is shown. */
export async function waitForSegments(page: Page, scope: string, segments: number[]): Promise<ShownSteps> {
  const want = JSON.stringify(segments);
  for (let i = 0; i < 50; i++) {
    const now = await shownSteps(page, scope);
    if (JSON.stringify(now.segments) === want) return now;
    await page.waitForTimeout(100);
  }
  return shownSteps(page, scope);
}
