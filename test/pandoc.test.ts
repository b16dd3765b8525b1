/**
 * The Pandoc filter (`wiregram-pandoc`, packages/cli/src/pandoc.ts) driven by Debian's real pandoc: a lecture
 * in Markdown → standalone HTML (inline SVG, parsed), → pptx (unzipped: PNG media, slides referencing them),
 * → LaTeX and Beamer (`\includegraphics` of a PDF that pdftotext reads), a broken block → a `[WARNING]` with
 * its file, line and column and a finished document; and the filter invoked as Quarto runs JSON filters
 * (AST on stdin, the format as the only argument).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { ensureBuilt } from '../packages/cli/test/helpers.js';
import { pageErrors, withBrowser } from './support/chromium.js';
import { SEED_HANDSHAKE } from './support/seeds.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILTER = join(ROOT, 'packages/cli/bin/wiregram-pandoc.cjs');
const BIN_DIR = join(ROOT, 'node_modules/.bin');
const OUT = join(ROOT, 'test-output', 'pandoc');

export const LECTURE = `---
title: TCP lecture
---

# Handshake

\`\`\`tcp-sequence
${SEED_HANDSHAKE}\`\`\`

# Header

\`\`\`{.packet-header title="TCP header"}
tcp
\`\`\`

# Broken

\`\`\`tcp-sequence
client -> server: SYN
client -> server: FIN, ACK len=oops
\`\`\`
`;
/** Where the broken block's error is: line 27 of LECTURE, column 32 (`oops`). */
const BAD_AT = 'lecture.md:27:32';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wg-pandoc-'));
  writeFileSync(join(dir, 'lecture.md'), LECTURE);
  return dir;
}

