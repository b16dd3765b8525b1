/** What the checkSource tests share: the real diagrams of the docs, a Scene's text as the budget counts it, and an outcome to compare. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scene } from '@wiregram/layout';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every fenced block of `lang` in the Markdown under docs/ and examples/. */
export function docBlocks(lang: 'tcp-sequence' | 'packet-header'): Array<{ file: string; source: string }> {
  const out: Array<{ file: string; source: string }> = [];
  const fence = new RegExp(`^\`\`\`${lang}[^\\n]*\\n([\\s\\S]*?)^\`\`\``, 'gm');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) for (const m of readFileSync(path, 'utf8').matchAll(fence)) out.push({ file: path, source: m[1]! });
    }
  };
  walk(join(ROOT, 'docs'));
  walk(join(ROOT, 'examples'));
  return out;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** The bytes of text checkSceneBudget counts: title, description and every text item. */
export const sceneText = (scene: Scene): number => scene.items.reduce((n, item) => n + (item.type === 'text' ? utf8(item.text) : 0), utf8(scene.title) + utf8(scene.description));

/** 'ok', or the error thrown as JSON: what render and check must agree on. */
export function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return JSON.stringify(e);
  }
}
