/**
 * The `wiregram` bin runs the one-file bundle (scripts/bundle.mjs) with the code cache the build made for the
 * command, and each command loads only what it uses: render and check never load pdfkit, fontkit or chokidar; a
 * deck of Latin text never reads the 8 MB CJK font. And the bundle draws exactly what the tsc output
 * (WIREGRAM_UNBUNDLED=1) draws.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, HANDSHAKE, tempProject, wiregram, wiregramBytes } from './helpers.js';

const BUNDLE = fileURLToPath(new URL('../dist/bundle/wiregram.cjs', import.meta.url));
const HOOK = ['--import', new URL('./fixtures/load-log.mjs', import.meta.url).href];

/** Run the bin with the load logger; the lines it logged. */
function loads(args: string[], cwd: string): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'wg-loads-')), 'log');
  const r = wiregram(args, { cwd, nodeArgs: HOOK, env: { WG_LOAD_LOG: log } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

const LATIN = HANDSHAKE.replace(/title .*\n/, 'title TCP handshake\n').replace(/ as \S+/g, '');

describe('the bundled CLI', () => {
  beforeAll(() => {
    ensureBuilt();
    // `pnpm build` (and so `pnpm test`) makes the bundle; a bare `tsc -b` does not.
    expect(existsSync(BUNDLE), 'dist/bundle/wiregram.cjs missing: run `npx -y pnpm@10 build`').toBe(true);
  });

  it('render reads one wiregram file and its code cache, and none of pdfkit, fontkit, yaml or chokidar', () => {
    const dir = tempProject({ 'hs.tcpseq': LATIN });
    const lines = loads(['render', 'hs.tcpseq', '-o', 'out', '-q'], dir);
    // No module of ours resolved but the entry (Node resolves it through the load logger's hook): the bundle is
    // read and run with its cache.
    const resolved = lines.filter((l) => l.startsWith('import file:') && l.includes('/packages/') && !l.includes('/node_modules/'));
    expect(resolved.map((l) => l.replace(/.*\/packages\//, ''))).toEqual(['cli/bin/wiregram.cjs']);
    const ours = lines.filter((l) => l.startsWith('read ') && l.includes('/packages/cli/')).map((l) => l.replace(/.*\/packages\//, ''));
    expect(ours).toEqual(['cli/dist/bundle/compile-cache.cjs', 'cli/dist/bundle/wiregram.cjs', 'cli/dist/bundle/wiregram.cjs.render.v8cache']);
    expect(lines.filter((l) => /pdfkit|fontkit|chokidar|yaml/.test(l))).toEqual([]);
    expect(readdirSync(join(dir, 'out'))).toContain('hs.svg');
  });

  it('the build made a code cache per command, and this Node takes each', () => {
    // V8 rejects a cache made by another Node or for other source: compiling each with its cache says which.
    const dir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
    const caches = ['wiregram.cjs.main', 'wiregram.cjs.render', 'wiregram-check.cjs.check', 'wiregram.cjs.deck', 'pdfkit.cjs.pdf', 'yaml.cjs.yaml'];
    // The source as the loader compiles it (each bundle is written inside its CommonJS wrapper).
    const script = `const { readFileSync } = require('node:fs');
const { scriptSource } = require(${JSON.stringify(dir)} + 'compile-cache.cjs');
for (const name of ${JSON.stringify(caches)}) {
  const file = ${JSON.stringify(dir)} + name.replace(/\\.[a-z]+$/, '');
  const s = new (require('node:vm').Script)(scriptSource(file), { filename: file, cachedData: readFileSync(${JSON.stringify(dir)} + name + '.v8cache') });
  console.log(name, s.cachedDataRejected ? 'rejected' : 'taken');
}`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(caches.map((c) => `${c} taken`));
  });

  it('check runs from its own bundle and cache, and loads no PDF code either', () => {
    const dir = tempProject({ 'hs.tcpseq': LATIN, 'doc.md': '# x\n\n```packet-header\ntcp\n```\n' });
    const lines = loads(['check', 'hs.tcpseq', 'doc.md', '-q'], dir);
    const ours = lines.filter((l) => l.startsWith('read ') && l.includes('/packages/cli/')).map((l) => l.replace(/.*\/packages\//, ''));
    expect(ours).toEqual(['cli/dist/bundle/compile-cache.cjs', 'cli/dist/bundle/wiregram-check.cjs', 'cli/dist/bundle/wiregram-check.cjs.check.v8cache']);
    expect(lines.filter((l) => /pdfkit|fontkit|chokidar|\.otf/.test(l))).toEqual([]);
  });

  it('a Mermaid front matter loads yaml from its own bundle and cache, not from node_modules', () => {
    const mermaid = '# x\n\n```packet-header\n---\ntitle: "TCP"\nconfig:\n  packet:\n    bitsPerRow: 16\n---\npacket-beta\n0-15: "Source Port"\n```\n';
    const dir = tempProject({ 'doc.md': mermaid });
    const lines = loads(['render', 'doc.md', '-o', 'out', '-q'], dir);
    const ours = lines.filter((l) => l.startsWith('read ') && l.includes('/packages/cli/')).map((l) => l.replace(/.*\/packages\//, ''));
    expect(ours).toEqual(['cli/dist/bundle/compile-cache.cjs', 'cli/dist/bundle/wiregram.cjs', 'cli/dist/bundle/wiregram.cjs.render.v8cache', 'cli/dist/bundle/yaml.cjs', 'cli/dist/bundle/yaml.cjs.yaml.v8cache']);
    expect(lines.filter((l) => /node_modules[\\/](\.pnpm[\\/])?yaml/.test(l))).toEqual([]);
    // The title and the 16-bit rows came from the front matter.
    const svg = readFileSync(join(dir, 'out', 'doc-1.svg'), 'utf8');
    expect(svg).toMatch(/<title id="[^"]+">TCP<\/title>/);
    expect(svg).toContain('16 bits per row: Source Port');
  });

  it('a Latin deck reads only the Latin cut of the font; CJK labels read the full font for that face only', () => {
    const dir = tempProject({ 'latin.tcpseq': LATIN, 'cjk.tcpseq': HANDSHAKE });
    const latin = loads(['deck', 'latin.tcpseq', '-o', 'latin.pdf', '-q'], dir);
    expect(latin.filter((l) => l.endsWith('/pdfkit.cjs') || l.endsWith('/pdfkit.cjs.pdf.v8cache')).map((l) => l.replace(/.*\//, ''))).toEqual(['pdfkit.cjs', 'pdfkit.cjs.pdf.v8cache']);
    const fonts = (lines: string[]) => lines.filter((l) => l.startsWith('read ') && /\.(otf|ttf)$/.test(l)).map((l) => l.replace(/.*\//, '')).sort();
    expect(fonts(latin)).toEqual(['WiregramLatinCut-Bold.otf', 'WiregramLatinCut-Regular.otf']);
    // The seed handshake: CJK title and participant names (bold), Latin labels and states (regular).
    expect(fonts(loads(['deck', 'cjk.tcpseq', '-o', 'cjk.pdf', '-q'], dir))).toEqual(['NotoSansHans-Bold.otf', 'WiregramLatinCut-Regular.otf']);
  });

  it('draws byte for byte what the unbundled CLI draws (SVG and PDF)', () => {
    const dir = tempProject({ 'cjk.tcpseq': HANDSHAKE, 'latin.tcpseq': LATIN });
    const cases: Array<[string[], string]> = [
      [['render', '-'], 'cjk.tcpseq'],
      [['render', '-', '--format', 'pdf'], 'latin.tcpseq'],
      [['deck', 'latin.tcpseq', '-o', '-'], 'latin.tcpseq'],
      [['deck', 'cjk.tcpseq', '-o', '-'], 'cjk.tcpseq'],
    ];
    for (const [args, file] of cases) {
      const input = args[1] === '-' ? readFileSync(join(dir, file)) : undefined;
      const a = wiregramBytes(args, { cwd: dir, input });
      const b = wiregramBytes(args, { cwd: dir, input, env: { WIREGRAM_UNBUNDLED: '1' } });
      expect(a.status, String(a.stderr)).toBe(0);
      expect(Buffer.compare(a.stdout, b.stdout), `${args.join(' ')} differs`).toBe(0);
      expect(a.stdout.length).toBeGreaterThan(500);
    }
  });

  it('--version reads the package version from the bundle too', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string };
    expect(wiregram(['--version'], { cwd: tmpdir() }).stdout.trim()).toBe(pkg.version);
  });
});
