/**
 * Markup of a fenced block that the real builds in test/static-sites.test.ts (Hugo, Jekyll, Hexo, MkDocs) do
 * not print by default but users' set-ups do — the other shapes @wiregram/browser's run() must find:
 *
 * - markdown-it and marked: `<pre><code class="language-LANG">`;
 * - Jekyll (kramdown + Rouge) when a Rouge lexer answers to the name: the `highlighter-rouge` wrapper;
 * - MkDocs: pymdownx.superfences' `fence_div_format`, and pymdownx.highlight (Pygments) without a custom fence.
 */
export type Shape = 'markdown-it' | 'jekyll' | 'mkdocs-div-fence' | 'mkdocs-highlight';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The block's markup in `shape`; `source` without its trailing newline. */
export function shapeBlock(shape: Shape, language: string, source: string): string {
  const e = escapeHtml(source);
  switch (shape) {
    case 'markdown-it':
      return `<pre><code class="language-${language}">${e}\n</code></pre>\n`;
    case 'jekyll':
      return `<div class="language-${language} highlighter-rouge"><div class="highlight"><pre class="highlight"><code>${e}\n</code></pre></div></div>\n`;
    case 'mkdocs-div-fence':
      return `<div class="${language}">${e}</div>`;
    case 'mkdocs-highlight':
      return `<div class="language-${language} highlight"><pre><span></span><code>${e}\n</code></pre></div>`;
  }
}

/** A whole page: a heading, prose, the blocks, an ordinary code block that must stay as it is, the script. */
export function shapePage(shape: Shape, blocks: Array<{ language: string; source: string }>, script: string, head = ''): string {
  const body = blocks.map((b, i) => `<h2>Figure ${i + 1}</h2>\n<p>Some prose before the diagram.</p>\n${shapeBlock(shape, b.language, b.source)}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${shape}</title>${head}</head><body><main>
<h1>${shape}</h1>
${body}
<pre><code class="language-js">console.log("an ordinary code block")</code></pre>
</main>
${script}
</body></html>`;
}
