/** Text → Scene in one synchronous call: the fenced block's language picks the parser and the layout. */
import type { CompileOptions, DiagramLanguage, ParsePacketHeaderOptions, TimingLayout } from '@wiregram/core';
import { layoutSourceWithModel } from './compile.js';
import type { HeaderLayoutOptions } from './header/index.js';
import type { Scene } from './scene.js';
import type { TimingLayoutOptions } from './timing/layout.js';

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

/** `layoutSourceWithModel(source, options).scene`: one option mapping for both (compile.ts). */
export function layoutSource(source: string, options: LayoutSourceOptions = {}): Scene {
  return layoutSourceWithModel(source, options).scene;
}
