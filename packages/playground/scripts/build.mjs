#!/usr/bin/env node
// The playground page, from the built packages (run after `tsc -b`): index.html with the gallery of examples/
// inlined, playground.js (the editor; the renderer and the PDF export load as chunks after it), worker.js (pcap
// reading off the main thread) and the built-in font for the PDF. scripts/build-docs.mjs writes it to
// docs/out/playground/; `node scripts/build.mjs DIR` writes it anywhere.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import LZString from 'lz-string';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);

/** The fragment the page restores its state from (src/share.ts reads the same shape). */
export function playgroundHash(text, language = 'tcp-sequence', theme = 'light') {
  return '#v1=' + LZString.compressToEncodedURIComponent(JSON.stringify({ l: language, t: text, m: theme }));
}

const FENCE = /^(`{3,}|~{3,})[ \t]*(tcp-sequence|packet-header)\b[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;

/** Every diagram block of examples/*.md, with a name for the gallery. */
export function galleryEntries(dir = join(root, 'examples')) {
  const out = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
    const md = readFileSync(join(dir, name), 'utf8');
    const heading = /^#\s+(.+)$/m.exec(md)?.[1]?.replace(/[`*]/g, '').trim() ?? name;
    let n = 0;
    for (const m of md.matchAll(FENCE)) {
      const source = m[3];
      const title = /^\s*title\s+(.+)$/m.exec(source)?.[1]?.trim();
      n++;
      out.push({ file: `${name.replace(/\.md$/, '')}${n > 1 ? ` #${n}` : ''}`, title: title ?? heading, language: m[2], source });
    }
  }
  return out;
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function html(gallery, docsHref, preload = []) {
  // JSON inside <script>: `<` escaped so no example text can close the element.
  const data = JSON.stringify(gallery).replace(/</g, '\\u003c');
  const select = (id, label, options) =>
    `<label for="${id}">${label}</label><select id="${id}">${options.map(([v, t]) => `<option value="${v}">${escapeHtml(t)}</option>`).join('')}</select>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wiregram playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="playground.css">
<script type="module" src="playground.js"></script>
${preload.map((c) => `<link rel="modulepreload" href="${escapeHtml(c)}">`).join('\n')}
</head>
<body>
<a class="skip" href="#editor">Skip to the editor</a>
<header>
<h1>wiregram playground</h1>
<nav aria-label="Site"><a href="${escapeHtml(docsHref)}">Docs</a></nav>
</header>
<form class="toolbar" aria-label="Diagram settings" onsubmit="return false">
<div>${select('language', 'Language', [['tcp-sequence', 'tcp-sequence'], ['packet-header', 'packet-header']])}</div>
<div>${select('opt-layout', 'Style', [['states', 'states'], ['lifeline', 'lifeline'], ['flow', 'flow'], ['stevens', 'graph: Stevens'], ['tcptrace', 'graph: tcptrace'], ['throughput', 'graph: throughput'], ['rtt', 'graph: RTT'], ['window', 'graph: window']])}</div>
<div>${select('opt-labels', 'Labels', [['textbook', 'textbook'], ['flags', 'flags'], ['wireshark', 'wireshark']])}</div>
<div>${select('opt-states', 'State names', [['underscore', 'SYN_SENT'], ['hyphen', 'SYN-SENT']])}</div>
<div>${select('theme', 'Theme', [['light', 'light'], ['dark', 'dark']])}</div>
<div><label for="gallery">Examples</label><select id="gallery"><option value="">Open an example…</option></select></div>
</form>
<main>
<section class="pane" aria-labelledby="editor-heading">
<h2 id="editor-heading">Source</h2>
<p id="editor-help" class="help">Ctrl+Space completes keywords, participants and flags. Tab indents; press Esc then Tab to leave the editor.</p>
<div id="editor"></div>
<div class="problems" hidden><h3>Problems</h3><ul id="status" aria-live="polite"></ul></div>
</section>
<section class="pane" aria-labelledby="preview-heading">
<h2 id="preview-heading">Diagram</h2>
<p id="stale-note" class="help" hidden>The text has an error: this is the last picture that could be drawn.</p>
<div id="preview"></div>
<div class="actions" role="group" aria-label="Share and export">
<button type="button" id="copy-link">Copy link</button>
<button type="button" id="export-svg">Download SVG</button>
<button type="button" id="export-png">Download PNG</button>
<button type="button" id="export-pdf">Download PDF</button>
<button type="button" id="copy-markdown">Copy Markdown</button>
</div>
<div class="copy-box" hidden><label for="copy-out">Copy this</label><textarea id="copy-out" readonly rows="3"></textarea></div>
<p id="announce" role="status" aria-live="polite"></p>
</section>
</main>
<section id="drop-zone" aria-labelledby="capture-heading">
<h2 id="capture-heading">From a capture</h2>
<p>Drop a pcap or pcapng file anywhere on the page, or <label for="capture-file">pick one:</label> <input type="file" id="capture-file" accept=".pcap,.pcapng,.cap,application/vnd.tcpdump.pcap"> — it is read here, in your browser, and never uploaded.</p>
<progress id="capture-progress" hidden aria-label="Reading the capture"></progress>
<p id="capture-state" role="status" aria-live="polite"></p>
<div id="streams"></div>
</section>
<script type="application/json" id="wg-gallery-data">${data}</script>
</body>
</html>
`;
}

const CSS = `:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--panel:#f6f8fa;--link:#0969da;--focus:#0969da;--err:#cf222e;--warn:#9a6700;color-scheme:light}
:root[data-theme=dark]{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;--panel:#161b22;--link:#4493f8;--focus:#4493f8;--err:#ff7b72;--warn:#d29922;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--link)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:10}
header{display:flex;align-items:baseline;gap:16px;padding:8px 16px;border-bottom:1px solid var(--border)}
h1{font-size:20px;margin:0}h2{font-size:15px;margin:0 0 6px}h3{font-size:14px;margin:8px 0 4px}
.toolbar{display:flex;flex-wrap:wrap;gap:12px;padding:8px 16px;border-bottom:1px solid var(--border);background:var(--panel)}
.toolbar div{display:flex;flex-direction:column;font-size:13px}
select,button,input,textarea{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--border);border-radius:6px;padding:3px 8px}
button{cursor:pointer}button:hover{border-color:var(--link)}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
main{display:grid;grid-template-columns:minmax(320px,1fr) minmax(320px,1.2fr);gap:16px;padding:12px 16px}
@media (max-width:800px){main{grid-template-columns:1fr}}
.pane{min-width:0}
.help{margin:0 0 6px;color:var(--muted);font-size:13px}
#editor .cm-editor{border:1px solid var(--border);border-radius:6px;height:min(60vh,560px)}
#editor .cm-editor.cm-focused{outline:2px solid var(--focus)}
.problems ul{margin:0;padding-left:18px;font-size:13px}.problems li.error{color:var(--err)}.problems li.warning{color:var(--warn)}
.problems .expected,.problems .hint{color:var(--fg)}
#preview{border:1px solid var(--border);border-radius:6px;padding:8px;min-height:200px;overflow:auto;background:var(--bg)}
#preview svg{max-width:100%;height:auto;display:block;margin:auto}
#preview.stale{opacity:.45}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.copy-box textarea{width:100%}
#drop-zone{margin:0 16px 16px;padding:12px 16px;border:2px dashed var(--border);border-radius:8px}
#drop-zone.over{border-color:var(--link);background:var(--panel)}
table{border-collapse:collapse;font-size:13px;margin-top:6px}th,td{border:1px solid var(--border);padding:3px 8px;text-align:left}
caption{text-align:left;font-weight:600}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

/**
 * The renderer chunk and what it imports statically, relative to the page: preloaded while the editor starts,
 * so the first picture does not wait for a second round of requests.
 */
function rendererChunks(metafile, outDir) {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((o) => /chunks\/render-[^/]*\.js$/.test(o));
  const seen = new Set();
  const visit = (o) => {
    if (seen.has(o) || !outputs[o]) return;
    seen.add(o);
    for (const i of outputs[o].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  if (start) visit(start);
  const base = resolve(here, outDir);
  return [...seen].map((o) => relative(base, resolve(here, o)).split(sep).join('/'));
}

/** Write the playground into `outDir` (replaced whole). `docsHref`: the link back to the docs. */
export async function buildPlayground(outDir, { docsHref = '../index.html' } = {}) {
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'fonts'), { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: here,
  };
  const src = (f) => join(here, 'src', f);
  // The PDF backend's Node modules → browser stand-ins (pdfkit resolves to its own browser build). Only pdf.ts
  // reaches them; the other entries import nothing from node:.
  const shims = {
    name: 'node-shims',
    setup(b) {
      b.onResolve({ filter: /^node:(fs|module|path|crypto)$/ }, (a) => ({ path: src(`shims/${a.path.slice(5)}.ts`) }));
    },
  };
  // One split build: the page (main), its renderer and PDF chunks, and the capture worker share core/layout.
  const { metafile } = await build({
    ...common,
    metafile: true,
    entryPoints: { playground: src('main.ts'), worker: src('worker.ts') },
    splitting: true,
    outdir: tmp,
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [shims],
  });
  writeFileSync(join(tmp, 'playground.css'), CSS);
  writeFileSync(join(tmp, 'index.html'), html(galleryEntries(), docsHref, rendererChunks(metafile, tmp)));
  const { builtinFontPath } = await import(pathToFileURL(join(root, 'packages', 'pdf', 'dist', 'index.js')).href);
  for (const weight of ['normal', 'bold']) {
    const path = builtinFontPath(weight);
    copyFileSync(path, join(tmp, 'fonts', basename(path)));
  }
  // The Latin cut (Latin-only faces are embedded from it) and its original names, as @wiregram/pdf reads them.
  for (const file of ['WiregramLatinCut-Regular.otf', 'WiregramLatinCut-Bold.otf', 'names.json']) {
    copyFileSync(join(root, 'packages', 'pdf', 'fonts', file), join(tmp, 'fonts', file));
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(tmp, outDir);
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(root, 'docs', 'out', 'playground'));
  await buildPlayground(out);
  console.log(`wrote ${out}/index.html`);
}
