/**
 * Font subsets for resvg. resvg-js (fontdb) re-reads a font *file* each time it needs a glyph's outline, and
 * the built-in CJK font is 8 MB: a diagram's ~300 glyphs cost seconds. Given a subset holding only the
 * characters the picture uses (~16 KB), the same work takes milliseconds. (Its `fontBuffers` option is slower
 * still, whatever the size.) The subset is made by HarfBuzz's hb-subset (harfbuzzjs's WebAssembly build), which
 * keeps the outlines and metrics as they are, so the picture is the same glyphs the layout measured.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface HbSubset {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

let hb: HbSubset | null = null;
/** Font path → its HarfBuzz face, kept for the process: the 8 MB are copied into WebAssembly memory once. */
const faces = new Map<string, number>();
const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_NAME_ID = 4;

function hbSubset(): HbSubset {
  if (hb) return hb;
  const wasm = readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
  return (hb = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports as unknown as HbSubset);
}

function faceOf(path: string): number {
  const cached = faces.get(path);
  if (cached !== undefined) return cached;
  const ex = hbSubset();
  const font = readFileSync(path);
  const ptr = ex.malloc(font.length);
  if (!ptr) throw new Error(`no memory for the font ${path}`);
  new Uint8Array(ex.memory.buffer).set(font, ptr);
  const blob = ex.hb_blob_create(ptr, font.length, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const face = ex.hb_face_create(blob, 0);
  ex.hb_blob_destroy(blob);
  faces.set(path, face);
  return face;
}

/** The font file at `path` cut down to the characters of `text` (an OpenType font, as bytes). */
export function subsetFont(path: string, text: string): Uint8Array {
  const ex = hbSubset();
  const face = faceOf(path);
  const input = ex.hb_subset_input_create_or_fail();
  if (!input) throw new Error('hb-subset: out of memory');
  try {
    const unicodes = ex.hb_subset_input_unicode_set(input);
    for (const ch of new Set(text)) ex.hb_set_add(unicodes, ch.codePointAt(0)!);
    // hb-subset keeps name IDs 0–6 by default; the typographic family (16, 17) is what makes the Bold file a
    // weight of the same family rather than a family "… Bold" of its own, for resvg's font matching.
    const names = ex.hb_subset_input_set(input, HB_SUBSET_SETS_NAME_ID);
    for (const id of [16, 17]) ex.hb_set_add(names, id);
    const sub = ex.hb_subset_or_fail(face, input);
    if (!sub) throw new Error(`hb-subset could not subset ${path}`);
    const blob = ex.hb_face_reference_blob(sub);
    try {
      const at = ex.hb_blob_get_data(blob, 0);
      return new Uint8Array(ex.memory.buffer).slice(at, at + ex.hb_blob_get_length(blob));
    } finally {
      ex.hb_blob_destroy(blob);
      ex.hb_face_destroy(sub);
    }
  } finally {
    ex.hb_subset_input_destroy(input);
  }
}
