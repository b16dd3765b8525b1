/** `node:path` for the browser PDF bundle: the two POSIX helpers @wiregram/pdf uses on virtual paths. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function join(...parts: string[]): string {
  return parts.join('/').replace(/\/+/g, '/');
}
