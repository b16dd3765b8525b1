#!/usr/bin/env node
// `pnpm demo`: build every examples/*.md into examples/out/<name>.html (inline SVG, light/dark toggle), an index
// page, and — through @wiregram/pdf — a PDF per page plus a stepped 16:9 deck of the lecture. Uses the built
// packages (dist/), exactly what a user installs. Broken diagrams are reported as file:line:col and drawn as
// error boxes; the exit code is 1 if any diagram failed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { VFile } from 'vfile';
import { escapeHtml, firstHeading, formatMessages, importBuilt, page, processor, root, writeAtomic } from './page.mjs';

const examplesDir = join(root, 'examples');
const outDir = join(examplesDir, 'out');
const { default: remarkWiregram } = await importBuilt('remark-wiregram/dist/index.js');

// The PDF backend is optional for the HTML demo: without it (or while it cannot lay out yet) we say why and go on.
let pdf = null;
let layout = null;
try {
  pdf = await importBuilt('pdf/dist/index.js');
  layout = await importBuilt('layout/dist/index.js');
  if (typeof pdf.scenesToPdf !== 'function' || typeof layout.layoutSource !== 'function') {
    throw new Error('scenesToPdf/layoutSource not exported yet');
  }
} catch (error) {
  console.log(`note: PDFs skipped (${error instanceof Error ? error.message : error})`);
  pdf = null;
}

const sources = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.md') && !name.startsWith('_'))
  .sort();
if (sources.length === 0) {
  console.error('no examples/*.md found');
  process.exit(1);
}

// One pipeline for every page: the plugin keeps its per-file state in the file, not in the processor.
const pipeline = processor(remarkWiregram, { theme: 'auto', darkClass: 'dark' });
const written = [];
const pages = [];
let failures = 0;

for (const name of sources) {
  const path = join(examplesDir, name);
  const markdown = readFileSync(path, 'utf8');
  const stem = basename(name, '.md');
  const title = firstHeading(markdown, stem);
  const file = new VFile({ path, value: markdown });
  const html = String(pipeline.processSync(file));
  const data = file.data.wiregram ?? { blocks: [], errors: [] };
  for (const line of formatMessages(file, relative(root, path))) console.log(line);
  failures += data.errors.length;

  const entry = { stem, title, diagrams: data.blocks.length, errors: data.errors.length, pdf: null, deck: null };
  const footer = `<p style="margin-top:3rem;color:var(--muted);font-size:.85rem">Built from <code>examples/${escapeHtml(name)}</code> by <code>pnpm demo</code> with remark-wiregram.</p>`;
  writeAtomic(join(outDir, `${stem}.html`), page({ title, body: html, siteTitle: 'wiregram examples', homeHref: 'index.html', footer }));
  written.push(join(outDir, `${stem}.html`));

  if (pdf) {
    const good = data.blocks.filter((b) => b.ok);
    if (good.length > 0) {
      try {
        // Each block keeps its own fence options (style=…, label-style=…) on its page.
        const scenes = good.map((b) => layout.layoutSource(b.source, { ...b.options, language: b.language }));
        writeAtomic(join(outDir, `${stem}.pdf`), pdf.scenesToPdf(scenes, { pageSize: 'a4', title: true, info: { title } }));
        entry.pdf = `${stem}.pdf`;
        written.push(join(outDir, `${stem}.pdf`));
        if (stem === 'lecture-deck') {
          writeAtomic(join(outDir, `${stem}.deck.pdf`), pdf.scenesToPdf(scenes, { pageSize: '16:9', steps: true, title: true, info: { title } }));
          entry.deck = `${stem}.deck.pdf`;
          written.push(join(outDir, `${stem}.deck.pdf`));
        }
      } catch (error) {
        console.log(`${relative(root, path)}: PDF not written (${error instanceof Error ? error.message : error})`);
      }
    }
  }
  pages.push(entry);
}

const cards = pages
  .map((p) => {
    const links = [`<a href="${escapeHtml(p.stem)}.html">HTML</a>`];
    if (p.pdf) links.push(`<a href="${escapeHtml(p.pdf)}">PDF</a>`);
    if (p.deck) links.push(`<a href="${escapeHtml(p.deck)}">slides (PDF, step by step)</a>`);
    const status = `${p.diagrams} diagram${p.diagrams === 1 ? '' : 's'}${p.errors ? `, <strong>${p.errors} broken</strong>` : ''}`;
    return `<li><a href="${escapeHtml(p.stem)}.html"><strong>${escapeHtml(p.title)}</strong></a><br><span class="meta">${status} · ${links.join(' · ')}</span></li>`;
  })
  .join('\n');
const indexBody = `<h1>wiregram examples</h1>
<p>Every page below is a Markdown file in <code>examples/</code>, rendered by <code>remark-wiregram</code>: the diagrams are inline SVG computed from <code>tcp-sequence</code> and <code>packet-header</code> blocks. Use the toggle (top right) or your system setting to see the dark theme.</p>
<ul class="cards">
${cards}
</ul>`;
writeAtomic(join(outDir, 'index.html'), page({ title: 'wiregram examples', body: indexBody, siteTitle: 'wiregram examples', homeHref: 'index.html' }));
written.push(join(outDir, 'index.html'));

console.log(`\nwrote ${written.length} files:`);
for (const path of written) console.log(`  ${relative(root, path).padEnd(44)} ${String(statSync(path).size).padStart(9)} bytes`);
const diagrams = pages.reduce((n, p) => n + p.diagrams, 0);
console.log(`\n${pages.length} pages, ${diagrams} diagrams, ${failures} broken. Open examples/out/index.html in a browser.`);
if (failures > 0) process.exitCode = 1;
