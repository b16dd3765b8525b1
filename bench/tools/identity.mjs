// Byte-identity check: every diagram block of examples/, docs/ and test/ Markdown files,
// the seed scenarios, and synthetic blocks, rendered by this checkout and by another built checkout under
// several option sets; then every Markdown file through both plugins. Usage: node bench/tools/identity.mjs <other built checkout, e.g. /work/main>
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
const here = resolve(new URL('../..', import.meta.url).pathname);
const other = resolve(process.argv[2] ?? '/work/main');
const load = async (root, pkg) => import(pathToFileURL(join(root, 'packages', pkg, 'dist', 'index.js')).href);
const A = { svg: await load(here, 'svg'), mdit: (await load(here, 'markdown-it-wiregram')).default, remark: (await load(here, 'remark-wiregram')).default };
const B = { svg: await load(other, 'svg'), mdit: (await load(other, 'markdown-it-wiregram')).default, remark: (await load(other, 'remark-wiregram')).default };
const files = [];
const walk = (d) => { for (const n of readdirSync(d)) { if (n === 'node_modules' || n.startsWith('.')) continue; const p = join(d, n); const s = statSync(p); if (s.isDirectory()) walk(p); else if (n.endsWith('.md')) files.push(p); } };
for (const d of ['examples', 'docs', 'test', ...readdirSync(join(here, 'packages')).map((p) => join('packages', p, 'test'))]) { try { walk(join(here, d)); } catch {} }
const blocks = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  for (const m of text.matchAll(/```(tcp-sequence|packet-header)[^\n]*\n([\s\S]*?)\n```/g)) blocks.push([m[1], m[2], f]);
}
const seeds = readFileSync(join(here, 'test/support/seeds.ts'), 'utf8');
for (const m of seeds.matchAll(/export const (\w+) = `([\s\S]*?)`;/g)) blocks.push(['tcp-sequence', m[2], 'seeds:' + m[1]]);
blocks.push(['tcp-sequence', 'participant a\nparticipant b\nparticipant c\na -> b: SYN\nb -> a: SYN, ACK\na -> c: SYN\nc -> a: RST\nnote over a, b: hello\n== split ==\na -> b: ACK\nb -x a: FIN', 'synthetic']);
const sets = [{}, { theme: 'dark' }, { theme: 'light', styles: 'page' }, { style: 'lifeline' }, { style: 'flow' }, { labelStyle: 'wireshark' }, { numbering: 'relative' }, { steps: true }, { direction: 'reverse' }, { styles: 'resolved', fontSize: 14 }, { idPrefix: 'x-', title: false }, { style: 'lifeline', steps: true, labelStyle: 'wireshark' }];
let same = 0, diff = 0, errSame = 0;
for (const [language, src, where] of blocks) {
  for (const o of sets) {
    let a, b;
    try { a = A.svg.renderSvg(src, { ...o, language }); } catch (e) { a = 'ERR ' + e.message; }
    try { b = B.svg.renderSvg(src, { ...o, language }); } catch (e) { b = 'ERR ' + e.message; }
    if (a === b) { if (a.startsWith('ERR')) errSame++; else same++; } else { diff++; if (diff <= 5) console.log('DIFF', where, JSON.stringify(o), language, '\n', a.slice(0, 300), '\n', b.slice(0, 300)); }
  }
}
console.log(`blocks ${blocks.length} × ${sets.length} option sets: ${same} identical, ${errSame} identical errors, ${diff} different`);
let pages = 0, pdiff = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  for (const opts of [{}, { styles: 'inline', theme: 'dark' }, { vue: true, labelStyle: 'wireshark', log: false }]) {
    const o = { log: false, ...opts };
    const ma = new MarkdownIt().use(A.mdit, o).render(text, { path: f });
    const mb = new MarkdownIt().use(B.mdit, o).render(text, { path: f });
    const { vue: _v, ...ro } = o;
    const ra = String(unified().use(remarkParse).use(A.remark, ro).use(remarkRehype).use(rehypeStringify).processSync({ value: text, path: f }));
    const rb = String(unified().use(remarkParse).use(B.remark, ro).use(remarkRehype).use(rehypeStringify).processSync({ value: text, path: f }));
    pages += 2;
    if (ma !== mb) { pdiff++; console.log('PAGE DIFF markdown-it', f, JSON.stringify(opts)); }
    if (ra !== rb) { pdiff++; console.log('PAGE DIFF remark', f, JSON.stringify(opts)); }
  }
}
console.log(`pages ${pages} (${files.length} files × 3 option sets × 2 plugins): ${pages - pdiff} identical, ${pdiff} different`);
process.exit(diff || pdiff ? 1 : 0);