function pandoc(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('pandoc', args, { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('wiregram-pandoc (Pandoc JSON filter)', { timeout: 180_000 }, () => {
  beforeAll(() => ensureBuilt());

  it('→ HTML: each diagram an inline SVG with its labels, the broken block a warning with its line, the page built', async () => {
    const dir = project();
    // By name, found on PATH as `pandoc --filter wiregram-pandoc` finds an installed bin.
    const r = pandoc(dir, ['--filter', 'wiregram-pandoc', 'lecture.md', '-s', '-o', 'lecture.html'], { PATH: `${BIN_DIR}:${process.env['PATH']}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`[WARNING] wiregram: ${BAD_AT}: expected a number here [malformed-number]`);
    const html = readFileSync(join(dir, 'lecture.html'), 'utf8');
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => new DOMParser().parseFromString(m[0], 'image/svg+xml'));
    expect(svgs).toHaveLength(2);
    const texts = (doc: { getElementsByTagName(name: string): ArrayLike<{ textContent: string | null }> }) => Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent);
    expect(texts(svgs[0]!)).toEqual(expect.arrayContaining(['TCP 三次握手', '客户端', 'SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1', 'ESTABLISHED']));
    expect(texts(svgs[1]!)).toEqual(expect.arrayContaining(['Source Port', 'Window']));
    // The block's title attribute is the figure's caption, escaped.
    expect(html).toContain('</svg><figcaption>TCP header</figcaption></figure>');
    // The broken block is still there, as code, so the reader sees what was written.
    expect(html).toMatch(/<pre class="tcp-sequence"><code>client -&gt; server: SYN/);
    expect(existsSync(join(dir, 'wiregram-figures'))).toBe(false);
    // Pandoc's page in Chromium: both diagrams drawn at their size, coloured by their own stylesheet, no error.
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const errors = pageErrors(page);
      await page.goto(pathToFileURL(join(dir, 'lecture.html')).href);
      const shown = await page.$$eval('figure.wiregram svg', (list) =>
        list.map((svg) => ({ width: svg.getBoundingClientRect().width, fill: getComputedStyle(svg.querySelector('.wg-background')!).fill, label: getComputedStyle(svg.querySelector('.wg-title, .wg-label, text')!).fill })),
      );
      expect(shown).toHaveLength(2);
      for (const s of shown) {
        expect(s.width).toBeGreaterThan(300);
        expect(s.fill).toBe('rgb(255, 255, 255)');
        expect(s.label).not.toBe(s.fill);
      }
      mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: join(OUT, 'pandoc-lecture.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('→ pptx: the diagrams are PNG media that the slides reference', () => {
    const dir = project();
    const r = pandoc(dir, ['--filter', FILTER, 'lecture.md', '-o', 'lecture.pptx']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(BAD_AT);
    const list = execFileSync('unzip', ['-Z1', join(dir, 'lecture.pptx')], { encoding: 'utf8' }).split('\n');
    const media = list.filter((f) => /^ppt\/media\/.*\.png$/.test(f));
    expect(media).toHaveLength(2);
    for (const m of media) expect(execFileSync('unzip', ['-p', join(dir, 'lecture.pptx'), m]).subarray(1, 4).toString()).toBe('PNG');
    // Each picture is embedded by a slide: the slide's relationships point at the media, its XML at the relationship.
    const referenced = new Set<string>();
    for (const rels of list.filter((f) => /^ppt\/slides\/_rels\/slide\d+\.xml\.rels$/.test(f))) {
      const relXml = execFileSync('unzip', ['-p', join(dir, 'lecture.pptx'), rels], { encoding: 'utf8' });
      const slideXml = execFileSync('unzip', ['-p', join(dir, 'lecture.pptx'), rels.replace('_rels/', '').replace(/\.rels$/, '')], { encoding: 'utf8' });
      for (const m of relXml.matchAll(/Id="([^"]+)"[^>]*Target="\.\.\/media\/([^"]+\.png)"|Target="\.\.\/media\/([^"]+\.png)"[^>]*Id="([^"]+)"/g)) {
        const id = m[1] ?? m[4];
        if (slideXml.includes(`r:embed="${id}"`)) referenced.add(`ppt/media/${m[2] ?? m[3]}`);
      }
    }
    expect([...referenced].sort()).toEqual([...media].sort());
    // The pictures are files of their own, named by their source: a second run writes nothing new.
    const figures = readdirSync(join(dir, 'wiregram-figures'));
    expect(figures.filter((f) => f.endsWith('.png'))).toHaveLength(2);
    expect(pandoc(dir, ['--filter', FILTER, 'lecture.md', '-o', 'again.pptx']).code).toBe(0);
    expect(readdirSync(join(dir, 'wiregram-figures')).sort()).toEqual(figures.sort());
  });

  it('→ LaTeX and Beamer: \\includegraphics of vector PDFs whose text pdftotext reads', () => {
    const dir = project();
    for (const to of ['latex', 'beamer']) {
      const r = pandoc(dir, ['--filter', FILTER, 'lecture.md', '-t', to, '-s', '-o', `lecture-${to}.tex`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(BAD_AT);
      const tex = readFileSync(join(dir, `lecture-${to}.tex`), 'utf8');
      const pdfs = [...tex.matchAll(/\\includegraphics(?:\[[^\]]*\])?\{([^}]+\.pdf)\}/g)].map((m) => m[1]!);
      expect(pdfs).toHaveLength(2);
      const text = pdfs.map((p) => execFileSync('pdftotext', [join(dir, p), '-'], { encoding: 'utf8' }));
      expect(text[0]).toContain('SYN, ACK, seq=y, ack=x+1');
      expect(text[0]).toContain('客户端');
      expect(text[1]).toContain('Source Port');
      if (to === 'beamer') expect(tex).toContain('\\begin{frame}');
    }
  });

  it('places warnings by sourcepos when the reader gives it, and in list items', () => {
    const dir = project();
    writeFileSync(join(dir, 'list.md'), 'Intro\n\n- item\n\n  ```tcp-sequence\n  client -> server: SYN\n  client -> server: bogus\n  ```\n');
    const a = pandoc(dir, ['--filter', FILTER, '-f', 'commonmark_x+sourcepos', 'lecture.md', '-o', 'out.html']);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain(BAD_AT);
    const b = pandoc(dir, ['--filter', FILTER, 'list.md', '-o', 'list.html']);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/\[WARNING\] wiregram: list\.md:7:\d+: /);
  });

  it('runs as Quarto runs a JSON filter: AST on stdin, the format as argument', () => {
    const dir = project();
    const ast = execFileSync('pandoc', ['lecture.md', '-t', 'json'], { cwd: dir, encoding: 'utf8' });
    const run = (format: string) => {
      const r = spawnSync(process.execPath, [FILTER, format], { cwd: dir, input: ast, encoding: 'utf8', env: { ...process.env, WIREGRAM_PANDOC_INPUT: 'lecture.md' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(BAD_AT);
      return JSON.parse(r.stdout) as { blocks: Array<{ t: string; c: unknown }> };
    };
    const reveal = run('revealjs');
    const raws = reveal.blocks.filter((b) => b.t === 'RawBlock').map((b) => b.c as [string, string]);
    expect(raws.map(([f]) => f)).toEqual(['html', 'html']);
    expect(raws[0]![1]).toMatch(/^<figure class="wiregram"><svg /);
    const docx = run('docx+styles');
    const images = JSON.stringify(docx.blocks).match(/wiregram-figures\/wg-[0-9a-f]+\.png/g);
    expect(images).toHaveLength(2);
    // The filter's output is a document pandoc reads back.
    const back = spawnSync('pandoc', ['-f', 'json', '-t', 'html'], { cwd: dir, input: JSON.stringify(reveal), encoding: 'utf8' });
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toContain('<svg ');
  });

  it('a PNG over max-pixels stays a code block with a warning; the others are drawn, a repeated one into one file', () => {
    const dir = project();
    // At scale 1 the handshake is 494 × 324 = 160,056 pixels, the UDP header 664 × 152 = 100,928.
    const md = `---\nwiregram:\n  scale: 1\n  max-pixels: 150000\n---\n\n\`\`\`tcp-sequence\n${SEED_HANDSHAKE}\`\`\`\n\n\`\`\`packet-header\nudp\n\`\`\`\n\nAgain:\n\n\`\`\`packet-header\nudp\n\`\`\`\n`;
    writeFileSync(join(dir, 'big.md'), md);
    const ast = execFileSync('pandoc', ['big.md', '-t', 'json'], { cwd: dir, encoding: 'utf8' });
    const r = spawnSync(process.execPath, [FILTER, 'pptx'], { cwd: dir, input: ast, encoding: 'utf8', env: { ...process.env, WIREGRAM_PANDOC_INPUT: 'big.md' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[WARNING\] wiregram: big\.md:\d+:\d+: the picture would be 494 × 324 pixels \(160056\), more than maxPixels 150000 \[png-too-large\]/);
    const out = JSON.parse(r.stdout) as { blocks: Array<{ t: string; c: unknown }> };
    expect(out.blocks.filter((b) => b.t === 'CodeBlock')).toHaveLength(1);
    expect(JSON.stringify(out.blocks.find((b) => b.t === 'CodeBlock'))).toContain('tcp-sequence');
    const images = JSON.stringify(out.blocks).match(/wiregram-figures\/wg-[0-9a-f]+\.png/g)!;
    expect(images).toHaveLength(2);
    expect(new Set(images).size).toBe(1);
    expect(readdirSync(join(dir, 'wiregram-figures'))).toEqual([images[0]!.split('/')[1]]);
    // The document still builds.
    const back = spawnSync('pandoc', ['-f', 'json', '-o', 'big.docx'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
    expect(back.status, back.stderr).toBe(0);
  });

  it('metadata settings apply (image folder, theme), and bad input is a clear error, not a stack trace', () => {
    const dir = project();
    writeFileSync(join(dir, 'meta.md'), '---\nwiregram:\n  dir: pics\n  theme: dark\n---\n\n```packet-header\nudp\n```\n');
    const r = pandoc(dir, ['--filter', FILTER, 'meta.md', '-o', 'meta.docx']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'pics')).filter((f) => f.endsWith('.png'))).toHaveLength(1);
    const bad = spawnSync(process.execPath, [FILTER, 'html'], { cwd: dir, input: 'not json', encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('stdin is not a Pandoc JSON document');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(dirname(FILTER)).toBe(join(ROOT, 'packages/cli/bin'));
  });

  it('refuses a document past 256 MiB of JSON with a clear error, without reading the rest', async () => {
    // An endless stream of JSON whitespace: the filter must stop reading, say why, and exit, not run out of memory
    // or make a string longer than V8 allows.
    const child = spawn(process.execPath, [FILTER, 'html'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    const chunk = Buffer.alloc(1 << 20, 0x20);
    let written = 0;
    let open = true;
    child.stdin.on('error', () => (open = false)); // EPIPE once the filter has stopped reading
    const pump = () => {
      while (open && child.stdin.write(chunk)) written += chunk.length;
      if (open) written += chunk.length;
    };
    child.stdin.on('drain', pump);
    pump();
    const code = await new Promise<number | null>((done) => child.on('close', done));
    open = false;
    expect(code).toBe(1);
    expect(stderr).toContain('the Pandoc document on stdin is more than 256 MiB of JSON');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    // It gave up after the limit, not at the end of an input that never ends.
    expect(written).toBeLessThan(1024 * 1024 * 1024);
  });
});
