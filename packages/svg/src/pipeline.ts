/**
 * What the string entry (index.ts) and the DOM entry (dom-entry.ts) share: source checks, the layout call, the
 * seed of deterministic ids, and the one-error-type guard.
 */
import { WiregramError, withWiregramErrors } from '@wiregram/core';
import { layoutSource, type LayoutSourceOptions, type Scene } from '@wiregram/layout';
import type { SceneSvgOptions } from './describe.js';

/** Everything `layoutSource` accepts (language, style, label style, …) plus the SVG options. */
export type SvgOptions = LayoutSourceOptions & SceneSvgOptions;

export function checkSource(source: unknown): void {
  if (typeof source !== 'string')
    throw new WiregramError({ code: 'invalid-source', reason: 'the diagram source is not a string', expected: 'the text of a tcp-sequence or packet-header block' });
}

export function layoutOf(source: string, options: SvgOptions): Scene {
  checkSource(source);
  return layoutSource(source, options);
}

/**
 * Source + options (keys sorted, functions dropped): what a rendered diagram is a pure function of. `styles`
 * is left out: where the CSS lives does not change the drawing, and ids stay the same either way.
 */
export function seedOf(source: string, options: object): string {
  const keys = Object.keys(options).sort();
  let s = source;
  for (const k of keys) {
    const v = (options as Record<string, unknown>)[k];
    if (typeof v !== 'function' && v !== undefined && k !== 'styles') s += '\u0000' + k + '=' + JSON.stringify(v);
  }
  return s;
}

// Public functions throw WiregramError only: anything else is wrapped so callers can rely on one type.
export function guard<T>(fn: () => T): T {
  return withWiregramErrors(fn, {
    code: 'render-failed',
    reason: 'could not render the SVG',
    hint: 'this is a wiregram bug; please report it with the diagram source',
  });
}
