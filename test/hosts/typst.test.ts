/**
 * The Typst recipe (docs/recipes/typst.md) end to end: @wiregram/cli installed from its packed tarball (so the PNG
 * path's native and WebAssembly dependencies come from npm as a user gets them), the recipe's commands run, and
 * the recipe's Typst source compiled to PDF by Typst itself (typst.ts's Node compiler from npm, pinned in
 * test/hosts/typst/package-lock.json; Typst has no Debian package). The page is then looked at: the diagram
 * drawn from `--styles resolved` is mostly white with dark lines and text; the same SVG without it is the black
 * box the recipe warns about.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareSite, type Site } from '../support/hosts.js';
import { ROOT } from '../support/tarballs.js';

const recipe = readFileSync(join(ROOT, 'docs', 'recipes', 'typst.md'), 'utf8');
const pandocRecipe = readFileSync(join(ROOT, 'docs', 'recipes', 'pandoc.md'), 'utf8');
const block = (text: string, lang: string) => new RegExp('^(`{3,})' + lang + '\\n([\\s\\S]*?)^\\1\\s*$', 'm').exec(text)![2]!;
const CJK_FONTS = '/usr/share/fonts/opentype/noto';

/** Mean grey (0 black … 255 white) of page 1 inside the box [x0, y0, x1, y1] (fractions of the page), and the share of pixels that are not white. */
function greyIn(pdf: string, box: [number, number, number, number]): { mean: number; inked: number } {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', pdf]);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const data = pgm.subarray(header[0].length);
  let sum = 0;
  let inked = 0;
  let all = 0;
  for (let y = Math.floor(box[1] * h); y < box[3] * h; y++) {
    for (let x = Math.floor(box[0] * w); x < box[2] * w; x++, all++) {
      sum += data[y * w + x]!;
      if (data[y * w + x]! < 240) inked++;
    }
  }
  return { mean: sum / all, inked: inked / all };
}

describe('Typst recipe (typst.ts compiler from npm, @wiregram/cli from its tarball)', { timeout: 180_000 }, () => {
  let site: Site;
  beforeAll(() => {
    site = prepareSite('typst', ['@wiregram/cli']);
    writeFileSync(join(site.dir, 'figures.md'), block(pandocRecipe, 'markdown'));
  }, 600_000);

  const run = (argv: string[]) => {
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: site.dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PATH: `${join(site.dir, 'node_modules', '.bin')}:${process.env['PATH']}` } });
    expect(r.status, `${argv.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };

  it('compiles the recipe’s Typst source with the resolved SVG: the diagram is drawn, not a black box', () => {
    const commands = block(recipe, 'sh')
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l.startsWith('wiregram '));
    expect(commands).toHaveLength(2);
    for (const c of commands) run(c.split(/\s+/));
    writeFileSync(join(site.dir, 'main.typ'), block(recipe, 'typst'));
    run([process.execPath, 'compile.mjs', 'main.typ', 'resolved.pdf', CJK_FONTS]);
    // Typst's own text and the figure caption are text in the PDF.
    const text = execFileSync('pdftotext', [join(site.dir, 'resolved.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('The three-way handshake');
    expect(text).toContain('TCP 三次握手');
    // The control: the default SVG (CSS custom properties) in the same place.
    run(['wiregram', 'render', 'figures.md', '-t', 'light', '-o', 'plain']);
    writeFileSync(join(site.dir, 'plain.typ'), block(recipe, 'typst').replace('figures/figures-1.svg', 'plain/figures-1.svg'));
    run([process.execPath, 'compile.mjs', 'plain.typ', 'plain.pdf', CJK_FONTS]);
    // The diagram sits in the middle of the 16:9 page, under the heading.
    const box: [number, number, number, number] = [0.3, 0.3, 0.7, 0.7];
    const resolved = greyIn(join(site.dir, 'resolved.pdf'), box);
    const plain = greyIn(join(site.dir, 'plain.pdf'), box);
    expect(plain.mean, 'the SVG without --styles resolved: black').toBeLessThan(40);
    expect(resolved.mean, 'the resolved SVG: a light diagram').toBeGreaterThan(200);
    expect(resolved.inked, 'with lines, boxes and labels drawn').toBeGreaterThan(0.05);
    expect(execFileSync('pdfinfo', [join(site.dir, 'resolved.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
  });
});
