#!/usr/bin/env node
// Build docs/**/*.md into a static site in docs/out/ with our own remark plugin: every tcp-sequence and
// packet-header block in the docs becomes a live diagram, shown under its source. Relative `.md` links become
// `.html`. Exit code 1 if any diagram in the docs is broken (the page still shows the error box).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { VFile } from 'vfile';
import { firstHeading, formatMessages, importBuilt, page, processor, root, writeAtomic } from './page.mjs';

const docsDir = join(root, 'docs');
const outDir = join(docsDir, 'out');
const { default: remarkWiregram } = await importBuilt('remark-wiregram/dist/index.js');
const { buildPlayground, playgroundHash } = await import('../packages/playground/scripts/build.mjs');

// Sidebar order; pages not listed follow alphabetically.
const ORDER = [
  'index.md',
  'getting-started.md',
  'language.md',
  'packet-header.md',
  'cli.md',
  'captures.md',
  'stream-graphs.md',
  'recipes/index.md',
  'recipes/docusaurus.md',
  'recipes/astro.md',
  'recipes/vitepress.md',
  'recipes/marp.md',
  'recipes/slidev.md',
  'recipes/mdx.md',
  'recipes/cli.md',
  'recipes/api.md',
];

function collect(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== outDir && !entry.name.startsWith('.')) out.push(...collect(path));
    } else if (entry.name.endsWith('.md')) out.push(relative(docsDir, path).split(sep).join('/'));
  }
  return out;
}

const files = collect(docsDir).sort((a, b) => {
  const ia = ORDER.indexOf(a);
  const ib = ORDER.indexOf(b);
  return (ia === -1 ? 1e9 : ia) - (ib === -1 ? 1e9 : ib) || a.localeCompare(b);
});
if (files.length === 0) {
  console.error('no docs/*.md found');
  process.exit(1);
}
const htmlName = (md) => md.replace(/\.md$/, '.html');

/**
 * remark plugin for relative links: `./other.md#x` → `./other.html#x` inside docs/; a link that leaves docs/
 * (`../packages/core/README.md`, `../examples/`) is re-pointed from docs/out/ to the file in the repository.
 */
function rewriteLinks() {
  return (tree, file) => {
    const from = dirname(file.path);
    const outFrom = join(outDir, relative(docsDir, from));
    const visit = (node) => {
      if ((node.type === 'link' || node.type === 'definition') && typeof node.url === 'string' && !/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(node.url)) {
        const [path, hash = ''] = node.url.split(/(?=#)/);
        const target = join(from, path);
        const inside = !relative(docsDir, target).startsWith('..');
        node.url = inside ? node.url.replace(/\.md(#|$)/, '.html$1') : relative(outFrom, target).split(sep).join('/') + (path.endsWith('/') ? '/' : '') + hash;
      }
      if (node.children) node.children.forEach(visit);
    };
    visit(tree);
  };
}

/** remark plugin: under every diagram block, an "Open in playground" link carrying its text in the fragment. */
function openInPlayground() {
  return (tree, file) => {
    const up = '../'.repeat(relative(docsDir, file.path).split(sep).length - 1);
    const visit = (node) => {
      if (!node.children) return;
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i];
        if (child.type === 'code' && (child.lang === 'tcp-sequence' || child.lang === 'packet-header')) {
          const url = `${up}playground/index.html${playgroundHash(child.value, child.lang)}`;
          node.children.splice(i + 1, 0, {
            type: 'paragraph',
            data: { hProperties: { className: ['wg-open'] } },
            children: [{ type: 'link', url, children: [{ type: 'text', value: 'Open in playground' }] }],
          });
        } else visit(child);
      }
    };
    visit(tree);
  };
}

const pipeline = processor(remarkWiregram, { theme: 'auto', darkClass: 'dark', showSource: true }, { before: [openInPlayground], remark: [rewriteLinks] });

const pages = files.map((md) => {
  const markdown = readFileSync(join(docsDir, md), 'utf8');
  return { md, markdown, title: firstHeading(markdown, md) };
});

let failures = 0;
let diagrams = 0;
for (const p of pages) {
  const depth = p.md.split('/').length - 1;
  const up = '../'.repeat(depth);
  const nav = pages.map((q) => ({ href: up + htmlName(q.md), title: q.md.startsWith('recipes/') && q.md !== 'recipes/index.md' ? `· ${q.title}` : q.title }));
  nav.push({ href: `${up}playground/index.html`, title: 'Playground' });
  const file = new VFile({ path: join(docsDir, p.md), value: p.markdown });
  const body = String(pipeline.processSync(file));
  for (const line of formatMessages(file, `docs/${p.md}`)) console.log(line);
  const data = file.data.wiregram ?? { blocks: [], errors: [] };
  failures += data.errors.length;
  diagrams += data.blocks.length;
  const target = join(outDir, htmlName(p.md));
  writeAtomic(target, page({ title: p.title, body, siteTitle: 'wiregram docs', homeHref: up + 'index.html', nav, current: up + htmlName(p.md) }));
  console.log(`wrote ${relative(root, target)} (${data.blocks.length} diagram${data.blocks.length === 1 ? '' : 's'})`);
}
await buildPlayground(join(outDir, 'playground'));
console.log('wrote docs/out/playground/index.html');
console.log(`\n${pages.length} pages, ${diagrams} live diagrams, ${failures} broken → docs/out/index.html`);
if (failures > 0) process.exitCode = 1;
