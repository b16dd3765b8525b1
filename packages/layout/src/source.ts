/** Text → Scene in one synchronous call: the fenced block's language picks the parser and the layout. */
import { layoutSourceWithModel, type LayoutSourceOptions } from './compile.js';
import type { Scene } from './scene.js';

export type { LayoutSourceOptions } from './compile.js';

/** `layoutSourceWithModel(source, options).scene`: one option mapping for both (compile.ts). */
export function layoutSource(source: string, options: LayoutSourceOptions = {}): Scene {
  return layoutSourceWithModel(source, options).scene;
}
