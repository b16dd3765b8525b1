/**
 * wiregram as an npm user gets it: every package packed (`packedTarballs()`), installed with **npm** into a
 * fresh folder outside the repository together with the host libraries from the registry, and the READMEs'
 * examples run there as written — the code blocks are read from the installed packages' own README.md files
 * and run with node (a line before defines the variables the snippet leaves to the reader, a line after prints
 * what it made). Also: the CLI's render/deck/import/check on a real capture, and the browser bundle through
 * the package's `exports` in Chromium.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, pageErrors, serveDirectory } from './support/chromium.js';
import { HANDSHAKE } from './support/markdown.js';
import { npmInstall, packedTarballs, ROOT } from './support/tarballs.js';

const dir = mkdtempSync(join(tmpdir(), 'wg-npm-install-'));
const HOSTS = ['unified@^11.0.5', 'remark-parse@^11.0.0', 'remark-rehype@^11.1.2', 'rehype-stringify@^10.0.1', 'markdown-it@^14.1.0'];

beforeAll(() => {
  const tgz = packedTarballs();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'npm-user', private: true, type: 'module' }));
  npmInstall(dir, [...Object.values(tgz), ...HOSTS]);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first ```js/```ts block after `heading` in an installed package's README. */
function readmeExample(pkg: string, heading: RegExp): string {
  const readme = readFileSync(join(dir, 'node_modules', pkg, 'README.md'), 'utf8');
  const at = readme.search(heading);
  expect(at, `${pkg} README has ${heading}`).toBeGreaterThanOrEqual(0);
  const m = /^```(?:js|ts)\n([\s\S]*?)^```$/m.exec(readme.slice(at));
  expect(m, `${pkg} README has a js block after ${heading}`).not.toBeNull();
  return m![1]!;
}

