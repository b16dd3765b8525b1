/**
 * A fence marked `steps` (step-by-step reveal on HTML slides) in a Markdown file the CLI reads: the flag is for
 * HTML slides and the CLI leaves it alone — a PDF stays one page per diagram (PDF steps are `wiregram deck
 * --steps`, never a fence's), and a rendered SVG file is the plain picture.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, HANDSHAKE, tempProject, wiregram } from './helpers.js';

const MD = '# Slides\n\n```tcp-sequence steps\n' + HANDSHAKE + '\n```\n';
let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = tempProject({ 'slides.md': MD });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the steps fence flag in the CLI', () => {
  it('render -f svg draws the plain picture; render -f pdf and deck (without --steps) stay one page', () => {
    const svg = wiregram(['render', 'slides.md', '-o', 'svg'], { cwd: dir });
    expect(svg.code, svg.stderr).toBe(0);
    const file = readdirSync(join(dir, 'svg')).find((f) => f.endsWith('.svg'))!;
    expect(readFileSync(join(dir, 'svg', file), 'utf8')).toMatch(/SYN, ACK, seq=y, ack=x\+1/);
    expect(readFileSync(join(dir, 'svg', file), 'utf8')).not.toMatch(/wg-step/);
    const pdf = wiregram(['render', 'slides.md', '-f', 'pdf', '-o', 'pdf'], { cwd: dir });
    expect(pdf.code, pdf.stderr).toBe(0);
    const pdfFile = readdirSync(join(dir, 'pdf')).find((f) => f.endsWith('.pdf'))!;
    expect(execFileSync('pdfinfo', [join(dir, 'pdf', pdfFile)], { encoding: 'utf8' })).toMatch(/Pages:\s+1\b/);
    const deck = wiregram(['deck', 'slides.md', '-o', 'deck.pdf'], { cwd: dir });
    expect(deck.code, deck.stderr).toBe(0);
    expect(execFileSync('pdfinfo', [join(dir, 'deck.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\b/);
    const stepped = wiregram(['deck', 'slides.md', '-o', 'steps.pdf', '--steps'], { cwd: dir });
    expect(stepped.code, stepped.stderr).toBe(0);
    expect(execFileSync('pdfinfo', [join(dir, 'steps.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+4\b/);
  });
});
