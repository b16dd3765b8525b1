/**
 * File access for `capture` statements: injectable (`readFile`), and the Node default loaded only when a block
 * reads a file — so a browser bundle of the plugin pulls no `node:` module. The bundle check uses esbuild
 * (vite's) with `platform: 'browser'`, which refuses to resolve any Node built-in.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import type { Position } from '@wiregram/core';
import type { RemarkWiregramOptions } from '../src/index.js';
import { browserBundle, CAPTURE_MD, PCAP, PLAIN_MD } from '../../../test/support/markdown.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** A fresh copy of the plugin module (its lazy-load state starts empty). */
async function freshPlugin() {
  vi.resetModules();
  return import('../src/index.js');
}

function run(plugin: Awaited<ReturnType<typeof freshPlugin>>['default'], options: RemarkWiregramOptions, file: VFile): string {
  return String(unified().use(remarkParse).use(plugin, options).use(remarkRehype).use(rehypeStringify).processSync(file));
}

describe('file access for capture statements', () => {
  it('loads Node file access only when a block reads a file', async () => {
    const mod = await freshPlugin();
    expect(mod.nodeFileAccessLoaded()).toBe(false);
    const html = run(mod.default, {}, new VFile({ path: here('page.md'), value: PLAIN_MD }));
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(mod.nodeFileAccessLoaded()).toBe(false);
    // A capture that does not exist still needs the reader: loaded now, and the error names the file.
    const file = new VFile({ path: here('page.md'), value: CAPTURE_MD });
    run(mod.default, {}, file);
    expect(mod.nodeFileAccessLoaded()).toBe(true);
    expect(file.messages[0]?.reason).toMatch(/trace\.pcap/);
    expect(file.messages[0]?.ruleId).toBe('file-not-found');
  });

  it('uses an injected readFile (no file path, no Node file access), with the path, its position and the file', async () => {
    const mod = await freshPlugin();
    const calls: Array<[string, number, string | null]> = [];
    const readFile = (path: string, position: { start: { line: number } }, from: string | null) => {
      calls.push([path, position.start.line, from]);
      return new Uint8Array(PCAP);
    };
    const html = run(mod.default, { readFile }, new VFile({ value: '# Trace\n\n' + CAPTURE_MD }));
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toMatch(/SYN/);
    expect(calls).toEqual([['./trace.pcap', 1, null]]);
    expect(mod.nodeFileAccessLoaded()).toBe(false);
    // With a file path, the reader is told which Markdown file asked.
    run(mod.default, { readFile }, new VFile({ path: '/site/docs/a.md', value: CAPTURE_MD }));
    expect(calls[1]).toEqual(['./trace.pcap', 1, '/site/docs/a.md']);
  });

  it("reports an injected reader's WiregramError at the path's position in the Markdown file", async () => {
    const mod = await freshPlugin();
    const { WiregramError } = await import('@wiregram/core');
    const readFile = (path: string, position: Position) => {
      throw new WiregramError({ code: 'file-outside-project', reason: `no access to ${path}`, position });
    };
    const file = new VFile({ path: 'p.md', value: 'Intro\n\n' + CAPTURE_MD });
    const html = run(mod.default, { readFile }, file);
    expect(html).toContain('role="alert"');
    expect(file.messages[0]).toMatchObject({ ruleId: 'file-outside-project', line: 4 });
    expect(file.messages[0]!.reason).toBe('no access to ./trace.pcap');
  });

  it('bundles for the browser without any Node built-in', async () => {
    const { inputs, code } = await browserBundle(here('../src/index.ts'));
    expect(inputs.some((i) => i.includes('remark-wiregram/src/index.ts'))).toBe(true);
    expect(inputs.some((i) => i.includes('svg/src/describe.ts'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || /core\/src\/node\.ts$/.test(i))).toEqual([]);
    expect(code).not.toMatch(/\bfrom\s*["']node:/);
    expect(code).not.toMatch(/\bimport\(\s*["']node:/);
  });
});
