/**
 * Shared by the Markdown plugin tests (test/remark.test.ts, test/markdown-it.test.ts and each plugin's
 * test/files.test.ts): the handshake they draw, the check that rendered HTML holds no active markup, the capture
 * fixtures, and the browser bundle of a plugin.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const HANDSHAKE = `title Three-way handshake
participant client
participant server
isn client=x server=y
client -> server: SYN
server -> client: SYN, ACK
client -> server: ACK`;

/** Real tags only (text has its `<` escaped): no script or img element, no event-handler attribute. */
export function expectNoActiveMarkup(html: string) {
  const tags = html.match(/<[a-zA-Z][^<>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(3);
  for (const tag of tags) {
    expect(tag).not.toMatch(/^<(script|img|iframe|object)\b/i);
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag).not.toMatch(/javascript:/i);
  }
}

/** A real loopback capture, and pages with and without a block that reads it. */
export const PCAP = readFileSync(here('../../packages/core/test/fixtures/capture/loopback.pcap'));
export const CAPTURE_MD = '```tcp-sequence\ncapture ./trace.pcap stream 0\n```\n';
export const PLAIN_MD = '```tcp-sequence\nparticipant client\nparticipant server\nclient -> server: SYN\n```\n\n```packet-header\ntcp\n```\n';

/** The part of esbuild's API used here (esbuild is vite's dependency, not ours: no types to import). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ metafile?: { inputs: Record<string, unknown> }; outputFiles?: Array<{ text: string }> }>;
}

/**
 * A browser bundle of `entry` (a plugin's src/index.ts) with the workspace packages from source: esbuild (vite's)
 * with `platform: 'browser'`, which refuses to resolve any Node built-in. Returns the bundled input files and code.
 */
export async function browserBundle(entry: string): Promise<{ inputs: string[]; code: string }> {
  const esbuild = createRequire(createRequire(import.meta.url).resolve('vite'))('esbuild') as Esbuild;
  const src = (p: string) => here(`../../packages/${p}/src/index.ts`);
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    logLevel: 'silent',
    alias: { '@wiregram/core': src('core'), '@wiregram/layout': src('layout'), '@wiregram/svg': src('svg') },
    metafile: true,
  });
  return { inputs: Object.keys(result.metafile!.inputs), code: result.outputFiles![0]!.text };
}
