/**
 * PDF export in the browser: @wiregram/pdf's own Scene → PDF code (pdfkit's standalone browser build), bundled
 * with small stand-ins for the three Node modules it touches (shims/): the built-in Noto Sans Hans is fetched
 * once from the site and handed to it as if read from disk, so the page's PDF equals `wiregram render --pdf`.
 * Loaded only when the reader asks for a PDF (the font is ~8 MB a weight).
 */
import { FONT, layoutSource } from '@wiregram/layout';
import { scenesToPdf } from '@wiregram/pdf';
import { builtinFontPath } from '@wiregram/pdf';
import { provideFile } from './shims/fs.js';
import { provideModule } from './shims/module.js';

const loaded = new Map<string, Promise<void>>();

function loadFont(base: string, weight: 'normal' | 'bold'): Promise<void> {
  const file = FONT.files[weight];
  let p = loaded.get(file);
  if (!p) {
    p = fetch(new URL(file, base)).then(async (r) => {
      if (!r.ok) throw new Error(`could not load the font ${file} (HTTP ${r.status})`);
      provideFile(builtinFontPath(weight), new Uint8Array(await r.arrayBuffer()));
    });
    p.catch(() => loaded.delete(file));
    loaded.set(file, p);
  }
  return p;
}

/**
 * The Latin cut of the built-in font (what a face with Latin text only is embedded from, 120 KB a weight) and its
 * original names, as @wiregram/pdf reads them in Node: by package path.
 */
function loadLatinCut(base: string): Promise<void> {
  let p = loaded.get('latin');
  if (!p) {
    const get = async (file: string) => {
      const r = await fetch(new URL(file, base));
      if (!r.ok) throw new Error(`could not load ${file} (HTTP ${r.status})`);
      return new Uint8Array(await r.arrayBuffer());
    };
    p = Promise.all(LATIN_FILES.map(async (file) => provideFile(`/@wiregram/pdf/fonts/${file}`, await get(file)))).then(async () => {
      provideModule('@wiregram/pdf/fonts/names.json', JSON.parse(new TextDecoder().decode(await get('names.json'))));
    });
    p.catch(() => loaded.delete('latin'));
    loaded.set('latin', p);
  }
  return p;
}
const LATIN_FILES = ['WiregramLatinCut-Regular.otf', 'WiregramLatinCut-Bold.otf'];

/** The diagram as PDF bytes, the built-in font embedded (fetched from `fontBase` on first use). */
export async function pdfOf(source: string, language: 'tcp-sequence' | 'packet-header', fontBase: string): Promise<Uint8Array> {
  const scene = layoutSource(source, { language });
  await Promise.all([loadFont(fontBase, 'normal'), loadFont(fontBase, 'bold'), loadLatinCut(fontBase)]);
  return scenesToPdf([scene], { theme: 'light' });
}
