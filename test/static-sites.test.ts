/**
 * The static-site recipes (docs/recipes/{hugo,jekyll,hexo,mkdocs,html}.md), each as a reader gets it: the page
 * in the exact markup the tool prints, the recipe's own snippet (taken from the recipe file, so docs and test
 * cannot drift apart), and @wiregram/browser's bundle installed with npm from the packed tarballs — opened in
 * Chromium. Every tool is a real build: Hugo 0.111, Jekyll 4.3 and MkDocs 1.4 + pymdownx from Debian, Hexo 7
 * from npm (test/hexo-site, its own lockfile); Hugo once with the plain script and once with its render hooks.
 * Markup variants no default build prints (Rouge's wrapper, pymdownx's other formats) come from
 * test/support/static-sites.ts. Checked: every block becomes its diagram with the right labels,
 * ordinary code stays, no console error, ids unique on the page, dark mode. Screenshots (light and dark) go
 * to test-output/static-sites/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForFile, pageErrors, serveDirectory } from './support/chromium.js';
import { HANDSHAKE } from './support/markdown.js';
import { SEED_WAVEHAND } from './support/seeds.js';
import { shapeBlock, shapePage, type Shape } from './support/static-sites.js';
import { npmInstall, packedTarballs, ROOT } from './support/tarballs.js';

const SHOTS = join(ROOT, 'test-output', 'static-sites');
const BLOCKS = [
  { language: 'tcp-sequence', source: HANDSHAKE },
  { language: 'packet-header', source: 'tcp' },
  { language: 'tcp-sequence', source: SEED_WAVEHAND.trim() },
];

let bundle: string;
let classicBundle: string;
// Temporary folders of this file, removed at the end.
const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

beforeAll(async () => {
  const tgz = packedTarballs();
  const dir = tempDir('wg-static-npm-');
  writeFileSync(join(dir, 'package.json'), '{"name":"static-site-assets","private":true}');
  npmInstall(dir, ['@wiregram/core', '@wiregram/layout', '@wiregram/svg', '@wiregram/browser'].map((n) => tgz[n]!));
  bundle = join(dir, 'node_modules', '@wiregram', 'browser', 'dist', 'wiregram.min.js');
  classicBundle = join(dir, 'node_modules', '@wiregram', 'browser', 'dist', 'wiregram.iife.min.js');
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);
const browser = browserForFile(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** The fenced blocks of a recipe that name a file (```` ```html file=layouts/partials/wiregram.html ````). */
function recipeFiles(recipe: string): Record<string, string> {
  const text = readFileSync(join(ROOT, 'docs', 'recipes', recipe), 'utf8');
  const files: Record<string, string> = {};
  for (const m of text.matchAll(/^(`{3,})\w+ file=(\S+)\n([\s\S]*?)^\1$/gm)) files[m[2]!] = m[3]!;
  return files;
}

/** A new site folder with the bundle (the module, or the classic script) where the recipe loads it from. */
function siteWithBundle(bundlePath: string): string {
  const site = tempDir('wg-site-');
  mkdirSync(join(site, dirname(bundlePath)), { recursive: true });
  copyFileSync(bundlePath.endsWith('.iife.min.js') ? classicBundle : bundle, join(site, bundlePath));
  return site;
}

/** Write `files` (path → text) under `site`. */
function writeFiles(site: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(site, dirname(name)), { recursive: true });
    writeFileSync(join(site, name), text);
  }
}

/** The page's Markdown: the three blocks and an ordinary code block, after front matter. */
function markdownPage(frontMatter: string): string {
  return `---\n${frontMatter}---\n# TCP notes\n\n${BLOCKS.map((b) => `\`\`\`${b.language}\n${b.source}\n\`\`\`\n`).join('\nSome prose.\n\n')}\n\`\`\`js\nconsole.log("an ordinary code block");\n\`\`\`\n`;
}

interface Opened {
  page: Page;
  errors: string[];
}

/** Open `path` of `site`, wait until `count` diagrams (or error boxes) are on the page. */
async function openSite(site: string, path: string, count: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const page = await browser().newPage();
  const errors = pageErrors(page);
  await page.emulateMedia({ colorScheme });
  const origin = await serveDirectory(page, site);
  await page.goto(origin + path);
  await page.waitForFunction((n) => document.querySelectorAll('figure.wiregram svg, .wiregram-error').length >= n, count, { timeout: 15_000 });
  await page.evaluate(() => document.fonts.ready);
  return { page, errors };
}

/** What every recipe page must show: the diagrams with their labels, no leftovers, no errors, unique ids. */
async function expectDiagrams({ page, errors }: Opened, expected: Array<'handshake' | 'tcp-header' | 'wavehand'>): Promise<void> {
  const svgs = page.locator('figure.wiregram > svg');
  expect(await svgs.count()).toBe(expected.length);
  expect(await page.locator('.wiregram-error').count()).toBe(0);
  for (const [i, what] of expected.entries()) {
    const text = (await svgs.nth(i).locator('text').allTextContents()).join(' | ');
    if (what === 'handshake') expect(text).toMatch(/SYN, seq=x.*SYN, ACK, seq=y, ack=x\+1.*ACK, seq=x\+1, ack=y\+1/);
    if (what === 'tcp-header') expect(text).toMatch(/Source Port.*Destination Port.*Sequence Number/);
    if (what === 'wavehand') expect(text).toMatch(/FIN, ACK, seq=u.*ACK, seq=u\+1/);
    // Drawn, not collapsed: a real size on the page.
    const box = await svgs.nth(i).boundingBox();
    expect(box!.width).toBeGreaterThan(150);
    expect(box!.height).toBeGreaterThan(80);
  }
  // Nothing left of the diagram blocks' markup; the ordinary code block is untouched.
  expect(await page.locator('.language-tcp-sequence, .language-packet-header, pre.tcp-sequence, div.tcp-sequence, [data-language="tcp-sequence"], code.tcp-sequence').count()).toBe(0);
  const ids = await page.evaluate(() => Array.from(document.querySelectorAll('[id]')).map((e) => e.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(errors).toEqual([]);
}

const darkFill = (page: Page) => page.evaluate(() => getComputedStyle(document.querySelector('figure.wiregram svg text')!).fill);

async function shoot(opened: Opened, name: string): Promise<void> {
  await opened.page.locator('figure.wiregram').first().screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** A page of the blocks in `shape`, with the recipe's snippet as its script. */
function shapeSite(shape: Shape, bundlePath: string, script: string): string {
  const site = siteWithBundle(bundlePath);
  writeFileSync(join(site, 'index.html'), shapePage(shape, BLOCKS, script));
  return site;
}

describe('Hugo (real build with Debian hugo)', () => {
  const recipe = recipeFiles('hugo.md');
  const content = `---\ntitle: TCP notes\n---\nThe handshake:\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\n\`\`\`\n\nThe header:\n\n\`\`\`packet-header\ntcp\n\`\`\`\n\nClosing, as lifelines:\n\n\`\`\`tcp-sequence {style="lifeline"}\n${SEED_WAVEHAND.trim()}\n\`\`\`\n\n\`\`\`js\nconsole.log("an ordinary code block");\n\`\`\`\n`;

  function buildHugo(withHooks: boolean): string {
    const site = siteWithBundle('static/js/wiregram.min.js');
    const files: Record<string, string> = {
      'hugo.toml': 'baseURL = "http://site.test/"\ntitle = "wiregram on Hugo"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
      'layouts/_default/single.html': '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
      'layouts/_default/list.html': '{{ define "main" }}{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}\n',
      'content/posts/tcp.md': content,
      'layouts/partials/wiregram.html': recipe['layouts/partials/wiregram.html']!,
      'layouts/_default/baseof.html': recipe['layouts/_default/baseof.html']!,
    };
    if (withHooks)
      for (const name of ['layouts/_default/_markup/render-codeblock-tcp-sequence.html', 'layouts/_default/_markup/render-codeblock-packet-header.html']) files[name] = recipe[name]!;
    writeFiles(site, files);
    execFileSync('hugo', ['--quiet', '--source', site, '--destination', join(site, 'public')], { stdio: 'pipe', timeout: 60_000 });
    // Serve what Hugo built, the bundle included (copied from static/).
    return join(site, 'public');
  }

  it('recipe files are there', () => {
    expect(Object.keys(recipe)).toEqual(expect.arrayContaining(['layouts/partials/wiregram.html', 'layouts/_default/baseof.html', 'layouts/_default/_markup/render-codeblock-tcp-sequence.html']));
  });

  // The wavehand's viewBox without its {style="lifeline"} attribute (plain script: Hugo drops it).
  let plainWavehandBox: string | null = null;

  it('plain script: Hugo prints pre > code.language-…, the page shows diagrams', async () => {
    const pub = buildHugo(false);
    const html = readFileSync(join(pub, 'posts', 'tcp', 'index.html'), 'utf8');
    expect(html).toContain('<code class="language-tcp-sequence" data-lang="tcp-sequence">');
    expect(html).toContain('type="module"');
    const light = await openSite(pub, '/posts/tcp/', 3);
    await expectDiagrams(light, ['handshake', 'tcp-header', 'wavehand']);
    plainWavehandBox = await light.page.locator('figure.wiregram > svg').nth(2).getAttribute('viewBox');
    await shoot(light, 'hugo-light');
    const dark = await openSite(pub, '/posts/tcp/', 3, 'dark');
    expect(await darkFill(dark.page)).not.toBe(await darkFill(light.page));
    await shoot(dark, 'hugo-dark');
    await light.page.close();
    await dark.page.close();
  });

  it('render hooks: Hugo prints <wire-gram> with the block attributes, the page shows diagrams', async () => {
    const pub = buildHugo(true);
    const html = readFileSync(join(pub, 'posts', 'tcp', 'index.html'), 'utf8');
    expect(html).toContain('<wire-gram language="packet-header">tcp');
    expect(html).toMatch(/<wire-gram style="lifeline">/);
    // Hugo escaped the text: `->` arrives as `-&gt;`.
    expect(html).toContain('client -&gt; server: SYN');
    const opened = await openSite(pub, '/posts/tcp/', 3);
    await expectDiagrams(opened, ['handshake', 'tcp-header', 'wavehand']);
    // style="lifeline" reached the diagram: another layout, another size than the default states layout.
    expect(plainWavehandBox).toBeTruthy();
    expect(await opened.page.locator('wire-gram[style="lifeline"] svg').getAttribute('viewBox')).not.toBe(plainWavehandBox);
    await shoot(opened, 'hugo-hooks');
    await opened.page.close();
  });
});

describe('Jekyll (real build with Debian jekyll 4.3: kramdown + Rouge)', () => {
  const include = recipeFiles('jekyll.md')['_includes/wiregram.html']!;

  it('the include from the recipe shows the diagrams of a real Jekyll page', async () => {
    const site = siteWithBundle('assets/js/wiregram.min.js');
    writeFiles(site, {
      '_config.yml': 'title: wiregram on Jekyll\n',
      '_layouts/default.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body><main>{{ content }}</main>\n{% include wiregram.html %}\n</body></html>\n',
      '_includes/wiregram.html': include,
      'index.md': markdownPage('layout: default\ntitle: TCP notes\n'),
    });
    execFileSync('jekyll', ['build', '--quiet', '--source', site, '--destination', join(site, '_site')], { stdio: 'pipe', timeout: 120_000 });
    const pub = join(site, '_site');
    const html = readFileSync(join(pub, 'index.html'), 'utf8');
    // A language Rouge does not know: kramdown's plain code block.
    expect(html).toContain('<pre><code class="language-tcp-sequence">');
    expect(html).toContain('highlighter-rouge'); // the js block, highlighted as usual
    const light = await openSite(pub, '/index.html', 3);
    await expectDiagrams(light, ['handshake', 'tcp-header', 'wavehand']);
    await shoot(light, 'jekyll-light');
    const dark = await openSite(pub, '/index.html', 3, 'dark');
    await shoot(dark, 'jekyll-dark');
    expect(await darkFill(dark.page)).not.toBe(await darkFill(light.page));
    await light.page.close();
    await dark.page.close();
  });

  it('the highlighter-rouge wrapper (a language a Rouge lexer answers to) is replaced whole', async () => {
    const script = include.replace(/\{\{\s*"([^"]+)"\s*\|\s*relative_url\s*\}\}/g, '$1');
    const opened = await openSite(shapeSite('jekyll', 'assets/js/wiregram.min.js', script), '/index.html', 3);
    await expectDiagrams(opened, ['handshake', 'tcp-header', 'wavehand']);
    expect(await opened.page.locator('.highlighter-rouge').count()).toBe(0);
    await opened.page.close();
  });
});

describe('Hexo (real build: Hexo 7 from npm, test/hexo-site)', () => {
  const recipe = recipeFiles('hexo.md');
  const HEXO = join(ROOT, 'test', 'hexo-site');

  /** A Hexo site using test/hexo-site's installed Hexo, with `config` as the highlight settings. */
  function buildHexo(config: string): string {
    npmInstall(HEXO);
    const site = siteWithBundle('source/js/wiregram.min.js');
    const pkg = JSON.parse(readFileSync(join(HEXO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    writeFiles(site, {
      // Hexo loads the plugins a site's package.json lists, once it is marked as a Hexo site.
      'package.json': JSON.stringify({ name: 'hexo-test-site', private: true, hexo: { version: '7.3.0' }, dependencies: pkg.dependencies }),
      '_config.yml': `title: wiregram on Hexo\nurl: http://site.test\ntheme: mini\n${config}`,
      'themes/mini/layout/layout.ejs': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title><%= page.title %></title></head><body><main><%- body %></main>\n<%- partial(\'_partial/wiregram\') %>\n</body></html>\n',
      'themes/mini/layout/post.ejs': '<h1><%= page.title %></h1><%- page.content %>\n',
      'themes/mini/layout/index.ejs': '<% page.posts.each(function (p) { %><a href="<%- url_for(p.path) %>"><%= p.title %></a><% }) %>\n',
      'themes/mini/layout/_partial/wiregram.ejs': recipe['themes/<your-theme>/layout/_partial/wiregram.ejs']!,
      'source/_posts/tcp.md': markdownPage('title: TCP notes\ndate: 2026-01-02 10:00:00\n'),
    });
    symlinkSync(join(HEXO, 'node_modules'), join(site, 'node_modules'), 'dir');
    execFileSync(process.execPath, [join(HEXO, 'generate.cjs'), site], { cwd: HEXO, stdio: 'pipe', timeout: 120_000 });
    return join(site, 'public');
  }
  const POST = '/2026/01/02/tcp/index.html';

  it('exclude_languages from the recipe: pre > code.highlight.tcp-sequence, diagrams shown', async () => {
    const pub = buildHexo(recipe['_config.yml']!);
    const html = readFileSync(join(pub, POST), 'utf8');
    expect(html).toContain('<pre><code class="highlight tcp-sequence">');
    expect(html).toContain('<figure class="highlight js">'); // other code is still highlighted
    const opened = await openSite(pub, POST, 3);
    await expectDiagrams(opened, ['handshake', 'tcp-header', 'wavehand']);
    await shoot(opened, 'hexo');
    await opened.page.close();
  }, 180_000);

  it('language_attr: the table with a gutter and data-language, replaced whole', async () => {
    const pub = buildHexo('highlight:\n  language_attr: true\n');
    const html = readFileSync(join(pub, POST), 'utf8');
    expect(html).toContain('<figure class="highlight plaintext" data-language="tcp-sequence">');
    const opened = await openSite(pub, POST, 3);
    await expectDiagrams(opened, ['handshake', 'tcp-header', 'wavehand']);
    expect(await opened.page.locator('td.gutter').count()).toBe(1); // only the js block's
    await opened.page.close();
  }, 180_000);
});

describe('MkDocs (real build with Debian mkdocs 1.4 + pymdownx)', () => {
  const files = recipeFiles('mkdocs.md');
  const runScript = files['docs/js/wiregram-run.js']!;

  it('the recipe\'s mkdocs.yml and script show the diagrams of a real MkDocs page; the palette toggle turns them dark', async () => {
    const site = siteWithBundle('docs/js/wiregram.iife.min.js');
    writeFiles(site, {
      // The recipe's configuration as written, plus what every site has; the built-in theme's highlight.js
      // comes from a CDN, which a test cannot reach, so it is turned off.
      'mkdocs.yml': `site_name: wiregram on MkDocs\ntheme:\n  name: mkdocs\n  highlightjs: false\n${files['mkdocs.yml']!}`,
      'docs/js/wiregram-run.js': runScript,
      'docs/index.md': markdownPage('title: TCP notes\n'),
    });
    execFileSync('mkdocs', ['build', '--quiet', '--config-file', join(site, 'mkdocs.yml'), '--site-dir', join(site, 'site')], { stdio: 'pipe', timeout: 120_000 });
    const pub = join(site, 'site');
    const html = readFileSync(join(pub, 'index.html'), 'utf8');
    expect(html).toContain('<pre class="tcp-sequence"><code>');
    expect(html).toContain('<pre class="packet-header"><code>');
    const opened = await openSite(pub, '/index.html', 3);
    await expectDiagrams(opened, ['handshake', 'tcp-header', 'wavehand']);
    await shoot(opened, 'mkdocs-light');
    // The whole page inside the MkDocs theme (its CSS around the figures).
    await opened.page.screenshot({ path: join(SHOTS, 'mkdocs-page.png'), fullPage: true });
    const light = await darkFill(opened.page);
    await opened.page.evaluate(() => document.body.setAttribute('data-md-color-scheme', 'slate'));
    expect(await darkFill(opened.page)).not.toBe(light);
    await shoot(opened, 'mkdocs-slate');
    await opened.page.close();
  });

  it.each(['mkdocs-div-fence', 'mkdocs-highlight'] as const)('%s markup is found too', async (shape) => {
    const site = siteWithBundle('js/wiregram.iife.min.js');
    writeFileSync(join(site, 'js', 'wiregram-run.js'), runScript);
    writeFileSync(join(site, 'index.html'), shapePage(shape, BLOCKS, '<script src="js/wiregram.iife.min.js"></script>\n<script src="js/wiregram-run.js"></script>'));
    const opened = await openSite(site, '/index.html', 3);
    await expectDiagrams(opened, ['handshake', 'tcp-header', 'wavehand']);
    await opened.page.close();
  });
});

describe('markdown-it / marked output and hand-written HTML', () => {
  it('real markdown-it output with the script from the HTML recipe', async () => {
    const html = recipeFiles('html.md')['index.html']!;
    const script = html.match(/<script type="module">[\s\S]*?<\/script>/)![0];
    const md = new MarkdownIt();
    const body = md.render(BLOCKS.map((b) => `\`\`\`${b.language}\n${b.source}\n\`\`\`\n`).join('\n') + '\n```js\nconsole.log(1)\n```\n');
    expect(body).toContain('<pre><code class="language-tcp-sequence">');
    const site = siteWithBundle('js/wiregram.min.js');
    writeFileSync(join(site, 'index.html'), `<!doctype html><html><head><meta charset="utf-8"><title>md</title></head><body>${body}${script}</body></html>`);
    const opened = await openSite(site, '/index.html', 3);
    await expectDiagrams(opened, ['handshake', 'tcp-header', 'wavehand']);
    expect(await opened.page.locator('code.language-js').count()).toBe(1);
    await opened.page.close();
  });

  it('the HTML recipe page as written: <wire-gram> elements and a code block', async () => {
    const site = siteWithBundle('js/wiregram.min.js');
    writeFileSync(join(site, 'index.html'), recipeFiles('html.md')['index.html']!);
    for (const scheme of ['light', 'dark'] as const) {
      const opened = await openSite(site, '/index.html', 3, scheme);
      const svgs = opened.page.locator('figure.wiregram > svg');
      expect(await svgs.count()).toBe(3);
      expect((await svgs.nth(0).locator('text').allTextContents()).join(' ')).toMatch(/Three-way handshake.*SYN, seq=x/);
      expect((await svgs.nth(1).locator('text').allTextContents()).join(' ')).toMatch(/Source Port/);
      expect((await svgs.nth(2).locator('text').allTextContents()).join(' ')).toMatch(/RST, ACK/);
      expect(opened.errors).toEqual([]);
      await opened.page.screenshot({ path: join(SHOTS, `html-${scheme}.png`), fullPage: true });
      await opened.page.close();
    }
  });

  it('a shape block helper round-trips author text with <, & and quotes', () => {
    expect(shapeBlock('jekyll', 'tcp-sequence', 'a -> b: "x" & <y>')).toContain('a -&gt; b: &quot;x&quot; &amp; &lt;y&gt;');
  });
});
