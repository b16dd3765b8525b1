/** `node:module` for the browser PDF bundle: @wiregram/pdf requires fontkit and resolves the font package. */
import * as fontkit from 'fontkit';

export function createRequire(): ((name: string) => unknown) & { resolve(name: string): string } {
  const require = (name: string): unknown => {
    if (name === 'fontkit') return fontkit;
    throw new Error(`${name} is not available in the browser`);
  };
  // A virtual path: shims/fs.ts serves the fonts the page fetched under it.
  return Object.assign(require, { resolve: (name: string) => `/${name}/dist/index.js` });
}