/** Run `before + snippet + after` as an ES module in the install folder; returns stdout (stderr on failure). */
function runModule(name: string, code: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, `${name}.mjs failed:\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function cli(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(join(dir, 'node_modules', '.bin', 'wiregram'), args, { cwd: dir, encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const MARKDOWN = `# Notes\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\n\`\`\`\n\n\`\`\`packet-header\ntcp\n\`\`\`\n`;

it('installs only real runtime dependencies (no svgdom, no svg.js for string rendering)', () => {
  const nm = join(dir, 'node_modules');
  for (const pkg of ['@wiregram/core', '@wiregram/layout', '@wiregram/svg', '@wiregram/pdf', '@wiregram/png', '@wiregram/cli', '@wiregram/browser', 'remark-wiregram', 'markdown-it-wiregram'])
    expect(existsSync(join(nm, pkg, 'package.json')), pkg).toBe(true);
  expect(existsSync(join(nm, 'svgdom'))).toBe(false);
  expect(existsSync(join(nm, '@svgdotjs'))).toBe(false);
  expect(existsSync(join(nm, 'fontkit'))).toBe(true); // @wiregram/pdf's
});

describe('README examples, run as written', () => {
  it('the repository README: a remark pipeline', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const snippet = /^```js\n([\s\S]*?)^```$/m.exec(readme)![1]!;
    const out = runModule('readme-root', `const markdown = ${JSON.stringify(MARKDOWN)};\n${snippet}\nconsole.log(html);\n`);
    expect(out).toMatch(/<figure class="wiregram wiregram-tcp-sequence"/);
    expect(out).toContain('SYN, ACK, seq=y, ack=x+1');
    expect(out).toMatch(/<figure class="wiregram wiregram-packet-header"/);
  });

  it('remark-wiregram', () => {
    const out = runModule('readme-remark', `${readmeExample('remark-wiregram', /^## Use/m)}\nconsole.log(String(file));\n`);
    expect(out).toMatch(/<figure class="wiregram wiregram-tcp-sequence[^"]*"/);
    expect(out).toContain('<figcaption>Handshake</figcaption>');
    expect(out).toContain('SYN, seq=0');
  });

  it('markdown-it-wiregram', () => {
    const out = runModule('readme-markdown-it', `const source = ${JSON.stringify(MARKDOWN)};\nconst env = {};\n${readmeExample('markdown-it-wiregram', /^## Use/m)}\nconsole.log(html);\n`);
    expect(out).toMatch(/<svg[^>]+role="img"/);
    expect(out).toContain('ACK, seq=x+1, ack=y+1');
    expect(out).toContain('Destination Port');
  });

  it('@wiregram/svg', () => {
    const out = runModule('readme-svg', `const source = ${JSON.stringify(HANDSHAKE)};\n${readmeExample('@wiregram/svg', /^npm install @wiregram\/svg/m)}\nconsole.log(JSON.stringify({ svg: svg.slice(0, 4), text: text.slice(0, 4), title, width, height }));\n`);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({ svg: '<svg', text: '<svg', title: 'Three-way handshake' });
  });

  it('@wiregram/core', () => {
    const snippet = readmeExample('@wiregram/core', /^## Use/m);
    const out = runModule('readme-core', `${snippet}\nconsole.log(JSON.stringify(timeline.segments.map((s) => s.label)));\n`);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']);
  });

  it('@wiregram/layout', () => {
    const out = runModule('readme-layout', `const source = ${JSON.stringify(HANDSHAKE)};\n${readmeExample('@wiregram/layout', /^## Use/m)}\nconsole.log(JSON.stringify({ w: scene.width, h: scene.height, same: same.items.length }));\n`);
    const r = JSON.parse(out.trim()) as { w: number; h: number; same: number };
    expect(r.w).toBeGreaterThan(100);
    expect(r.same).toBeGreaterThan(5);
  });

  it('@wiregram/pdf (checked with pdftotext)', () => {
    runModule('readme-pdf', readmeExample('@wiregram/pdf', /^## Use/m));
    const text = execFileSync('pdftotext', [join(dir, 'handshake.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('SYN, ACK, seq=y, ack=x+1');
    expect(text).toContain('客户端');
    const info = execFileSync('pdfinfo', [join(dir, 'lecture.pdf')], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(4);
    expect(execFileSync('pdftotext', [join(dir, 'deck.pdf'), '-'], { encoding: 'utf8' })).toContain('Source Port');
  });

  it('@wiregram/png (resvg’s binary and hb-subset from npm; the size the README says)', () => {
    runModule('readme-png', readmeExample('@wiregram/png', /^## Use/m));
    const png = readFileSync(join(dir, 'handshake.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1482, 972]);
  });
});

describe('the wiregram command, installed with npm', () => {
  it('render: Markdown → one SVG per diagram', () => {
    writeFileSync(join(dir, 'post.md'), MARKDOWN);
    const r = cli(['render', 'post.md', '-o', 'diagrams']);
    expect(r.status, r.stderr).toBe(0);
    // (The CLI also keeps a manifest of what it wrote, .wiregram-outputs.json, for --clean.)
    expect(readdirSync(join(dir, 'diagrams')).filter((f) => f.endsWith('.svg')).sort()).toEqual(['post-1.svg', 'post-2.svg']);
    expect(readFileSync(join(dir, 'diagrams', 'post-1.svg'), 'utf8')).toContain('SYN, seq=x');
  });

  it('deck: one PDF page per segment with --steps', () => {
    writeFileSync(join(dir, 'lecture.md'), `\`\`\`tcp-sequence\n${HANDSHAKE}\n\`\`\`\n`);
    const r = cli(['deck', 'lecture.md', '-o', 'lecture-deck.pdf', '--steps']);
    expect(r.status, r.stderr).toBe(0);
    const info = execFileSync('pdfinfo', [join(dir, 'lecture-deck.pdf')], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(3);
  });

  it('import: a real capture becomes diagram text that renders', () => {
    copyFileSync(join(ROOT, 'docs', 'captures', 'http.pcap'), join(dir, 'http.pcap'));
    const imported = cli(['import', 'http.pcap', '--stream', '0']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^participant /m);
    expect(imported.stdout).toMatch(/SYN/);
    const rendered = cli(['render', '-', '--lang', 'tcp-sequence'], imported.stdout);
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toMatch(/^<svg[^>]+viewBox/);
  });

  it('check: a broken diagram exits 1 with a code frame', () => {
    writeFileSync(join(dir, 'bad.md'), '```tcp-sequence\nparticipant client\nparticipant server\nclient -> server: SYN\nclient -> server: PSH, ACK len=100\n```\n');
    const r = cli(['check', 'bad.md']);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/bad\.md:5:1: error: .*\n[\s\S]*> 5 \| client -> server: PSH, ACK len=100/);
  });
});

it('the browser bundle, resolved through @wiregram/browser exports, draws a page in Chromium', async () => {
  const resolved = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log(new URL(import.meta.resolve('@wiregram/browser/wiregram.min.js')).pathname)"], { cwd: dir, encoding: 'utf8' }).trim();
  const site = join(dir, 'site');
  mkdirSync(site, { recursive: true });
  copyFileSync(resolved, join(site, 'wiregram.min.js'));
  writeFileSync(join(site, 'index.html'), `<!doctype html><meta charset="utf-8"><pre><code class="language-tcp-sequence">${HANDSHAKE.replace(/>/g, '&gt;')}</code></pre><wire-gram language="packet-header">udp</wire-gram><script type="module">import { run } from './wiregram.min.js'; window.result = run();</script>`);
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${await serveDirectory(page, site)}/index.html`);
    await page.waitForFunction(() => document.querySelectorAll('figure.wiregram svg').length === 2);
    expect((await page.locator('svg').first().locator('text').allTextContents()).join(' ')).toContain('SYN, ACK, seq=y, ack=x+1');
    expect(errors).toEqual([]);
    // The README's capture example: the optional decoder (also resolved through the exports) and a fetched file.
    const addon = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log(new URL(import.meta.resolve('@wiregram/browser/wiregram-capture.min.js')).pathname)"], { cwd: dir, encoding: 'utf8' }).trim();
    copyFileSync(addon, join(site, 'wiregram-capture.min.js'));
    mkdirSync(join(site, 'captures'), { recursive: true });
    copyFileSync(join(ROOT, 'packages', 'core', 'test', 'fixtures', 'capture', 'loopback.pcap'), join(site, 'captures', 'handshake.pcap'));
    writeFileSync(join(site, 'capture.html'), `<!doctype html><meta charset="utf-8"><pre><code class="language-tcp-sequence">capture ./handshake.pcap stream 0</code></pre>
<script src="./wiregram-capture.min.js"></script>
<script type="module">
  import { run } from './wiregram.min.js';
  const bytes = new Uint8Array(await (await fetch('./captures/handshake.pcap')).arrayBuffer());
  window.result = run({ readFile: (path) => bytes });
</script>`);
    const cap = await browser.newPage();
    const capErrors = pageErrors(cap);
    await cap.goto(`${await serveDirectory(cap, site)}/capture.html`);
    await cap.waitForFunction(() => document.querySelectorAll('figure.wiregram svg').length === 1);
    expect((await cap.locator('svg text').allTextContents()).join(' ')).toMatch(/SYN.*SYN, ACK/);
    expect(capErrors).toEqual([]);
  } finally {
    await close();
  }
});
