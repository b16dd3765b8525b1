/**
 * The lecture-slide recipes as a reader follows them: the commands and files of docs/recipes/{slides,pandoc,
 * beamer,typst}.md are taken from the pages themselves and run (wiregram from the built CLI, Debian's pandoc),
 * then what the slide tool would load is checked — PNG sizes, PDFs pdftotext reads on the pages a Beamer deck
 * names, SVGs with their colours written out for Typst. (No TeX engine here: the Beamer source is checked, not
 * compiled; test/hosts/typst.test.ts compiles the Typst one.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../packages/cli/test/helpers.js';
import { ROOT } from './support/tarballs.js';

const recipe = (name: string) => readFileSync(join(ROOT, 'docs', 'recipes', name), 'utf8');

/** The bodies of the fenced blocks of `text` with info string `lang` (3 or more backticks). */
function blocks(text: string, lang: string): string[] {
  const out: string[] = [];
  const re = /^(`{3,})([^\n`]*)\n([\s\S]*?)^\1\s*$/gm;
  for (const m of text.matchAll(re)) if (m[2]!.trim() === lang) out.push(m[3]!);
  return out;
}

/** The command lines of the recipe's sh blocks that start with `prefix` (comments dropped). */
function commands(text: string, prefix: string): string[][] {
  return blocks(text, 'sh')
    .flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.split(/\s+/));
}

/** The lecture of the Pandoc recipe (its ````markdown block): the input of every recipe here. */
const lecture = () => blocks(recipe('pandoc.md'), 'markdown')[0]!;

/** A folder with the lecture under the names the recipes use, and `wiregram`/`wiregram-pandoc` on PATH. */
function project(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'wg-slides-'));
  for (const name of ['lecture.md', 'figures.md']) writeFileSync(join(dir, name), lecture());
  writeFileSync(join(dir, 'handshake.tcpseq'), /```tcp-sequence\n([\s\S]*?)```/.exec(lecture())![1]!);
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  for (const [name, args] of [['wiregram', ''], ['wiregram-pandoc', ' pandoc']] as const) {
    writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${BIN}"${args} "$@"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { dir, env: { ...process.env, PATH: `${bin}:${process.env['PATH']}`, NO_COLOR: '1' } };
}

