/**
 * Issue #14 (5): what a custom `renderer` returns is untrusted. Each payload below is handed to remark-wiregram
 * (as SVG text and as a tree) and to markdown-it-wiregram; the pages they build are opened in real Chromium,
 * every element is clicked, animations get time to run — and nothing may execute or fetch. The same payloads
 * unsanitized, in the same harness, do execute: the harness can see what it must refuse.
 */
import MarkdownIt from 'markdown-it';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import markdownItWiregram from 'markdown-it-wiregram';
import remarkWiregram, { type SvgTreeNode } from 'remark-wiregram';
import { insertFirstChild, pageStyleTree, render, serialize } from '@wiregram/svg';
import { htmlPage, withBrowser } from './support/chromium.js';
import { expectNoActiveMarkup } from './support/markdown.js';

/** Each payload, when it runs, records its id in `window.__hits`. */
const hit = (id: string) => `(window.__hits=window.__hits||[]).push('${id}')`;

const BIG = 'width="300" height="60"';
const PAYLOADS: Record<string, string> = {
  // The three bypasses of the old hand-written filter:
  'uppercase-script': `<svg ${BIG}><SCRIPT>${hit('uppercase-script')}</SCRIPT><rect width="10" height="10"/></svg>`,
  'foreignobject': `<svg ${BIG}><foreignobject width="300" height="60"><img src="x" onerror="${hit('foreignobject')}"></foreignobject></svg>`,
  'animate-href': `<svg ${BIG}><a><animate attributeName="href" values="javascript:${hit('animate-href')}"/><rect width="300" height="60" fill="#c00"/></a></svg>`,
  // And their relatives:
  'svg-onload': `<svg ${BIG} onload="${hit('svg-onload')}"><rect width="10" height="10"/></svg>`,
  'upper-onload': `<svg ${BIG} ONLOAD="${hit('upper-onload')}"><rect width="10" height="10"/></svg>`,
  'a-javascript': `<svg ${BIG}><a href="javascript:${hit('a-javascript')}"><rect width="300" height="60" fill="#0a0"/></a></svg>`,
  'xlink-javascript': `<svg ${BIG} xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:${hit('xlink-javascript')}"><rect width="300" height="60" fill="#00a"/></a></svg>`,
  'set-onclick': `<svg ${BIG}><rect width="300" height="60" fill="#aa0"><set attributeName="onclick" to="${hit('set-onclick')}"/></rect></svg>`,
  'title-breakout': `<svg ${BIG}><title><img src="x" onerror="${hit('title-breakout')}"></title></svg>`,
  'desc-breakout': `<svg ${BIG}><desc><img src="x" onerror="${hit('desc-breakout')}"></desc></svg>`,
  'html-in-svg': `<svg ${BIG}><p><img src="x" onerror="${hit('html-in-svg')}"></p></svg>`,
  'after-svg': `<svg ${BIG}><rect width="10" height="10"/></svg><img src="x" onerror="${hit('after-svg')}">`,
  'cdata': `<svg ${BIG}><![CDATA[</svg><img src="x" onerror="${hit('cdata')}">]]></svg>`,
  'iframe': `<svg ${BIG}><iframe srcdoc="<script>parent.${hit('iframe')}</script>"></iframe></svg>`,
  'script-href': `<svg ${BIG}><script href="data:text/javascript,${hit('script-href')}"></script></svg>`,
  'image-onerror': `<svg ${BIG}><image href="x" onerror="${hit('image-onerror')}"/></svg>`,
  'style-breakout': `<svg ${BIG}><style></style><img src="x" onerror="${hit('style-breakout')}"></svg>`,
  'use-data': `<svg ${BIG}><use href="data:image/svg+xml,%3Csvg id='x' xmlns='http://www.w3.org/2000/svg'%3E%3Cimage href='x' onerror='${hit('use-data')}'/%3E%3C/svg%3E#x"/></svg>`,
  'css-import': `<svg ${BIG}><style>@import url("http://127.0.0.1:9/x.css");</style><rect width="10" height="10" style="fill:url(http://127.0.0.1:9/p#x)"/></svg>`,
};

/** The same attacks as a tree (`RenderResult.tree` shape), which a renderer may return instead of text. */
const TREES: Record<string, SvgTreeNode> = {
  'tree-script': { name: 'svg', attrs: [['width', '300'], ['height', '60']], children: [{ name: 'SCRIPT', attrs: [], children: hit('tree-script') }] },
  'tree-foreignobject': {
    name: 'svg',
    attrs: [['width', '300'], ['height', '60']],
    children: [{ name: 'foreignobject', attrs: [], children: [{ name: 'img', attrs: [['src', 'x'], ['onerror', hit('tree-foreignobject')]], children: [] }] }],
  },
  'tree-animate': {
    name: 'svg',
    attrs: [['width', '300'], ['height', '60']],
    children: [{ name: 'a', attrs: [], children: [{ name: 'animate', attrs: [['attributeName', 'href'], ['values', `javascript:${hit('tree-animate')}`]], children: [] }, { name: 'rect', attrs: [['width', '300'], ['height', '60']], children: [] }] }],
  },
  'tree-onload': { name: 'svg', attrs: [['width', '300'], ['height', '60'], ['onload', hit('tree-onload')]], children: [] },
};

