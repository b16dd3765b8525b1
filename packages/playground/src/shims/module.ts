/**
 * `node:module` for the browser PDF bundle: @wiregram/pdf requires pdfkit and fontkit (packages/pdf/src/deps.ts),
 * resolves the font files, and reads the Latin cut's names (fonts/names.json, handed over by pdf.ts).
 */
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

const provided = new Map<string, unknown>();

/** A module the page fetched (fonts/names.json), for `require` below. */
export function provideModule(name: string, value: unknown): void {
  provided.set(name, value);
}

export function createRequire(): ((name: string) => unknown) & { resolve(name: string): string } {
  const require = (name: string): unknown => {
    if (name === 'fontkit') return fontkit;
    if (name === 'pdfkit') return PDFDocument;
    if (provided.has(name)) return provided.get(name);
    throw new Error(`${name} is not available in the browser`);
  };
  // Virtual paths: shims/fs.ts serves the fonts the page fetched under them (a package's own files under
  // `/<specifier>`, the font package's next to its `/<name>/dist/index.js`).
  return Object.assign(require, { resolve: (name: string) => (name.startsWith('@wiregram/pdf/fonts/') ? `/${name}` : `/${name}/dist/index.js`) });
}
