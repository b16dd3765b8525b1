/**
 * File access for `capture` statements: injectable (`readFile`), and the Node default loaded only when a block
 * reads a file — so a browser bundle of the plugin pulls no `node:` module. The bundle check uses esbuild
 * (vite's) with `platform: 'browser'`, which refuses to resolve any Node built-in.
 */
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { describe, expect, it, vi } from 'vitest';
import { browserBundle, CAPTURE_MD, PCAP, PLAIN_MD } from '../../../test/support/markdown.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** A fresh copy of the plugin module (its lazy-load state starts empty). */
async function freshPlugin() {
  vi.resetModules();
  return import('../src/index.js');
}

describe('file access for capture statements', () => {
  it('loads Node file access only when a block reads a file', async () => {
    const mod = await freshPlugin();
    const md = new MarkdownIt().use(mod.default);
    expect(mod.nodeFileAccessLoaded()).toBe(false);
    expect(md.render(PLAIN_MD, { path: here('page.md') }).match(/<svg /g)).toHaveLength(2);
    expect(mod.nodeFileAccessLoaded()).toBe(false);
    const env: { path: string; wiregram?: { errors: Array<{ error: { code: string; reason: string } }> } } = { path: here('page.md') };
    md.render(CAPTURE_MD, env);
    expect(mod.nodeFileAccessLoaded()).toBe(true);
    expect(env.wiregram!.errors[0]!.error.code).toBe('file-not-found');
    expect(env.wiregram!.errors[0]!.error.reason).toMatch(/trace\.pcap/);
  });

  it('uses an injected readFile (no env.path, no Node file access), with the path, its position and the file', async () => {
    const mod = await freshPlugin();
    const calls: Array<[string, number, string | null]> = [];
    const readFile = (path: string, position: { start: { line: number } }, from: string | null) => {
      calls.push([path, position.start.line, from]);
      return new Uint8Array(PCAP);
    };
    const md = new MarkdownIt().use(mod.default, { readFile });
    const html = md.render('# Trace\n\n' + CAPTURE_MD);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toMatch(/SYN/);
    expect(calls).toEqual([['./trace.pcap', 1, null]]);
    expect(mod.nodeFileAccessLoaded()).toBe(false);
    md.render(CAPTURE_MD, { path: '/site/docs/a.md' });
    expect(calls[1]).toEqual(['./trace.pcap', 1, '/site/docs/a.md']);
  });

  it('bundles for the browser without any Node built-in', async () => {
    const { inputs, code } = await browserBundle(here('../src/index.ts'));
    expect(inputs.some((i) => i.includes('markdown-it-wiregram/src/index.ts'))).toBe(true);
    expect(inputs.some((i) => i.includes('svg/src/describe.ts'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || /core\/src\/node\.ts$/.test(i))).toEqual([]);
    expect(code).not.toMatch(/\bfrom\s*["']node:/);
    expect(code).not.toMatch(/\bimport\(\s*["']node:/);
  });
});