const doc = (ids: string[]) => ids.map((id) => '```tcp-sequence\n' + id + '\n```\n').join('\n');

function remarkHtml(renderer: (src: string) => unknown, ids: string[]): string {
  const file = unified()
    .use(remarkParse)
    .use(remarkWiregram, { renderer: renderer as never })
    .use(remarkRehype)
    .use(rehypeStringify)
    .processSync(doc(ids));
  return String(file);
}

function markdownItHtml(ids: string[]): string {
  return new MarkdownIt().use(markdownItWiregram, { renderer: (src: string) => PAYLOADS[src.trim()]! }).render(doc(ids));
}

/** Opens `body` in Chromium, clicks every drawn element, waits for animations; returns hits and requests. */
async function attack(bodies: string[]): Promise<Array<{ hits: string[]; requests: string[] }>> {
  return withBrowser(async (browser) => {
    const out: Array<{ hits: string[]; requests: string[] }> = [];
    for (const body of bodies) {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('about:') && !r.url().startsWith('data:text/html')) requests.push(r.url());
      });
      await page.setContent(htmlPage(body));
      await page.waitForTimeout(300);
      const boxes = await page.$$eval('svg *, svg', (els) =>
        els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0).map((r) => [r.x + r.width / 2, r.y + r.height / 2] as const),
      );
      for (const [x, y] of boxes.slice(0, 200)) {
        await page.mouse.click(x, y).catch(() => undefined);
      }
      await page.waitForTimeout(200);
      // A click on a javascript: link may have replaced the document; whatever ran recorded itself first.
      const hits = await page.evaluate(() => (window as unknown as { __hits?: string[] }).__hits ?? []).catch(() => ['<document replaced>']);
      out.push({ hits, requests });
      await page.close();
    }
    return out;
  });
}

describe('a custom renderer cannot run script through either plugin (Chromium)', () => {
  const ids = Object.keys(PAYLOADS);
  const treeIds = Object.keys(TREES);

  it('the harness sees the bypasses execute when the markup is not sanitized', async () => {
    const [raw] = await attack([Object.values(PAYLOADS).join('\n')]);
    for (const id of ['uppercase-script', 'foreignobject', 'animate-href']) expect(raw!.hits).toContain(id);
  });

  it('remark (text and tree), markdown-it: nothing runs, nothing is fetched, the safe shapes stay', async () => {
    const remarkText = remarkHtml((src) => PAYLOADS[src.trim()]!, ids);
    const remarkTree = remarkHtml((src) => ({ svg: '<svg></svg>', tree: TREES[src.trim()]! }), treeIds);
    const mdIt = markdownItHtml(ids);
    const results = await attack([remarkText, remarkTree, mdIt]);
    for (const r of results) {
      expect(r.hits).toEqual([]);
      // Not even the payloads' own `src="x"`: an <img> or <image> that survived would fetch it.
      expect(r.requests).toEqual([]);
    }
    for (const html of [remarkText, remarkTree, mdIt]) {
      expectNoActiveMarkup(html);
      // Tags only: an attack's text may survive as harmless escaped text (the CDATA case shows `&#x3C;img …`).
      for (const tag of html.match(/<[a-zA-Z][^<>]*>/g)!) expect(tag).not.toMatch(/^<(foreignobject|animate|set|a|image|use\s[^>]*href)\b/i);
      expect(html).not.toMatch(/@import|127\.0\.0\.1/);
    }
    for (const html of [remarkText, mdIt]) {
      // Every block still became a figure with an <svg> (the safe part of the payload kept).
      expect(html.match(/<figure/g)).toHaveLength(ids.length);
      expect(html.match(/<svg/g)!.length).toBe(ids.length);
      expect(html).toContain('<rect width="300" height="60" fill="#c00"');
    }
  }, 120_000);

  it('the built-in renderer is untouched by the sanitizer path: same bytes as before', () => {
    const source = 'participant client\nparticipant server\nclient -> server: SYN\n';
    const html = new MarkdownIt().use(markdownItWiregram).render('```tcp-sequence\n' + source + '```\n');
    // The renderer's page-styled SVG as is, with the document's one page stylesheet as its first child.
    const own = render(source, { language: 'tcp-sequence', styles: 'page', idPrefix: /id="(wg-[^"]+?)"/.exec(html)![1]! }).svg;
    expect(html).toContain(insertFirstChild(own, serialize(pageStyleTree())));
  });
});
