/**
 * `wiregram render -f png` (the PowerPoint/Keynote/Google Slides recipe, docs/recipes/slides.md) and
 * `--styles resolved` (the Typst recipe), run as a user runs the built binary.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_HANDSHAKE } from '../../../test/support/seeds.js';
import { ensureBuilt, tempProject, wiregram, wiregramBytes } from './helpers.js';

const LECTURE = `# TCP\n\n\`\`\`tcp-sequence\n${SEED_HANDSHAKE}\n\`\`\`\n\n\`\`\`packet-header\ntcp\n\`\`\`\n`;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** The SVG's own size (its width/height attributes), from an SVG render of the same block. */
function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  return [Number(m[1]), Number(m[2])];
}

describe('wiregram render -f png', { timeout: 180_000 }, () => {
  beforeAll(() => ensureBuilt());

  it('writes one PNG per block, sized by --scale and --dpi, light by default and dark on request', () => {
    const dir = tempProject({ 'lecture.md': LECTURE });
    const svg = wiregram(['render', 'lecture.md', '-o', 'svg'], { cwd: dir });
    expect(svg.code, svg.stderr).toBe(0);
    const [w, h] = svgSize(readFileSync(join(dir, 'svg', 'lecture-1.svg'), 'utf8'));
    for (const [args, factor] of [[[], 2], [['--scale', '3'], 3], [['--dpi', '144'], 1.5]] as const) {
      const out = `png-${factor}`;
      const r = wiregram(['render', 'lecture.md', '-f', 'png', '-o', out, ...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(join(dir, out)).filter((f) => f.endsWith('.png')).sort()).toEqual(['lecture-1.png', 'lecture-2.png']);
      expect(pngSize(readFileSync(join(dir, out, 'lecture-1.png')))).toEqual([Math.ceil(w * factor), Math.ceil(h * factor)]);
    }
    const dark = wiregram(['render', 'lecture.md', '-f', 'png', '-t', 'dark', '-o', 'dark'], { cwd: dir });
    expect(dark.code, dark.stderr).toBe(0);
    const light = readFileSync(join(dir, 'png-2', 'lecture-1.png'));
    expect(light.equals(readFileSync(join(dir, 'dark', 'lecture-1.png')))).toBe(false);
    // Byte-stable across runs (a second process draws the same bytes; the run reports them unchanged).
    const again = wiregram(['render', 'lecture.md', '-f', 'png', '-o', 'png-2'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/2 outputs unchanged/);
  });

  it('draws labels from the built-in font itself: no font cache written, the same bytes with the cache off, CJK included', () => {
    const dir = tempProject({ 'a.tcpseq': SEED_HANDSHAKE, 'c.tcpseq': 'participant 甲\nparticipant 乙\n甲 -> 乙: SYN\n' });
    const cache = join(dir, 'cache');
    const png = (file: string, env: Record<string, string>) => {
      const r = wiregramBytes(['render', '-', '-f', 'png', '--lang', 'tcp-sequence'], { cwd: dir, input: readFileSync(join(dir, file)), env });
      expect(r.status, r.stderr.toString()).toBe(0);
      return r.stdout;
    };
    const on = { XDG_CACHE_HOME: cache };
    const first = png('a.tcpseq', on);
    const cjk = png('c.tcpseq', on);
    // wiregram's labels become paths of the font's outlines: no font subset is made, so none is cached.
    expect(existsSync(join(cache, 'wiregram', 'png-fonts')) ? readdirSync(join(cache, 'wiregram', 'png-fonts')) : []).toEqual([]);
    expect(png('a.tcpseq', { WIREGRAM_PNG_CACHE: 'off' }).equals(first)).toBe(true);
    expect(cjk.equals(first)).toBe(false);
  }, 180_000);

  it('writes a PNG to stdout from stdin, and links PNGs from rewritten Markdown', () => {
    const dir = tempProject({ 'lecture.md': LECTURE });
    const r = wiregramBytes(['render', '-', '-f', 'png', '--scale', '1'], { cwd: dir, input: SEED_HANDSHAKE });
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(pngSize(r.stdout)[0]).toBeGreaterThan(300);
    const md = wiregram(['render', 'lecture.md', '-f', 'png', '-o', 'img', '--markdown-out', 'out'], { cwd: dir });
    expect(md.code, md.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'lecture.md'), 'utf8')).toContain('![TCP 三次握手](../img/lecture-1.png)');
  });

  it('refuses what cannot work, with a hint', () => {
    const dir = tempProject({ 'lecture.md': LECTURE });
    const cases: Array<[string[], RegExp]> = [
      [['--scale', '2'], /--scale only applies with --format png/],
      [['-f', 'png', '--scale', '0'], /invalid value '0' for --scale/],
      [['-f', 'png', '--scale', 'big'], /invalid value 'big' for --scale/],
      [['-f', 'png', '--scale', '2', '--dpi', '96'], /--scale or --dpi, not both/],
      [['-f', 'png', '--markdown-out', 'o', '--embed', 'inline'], /--embed inline needs SVG \(PNG/],
      [['-f', 'png', '--scale', '16', '--max-pixels', '1000'], /more than maxPixels 1000/],
      [['-f', 'pdf', '--styles', 'resolved'], /--styles only applies to SVG/],
    ];
    for (const [args, message] of cases) {
      const r = wiregram(['render', 'lecture.md', '-o', 'x', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readdirSync(dir)).toEqual(['lecture.md']);
  });

  it('--styles resolved: an SVG with its colours written out (for Typst, rsvg-convert), one theme', () => {
    const dir = tempProject({ 'lecture.md': LECTURE });
    const r = wiregram(['render', 'lecture.md', '-t', 'dark', '--styles', 'resolved', '-o', 'fig'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(join(dir, 'fig', 'lecture-1.svg'), 'utf8');
    expect(svg).not.toContain('var(');
    expect(svg).not.toContain('@media');
    // The dark palette's background and text colours, as colours.
    expect(svg).toMatch(/\.wg-background\{fill:#[0-9a-f]{6};\}/);
    expect(svg).toContain('SYN, ACK, seq=y, ack=x+1');
  });
});
