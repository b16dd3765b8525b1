/** Text → Scene in one synchronous call: the fenced block's language picks the parser and the layout. */
import {
  compileSequence,
  parsePacketHeader,
  WiregramError,
  isWiregramError,
  type CompileOptions,
  type DiagramLanguage,
  type ParsePacketHeaderOptions,
  type TimingLayout,
} from '@wiregram/core';
import { layoutHeader, type HeaderLayoutOptions } from './header/index.js';
import { attachSegmentHeaders } from './header/attach.js';
import type { Scene } from './scene.js';
import { layoutTimeline, type TimingLayoutOptions } from './timing/layout.js';

export interface LayoutSourceOptions
  extends CompileOptions,
    Omit<TimingLayoutOptions, 'style'>,
    Omit<HeaderLayoutOptions, 'fontSize'> {
  /** Default `tcp-sequence`. */
  language?: DiagramLanguage;
  /** Timing-diagram style; overrides the block's `option layout=…`. */
  style?: TimingLayout;
  /** Bits per row for `packet-header` when the block does not say. */
  rowBits?: ParsePacketHeaderOptions['rowBits'];
}

export function layoutSource(source: string, options: LayoutSourceOptions = {}): Scene {
  const language = options.language ?? 'tcp-sequence';
  try {
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
      return attachSegmentHeaders(layoutTimeline(timeline, lo), timeline);
    }
    if (language === 'packet-header') {
      const po: ParsePacketHeaderOptions = {};
      if (options.rowBits !== undefined) po.rowBits = options.rowBits;
      if (options.readFile) (po as { readFile?: CompileOptions['readFile'] }).readFile = options.readFile;
      const model = parsePacketHeader(source, po);
      const ho: HeaderLayoutOptions = {};
      if (options.bitWidth !== undefined) ho.bitWidth = options.bitWidth;
      if (options.fontSize !== undefined) ho.fontSize = options.fontSize;
      if (options.ruler !== undefined) ho.ruler = options.ruler;
      if (options.offsets !== undefined) ho.offsets = options.offsets;
      return layoutHeader(model, ho);
    }
  } catch (e) {
    if (isWiregramError(e)) throw e;
    // A bug of ours must still reach the user as a typed error, not a stack trace.
    throw new WiregramError({
      code: 'layout-internal',
      reason: `could not lay out the diagram: ${e instanceof Error ? e.message : String(e)}`,
      hint: 'this is a bug in wiregram; please report it with the block that triggers it',
    });
  }
  throw new WiregramError({
    code: 'unknown-language',
    reason: `unknown diagram language ${JSON.stringify(String(language))}`,
    expected: '`tcp-sequence` or `packet-header`',
    hint: 'use a fenced block ```tcp-sequence or ```packet-header',
  });
}
