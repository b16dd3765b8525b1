/**
 * A fenced block as each static-site tool prints it when its highlighter does not know the language — the
 * markup @wiregram/browser's run() must find. Taken from each tool's own output code (Hugo's is checked
 * against a real Hugo build in test/static-sites.test.ts):
 *
 * - Jekyll (kramdown + Rouge) when a Rouge lexer answers to the name (a language Rouge does not know comes out as
 *   plain `pre > code.language-X`, which a real Jekyll build in test/static-sites.test.ts checks);
 * - Hexo's highlight.js filter (hexo-util `highlight`): with `exclude_languages` it only wraps
 *   `<pre><code class="highlight LANG">`, with `language_attr: true` it keeps the table layout with a gutter and
 *   `data-language` (without either, an unknown language is printed as `plaintext` and cannot be found);
 * - MkDocs: pymdownx.superfences' `fence_code_format` / `fence_div_format`, and pymdownx.highlight (Pygments);
 * - markdown-it and marked: `<pre><code class="language-LANG">`.
 */
export type Shape =
  | 'markdown-it'
  | 'jekyll'
  | 'hexo-exclude'
  | 'hexo-language-attr'
  | 'mkdocs-custom-fence'
  | 'mkdocs-div-fence'
  | 'mkdocs-highlight'
  | 'wire-gram';

export const SHAPES: readonly Shape[] = ['markdown-it', 'jekyll', 'hexo-exclude', 'hexo-language-attr', 'mkdocs-custom-fence', 'mkdocs-div-fence', 'mkdocs-highlight', 'wire-gram'];

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
    case 'hexo-exclude':
      return `<pre><code class="highlight ${language}">${e}</code></pre>`;
    case 'hexo-language-attr': {
      const lines = e.split('\n');
      const gutter = lines.map((_, i) => `<span class="line">${i + 1}</span><br>`).join('');
      const code = lines.map((l) => `<span class="line">${l}</span><br>`).join('');
      return `<figure class="highlight plaintext" data-language="${language}"><table><tr><td class="gutter"><pre>${gutter}</pre></td><td class="code"><pre>${code}</pre></td></tr></table></figure>`;
    }
    case 'mkdocs-custom-fence':
      return `<pre class="${language}"><code>${e}</code></pre>`;
    case 'mkdocs-div-fence':
      return `<div class="${language}">${e}</div>`;
    case 'mkdocs-highlight':
      return `<div class="language-${language} highlight"><pre><span></span><code>${e}\n</code></pre></div>`;
    case 'wire-gram':
      return `<wire-gram${language === 'packet-header' ? ' language="packet-header"' : ''}>\n${e}\n</wire-gram>`;
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
