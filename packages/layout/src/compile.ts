/**
 * Text → Scene *and* the model it was drawn from, in one synchronous call. `layoutSource` returns only the
 * Scene, so a host that also wants the core's non-fatal findings (an override accepted and marked, a capture
 * frame skipped, …) had to parse the block a second time; this returns them from the same parse.
 *
 * `layoutSource` (source.ts) is `layoutSourceWithModel(...).scene`: the option mapping lives here only.
 */
import {
  compileSequence,
  parsePacketHeader,
  WiregramError,
  withWiregramErrors,
  type CompileOptions,
  type Diagnostic,
  type HeaderModel,
  type ParsePacketHeaderOptions,
  type Timeline,
} from '@wiregram/core';
import { layoutHeader, type HeaderLayoutOptions } from './header/index.js';
import { attachSegmentHeaders } from './header/attach.js';
import type { Scene } from './scene.js';
import type { LayoutSourceOptions } from './source.js';
import { layoutTimeline, type TimingLayoutOptions } from './timing/layout.js';

export type LayoutSourceResult =
  | { language: 'tcp-sequence'; scene: Scene; warnings: Diagnostic[]; model: Timeline }
  | { language: 'packet-header'; scene: Scene; warnings: Diagnostic[]; model: HeaderModel };

export function layoutSourceWithModel(source: string, options: LayoutSourceOptions = {}): LayoutSourceResult {
  const language = options.language ?? 'tcp-sequence';
  if (language !== 'tcp-sequence' && language !== 'packet-header') {
    throw new WiregramError({
      code: 'unknown-language',
      reason: `unknown diagram language ${JSON.stringify(String(language))}`,
      expected: '`tcp-sequence` or `packet-header`',
      hint: 'use a fenced block ```tcp-sequence or ```packet-header',
    });
  }
  // A bug of ours must still reach the user as a typed error, not a stack trace.
  return withWiregramErrors((): LayoutSourceResult => {
    if (language === 'tcp-sequence') {
      const compile: CompileOptions = {};
      if (options.labelStyle) compile.labelStyle = options.labelStyle;
      if (options.stateNames) compile.stateNames = options.stateNames;
      if (options.numbering) compile.numbering = options.numbering;
      if (options.layout) compile.layout = options.layout;
      if (options.readFile) compile.readFile = options.readFile;
      const timeline = compileSequence(source, compile);
      const lo: TimingLayoutOptions = {};
      const style = options.style ?? options.layout;
      if (style) lo.style = style;
      if (options.fontSize !== undefined) lo.fontSize = options.fontSize;
      if (options.title !== undefined) lo.title = options.title;
      if (options.unit !== undefined) lo.unit = options.unit;
      // `header N` statements: the segment's header grid under the diagram (owner: header layout).
      const scene = attachSegmentHeaders(layoutTimeline(timeline, lo), timeline);
      return { language, scene, warnings: timeline.warnings ?? [], model: timeline };
    }
    const po: ParsePacketHeaderOptions = {};
    if (options.rowBits !== undefined) po.rowBits = options.rowBits;
    if (options.readFile) (po as { readFile?: CompileOptions['readFile'] }).readFile = options.readFile;
    const model = parsePacketHeader(source, po);
    const ho: HeaderLayoutOptions = {};
    if (options.bitWidth !== undefined) ho.bitWidth = options.bitWidth;
    if (options.fontSize !== undefined) ho.fontSize = options.fontSize;
    if (options.ruler !== undefined) ho.ruler = options.ruler;
    if (options.offsets !== undefined) ho.offsets = options.offsets;
    return { language, scene: layoutHeader(model, ho), warnings: model.warnings ?? [], model };
  }, {
    code: 'layout-internal',
    reason: 'could not lay out the diagram',
    hint: 'this is a bug in wiregram; please report it with the block that triggers it',
  });
}
