/** `node:fs` for the browser PDF bundle: the files the page fetched, by path (only the built-in fonts). */
const files = new Map<string, Uint8Array>();

export function provideFile(path: string, bytes: Uint8Array): void {
  files.set(path, bytes);
}

export function existsSync(path: string): boolean {
  return files.has(path);
}

export function readFileSync(path: string): Uint8Array {
  const bytes = files.get(path);
  if (!bytes) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return bytes;
}