function run(p: { dir: string; env: NodeJS.ProcessEnv }, argv: string[]) {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: p.dir, env: p.env, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `${argv.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

const pngSize = (file: string): [number, number] => {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
};
const svgSize = (file: string): [number, number] => {
  const m = /<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(readFileSync(file, 'utf8'))!;
  return [Number(m[1]), Number(m[2])];
};
const outDir = (argv: string[]) => argv[argv.indexOf('-o') + 1]!;

describe('lecture-slide recipes', { timeout: 180_000 }, () => {
  beforeAll(() => ensureBuilt());

  it('slides.md: the PNG commands give pictures sized by --scale / --dpi', () => {
    const p = project();
    const cmds = commands(recipe('slides.md'), 'wiregram render');
    expect(cmds.length).toBeGreaterThanOrEqual(4);
    run(p, ['wiregram', 'render', 'lecture.md', '-o', 'svg']);
    run(p, ['wiregram', 'render', 'handshake.tcpseq', '-o', 'svg']);
    for (const argv of cmds) {
      run(p, argv);
      const dir = outDir(argv);
      const factor = argv.includes('--dpi') ? Number(argv[argv.indexOf('--dpi') + 1]) / 96 : argv.includes('--scale') ? Number(argv[argv.indexOf('--scale') + 1]) : 2;
      const pngs = readdirSync(join(p.dir, dir)).filter((f) => f.endsWith('.png'));
      expect(pngs.length, argv.join(' ')).toBeGreaterThan(0);
      for (const png of pngs) {
        const [w, h] = svgSize(join(p.dir, 'svg', png.replace(/\.png$/, '.svg')));
        expect(pngSize(join(p.dir, dir, png)), `${dir}/${png}`).toEqual([Math.ceil(w * factor), Math.ceil(h * factor)]);
      }
    }
  });

  it('pandoc.md: every pandoc command (but the one that needs TeX) builds its output without a warning', () => {
    const p = project();
    const cmds = commands(recipe('pandoc.md'), 'pandoc --filter wiregram-pandoc');
    expect(cmds.length).toBeGreaterThanOrEqual(6);
    const formats = new Set<string>();
    for (const argv of cmds) {
      const out = outDir(argv);
      if (out.endsWith('.pdf')) continue;
      const r = run(p, argv);
      expect(r.stderr, argv.join(' ')).not.toContain('[WARNING]');
      expect(existsSync(join(p.dir, out)), out).toBe(true);
      formats.add(out.replace(/^.*\./, ''));
    }
    expect([...formats].sort()).toEqual(['docx', 'html', 'odt', 'pptx', 'tex']);
    // What each got: inline SVG in the HTML, pictures in the pptx, PDFs in the Beamer source.
    expect(readFileSync(join(p.dir, 'slides.html'), 'utf8')).toMatch(/<section[\s\S]*<svg [\s\S]*SYN, ACK, seq=y, ack=x\+1/);
    expect(execFileSync('unzip', ['-Z1', join(p.dir, 'lecture.pptx')], { encoding: 'utf8' })).toMatch(/ppt\/media\/[^\n]+\.png/);
    expect(readFileSync(join(p.dir, 'beamer.tex'), 'utf8')).toMatch(/\\includegraphics(\[[^\]]*\])?\{wiregram-figures\/wg-[0-9a-f]+\.pdf\}/);
  });

  it('beamer.md: the CLI commands make every page the deck includes, and pdftotext reads them', () => {
    const p = project();
    for (const argv of commands(recipe('beamer.md'), 'wiregram ')) run(p, argv);
    const tex = blocks(recipe('beamer.md'), 'latex')[0]!;
    const includes = [...tex.matchAll(/\\includegraphics\[([^\]]*)\]\{([^}]+)\}/g)].map((m) => ({ options: m[1]!, file: m[2]! }));
    expect(includes.map((i) => i.file)).toEqual(['figures/figures-1.pdf', 'figures/steps.pdf']);
    const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(p.dir, file)], { encoding: 'utf8' }))![1]);
    // The step frame shows pages 1..N of the step deck (\foreach \n in {1,...,N}).
    const steps = Number(/\\foreach \\n in \{1,\.\.\.,(\d+)\}/.exec(tex)![1]);
    expect(pages('figures/steps.pdf')).toBeGreaterThanOrEqual(steps);
    const text = (file: string, page: number) => execFileSync('pdftotext', ['-f', String(page), '-l', String(page), join(p.dir, file), '-'], { encoding: 'utf8' });
    expect(text('figures/figures-1.pdf', 1)).toContain('客户端');
    expect(text('figures/steps.pdf', 1)).not.toContain('SYN, seq=x');
    expect(text('figures/steps.pdf', 2)).toContain('SYN, seq=x');
    expect(text('figures/steps.pdf', steps)).toContain('ACK, seq=x+1, ack=y+1');
  });

  it('typst.md: the files the Typst source names exist; the SVG has its colours written out', () => {
    const p = project();
    for (const argv of commands(recipe('typst.md'), 'wiregram ')) run(p, argv);
    const typ = blocks(recipe('typst.md'), 'typst')[0]!;
    const images = [...typ.matchAll(/image\("([^"]+)"/g)].map((m) => m[1]!);
    expect(images).toEqual(['figures/figures-1.svg']);
    const svg = readFileSync(join(p.dir, images[0]!), 'utf8');
    expect(svg).not.toContain('var(');
    expect(svg).toContain('TCP 三次握手');
    expect(pngSize(join(p.dir, 'figures', 'figures-1.png'))[0]).toBe(Math.ceil(svgSize(join(p.dir, images[0]!))[0] * 3));
  });
});
