/**
 * `output: 'file'`: write each diagram as an SVG file (plus a dark variant) and reference it from the page.
 * Names are content hashes, so a rebuild rewrites nothing that did not change and two identical diagrams share
 * a file. Writes go to a temporary name first and are renamed into place: never a half-written file.
 *
 * Node's fs is looked up at call time (`process.getBuiltinModule`) rather than imported, so the inline mode
 * keeps working in a browser bundle.
 */

/** FNV-1a, 64-bit: a stable, dependency-free content hash for file names (not a security boundary). */
export function contentHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0').slice(0, 12);
}

interface NodeFs {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  writeFileSync(path: string, data: string): void;
  renameSync(from: string, to: string): void;
  readFileSync(path: string, encoding: 'utf8'): string;
  existsSync(path: string): boolean;
  rmSync(path: string, options: { force: true }): void;
}
interface NodePath {
  resolve(...parts: string[]): string;
  join(...parts: string[]): string;
}

function builtin<T>(name: string): T {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const mod = get?.(name);
  if (!mod) throw new Error(`remark-wiregram: output "file" needs Node.js (${name} is not available here)`);
  return mod as T;
}

/** Write `text` to `dir/name` unless an identical file is already there; returns nothing, throws on I/O errors. */
export function writeAtomic(dir: string, name: string, text: string): void {
  const fs = builtin<NodeFs>('node:fs');
  const path = builtin<NodePath>('node:path');
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true });
  const target = path.join(absolute, name);
  if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) return;
  // Unique per writer: parallel builds (worker threads, several processes) often write the same diagram at once,
  // and a shared temporary name would let one writer rename away the file another is about to rename.
  const temporary = `${target}.${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** Join a public URL prefix and a file name with exactly one slash. */
export function publicUrl(prefix: string, name: string): string {
  return prefix === '' ? name : prefix.replace(/\/+$/, '') + '/' + name;
}
