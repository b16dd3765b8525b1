// Shared by scripts/demo.mjs and scripts/build-docs.mjs: Markdown → a standalone HTML page through our own
// remark plugin (the built package, as a user would run it), with a light/dark toggle and a strict CSP.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Import a built workspace package (dist/), with a clear message when `pnpm build` has not run. */
export async function importBuilt(relative) {
  const url = new URL(`../packages/${relative}`, import.meta.url);
  try {
    return await import(url.href);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot load packages/${relative} (${reason}); run \`npx -y pnpm@10 build\` first`);
  }
}

/** Write a page or PDF through a temporary file and a rename: a reader (or a crashed build) never sees half a file. */
export function writeAtomic(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** The unified pipeline every page goes through. No allowDangerousHtml: diagrams are hast, raw HTML is dropped. */
export function processor(remarkWiregram, wiregramOptions, extra = {}) {
  const p = unified().use(remarkParse).use(remarkGfm);
  // `extra.before`: plugins that must see the fenced blocks before remark-wiregram turns them into diagrams.
  if (extra.before) for (const plugin of extra.before) p.use(plugin);
  p.use(remarkWiregram, wiregramOptions);
  if (extra.remark) for (const plugin of extra.remark) p.use(plugin);
  return p.use(remarkRehype).use(rehypeStringify);
}

/** First `# heading` of a Markdown text, for the page title. */
export function firstHeading(markdown, fallback) {
  const m = /^#\s+(.+)$/m.exec(markdown);
  return m ? m[1].replace(/[`*]/g, '').trim() : fallback;
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// Theme: an explicit choice in localStorage wins, otherwise the system preference (followed live). The class on
// <html> is the `darkClass` the diagrams were rendered with, so page and diagrams switch together.
const THEME_SCRIPT = `(function(){var d=document.documentElement,k='wiregram-theme',m=window.matchMedia('(prefers-color-scheme: dark)');
function saved(){try{return localStorage.getItem(k)}catch(e){return null}}
function apply(){var s=saved();var dark=s?s==='dark':m.matches;d.classList.toggle('dark',dark);var b=document.getElementById('theme-toggle');if(b){b.textContent=dark?'Light mode':'Dark mode';b.setAttribute('aria-pressed',String(dark))}}
apply();if(m.addEventListener)m.addEventListener('change',apply);
document.addEventListener('DOMContentLoaded',function(){apply();var b=document.getElementById('theme-toggle');if(b)b.addEventListener('click',function(){var dark=!d.classList.contains('dark');try{localStorage.setItem(k,dark?'dark':'light')}catch(e){}d.classList.toggle('dark',dark);apply()})});})();`;

const CSS = `:root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--code-bg:#f6f8fa;--link:#0969da;color-scheme:light}
:root.dark{--bg:#15191e;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;--code-bg:#1e242b;--link:#4493f8;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif}
header.site{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.6rem 1.5rem;border-bottom:1px solid var(--border)}
header.site a{color:var(--fg);text-decoration:none;font-weight:600}
#theme-toggle{font:inherit;font-size:.85rem;padding:.25rem .7rem;border:1px solid var(--border);border-radius:6px;background:var(--code-bg);color:var(--fg);cursor:pointer}
.layout{display:flex;max-width:72rem;margin:0 auto}
nav.side{flex:0 0 14rem;padding:1.5rem 1rem;border-right:1px solid var(--border);font-size:.92rem}
nav.side ul{list-style:none;padding:0;margin:0}nav.side li{margin:.25rem 0}
nav.side a{color:var(--muted);text-decoration:none}nav.side a[aria-current]{color:var(--fg);font-weight:600}
main{flex:1;min-width:0;padding:1.5rem 2rem 4rem;max-width:52rem;margin:0 auto}
a{color:var(--link)}
code{font:.9em/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace;background:var(--code-bg);padding:.1em .3em;border-radius:4px}
pre{background:var(--code-bg);border:1px solid var(--border);border-radius:6px;padding:.8rem 1rem;overflow:auto}
pre code{background:none;padding:0}
table{border-collapse:collapse;margin:1rem 0;display:block;overflow:auto}
th,td{border:1px solid var(--border);padding:.35rem .7rem;text-align:left;vertical-align:top}
blockquote{margin:1rem 0;padding:0 1rem;color:var(--muted);border-left:.25rem solid var(--border)}
figure.wiregram{margin:1.5rem 0;text-align:center}
figure.wiregram>svg{max-width:100%;height:auto}
figure.wiregram figcaption{color:var(--muted);font-size:.9rem;margin-top:.4rem}
figure.wiregram pre.wiregram-source{text-align:left;margin-bottom:.6rem}
ul.cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem}
ul.cards li{border:1px solid var(--border);border-radius:8px;padding:.8rem 1rem}
ul.cards .meta{color:var(--muted);font-size:.85rem}
@media (max-width:50rem){.layout{display:block}nav.side{border-right:0;border-bottom:1px solid var(--border)}main{padding:1rem}}`;

const sha256 = (text) => createHash('sha256').update(text).digest('base64');

/** A whole HTML document. `body` is trusted HTML from the pipeline; every other string is escaped here. */
export function page({ title, body, siteTitle, homeHref, nav = [], current = null, footer = '' }) {
  const navHtml = nav.length
    ? `<nav class="side" aria-label="Pages"><ul>${nav
        .map((item) => `<li><a href="${escapeHtml(item.href)}"${item.href === current ? ' aria-current="page"' : ''}>${escapeHtml(item.title)}</a></li>`)
        .join('')}</ul></nav>`
    : '';
  // CSP: no network, no foreign script — only this page's own theme script (by hash) and inline styles
  // (the page stylesheet rides in the first diagram's SVG).
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'sha256-${sha256(THEME_SCRIPT)}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}${siteTitle && siteTitle !== title ? ` · ${escapeHtml(siteTitle)}` : ''}</title>
<style>${CSS}</style>
<script>${THEME_SCRIPT}</script>
</head>
<body>
<header class="site"><a href="${escapeHtml(homeHref)}">${escapeHtml(siteTitle)}</a><button id="theme-toggle" type="button" aria-pressed="false">Dark mode</button></header>
<div class="layout">${navHtml}<main>
${body}
${footer}</main></div>
</body>
</html>
`;
}

/** `file:line:col: reason [ruleId]` for each vfile message, as a build log shows them. */
export function formatMessages(file, displayPath) {
  return file.messages.map((m) => {
    const where = m.place && 'start' in m.place ? `${m.place.start.line}:${m.place.start.column}` : m.line ? `${m.line}:${m.column}` : '';
    const level = m.fatal === false ? 'warning' : m.fatal ? 'error' : 'info';
    return `${displayPath}${where ? ':' + where : ''}: ${level} ${m.reason}${m.ruleId ? ` [${m.ruleId}]` : ''}${m.note ? `\n    hint: ${m.note}` : ''}`;
  });
}
