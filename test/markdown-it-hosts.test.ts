/**
 * The host examples in examples/ run against the libraries the hosts are made of: the VitePress and Slidev set-ups
 * (@wiregram/vitepress, @wiregram/slidev) with markdown-it and the Vue template compiler (what both hosts feed
 * the HTML to), the Marp engine with marp-core on the lecture deck. The hosts themselves are built from npm in
 * test/hosts/ (VitePress, Slidev, Marp CLI, Eleventy).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { compile } from '@vue/compiler-dom';
import { Marp } from '@marp-team/marp-core';
import { useWiregram as vitepress } from '@wiregram/vitepress';
import { wiregramTransformers } from '@wiregram/slidev';
import marpEngine from '../examples/marp/engine.mjs';

const read = (p: string) => readFileSync(fileURLToPath(new URL(`../${p}`, import.meta.url)), 'utf8');

function compileVue(html: string) {
  const problems: string[] = [];
  const { code } = compile(`<div>${html}</div>`, { onError: (e) => problems.push(e.message), onWarn: (e) => problems.push(e.message) });
  return { code, problems };
}

describe('VitePress and Slidev setups', () => {
  // Slidev: the addon's `pre` transformer over the slide, then its codeblock transformer on each fence (Slidev
  // calls it before Shiki). The `pre` marks are appended at line ends, as MagicString's appendLeft would.
  const slidev = (source: string) => {
    const { pre, codeblocks } = wiregramTransformers({ log: false });
    const inserts: Array<[number, string]> = [];
    pre[0]!({ s: { original: source, appendLeft: (i: number, t: string) => void inserts.push([i, t]) }, slide: {} });
    const marked = inserts.sort((a, b) => b[0] - a[0]).reduce((s, [i, t]) => s.slice(0, i) + t + s.slice(i), source);
    return new MarkdownIt()
      .parse(marked, {})
      .filter((t) => t.type === 'fence')
      .map((t) => codeblocks[0]!({ info: t.info, code: t.content, slide: null }) ?? '')
      .join('');
  };
  const vitepressRender = (source: string) => {
    const md = new MarkdownIt({ html: true });
    vitepress(md, { log: false });
    return md.render(source);
  };
  for (const [name, render, page] of [
    ['VitePress', vitepressRender, 'examples/vitepress/index.md'],
    ['Slidev', slidev, 'examples/slidev/slides.md'],
  ] as const) {
    it(`${name}: the page's diagrams become Vue-safe inline SVG`, () => {
      const source = read(page).replace(/^---\n[\s\S]*?\n---\n/, '');
      const html = render(source);
      expect(html.match(/<figure class="wiregram wiregram-[a-z-]+"><svg /g)).toHaveLength(2);
      expect(html).not.toMatch(/<style[ >]/);
      // One page stylesheet, in the first diagram; dark under VitePress's / Slidev's `dark` class.
      expect(html.match(/<component is="style"/g)).toHaveLength(1);
      expect(html).toMatch(/<figure class="wiregram wiregram-[a-z-]+"><svg [^>]*><component is="style" class="wiregram-styles">/);
      expect(html).toMatch(/\.dark \.wg-diagram:not\(\.wg-light\)/);
      const { code, problems } = compileVue(html);
      expect(problems).toEqual([]);
      expect(code).toContain('_resolveDynamicComponent("style")');
      expect(code).toContain('SYN, ACK, seq=y, ack=x+1');
    });
  }
});

describe('Marp engine (examples/marp/engine.mjs)', () => {
  it('renders the lecture deck with every diagram in its slide', () => {
    const marp = marpEngine({ marp: new Marp() }) as Marp;
    const deck = read('examples/lecture-deck.md');
    const { html } = marp.render(deck);
    const fences = (deck.match(/^```(tcp-sequence|packet-header)/gm) ?? []).length;
    expect(fences).toBeGreaterThanOrEqual(5);
    expect(html.match(/<figure class="wiregram wiregram-[a-z-]+"><svg /g)).toHaveLength(fences);
    expect(html).not.toContain('wiregram-error');
    // Dark palette follows Marp's `invert` class, not the OS.
    expect(html).toMatch(/section\.invert \.wg-diagram:not\(\.wg-light\)/);
    // One page stylesheet for the deck (all slides are one HTML document).
    expect(html.match(/<style class="wiregram-styles">/g)).toHaveLength(1);
    expect(html).not.toContain('prefers-color-scheme');
    const ids = [...html.matchAll(/\sid="(wg-[^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
