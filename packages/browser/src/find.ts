/**
 * Where the fenced blocks are on a page built by a static-site tool. Each tool prints a fence its highlighter
 * does not know in its own shape, and a diagram must replace the whole shape (wrappers included), not only
 * the `<code>` inside it:
 *
 * | tool | markup |
 * | --- | --- |
 * | markdown-it, marked, Python-Markdown, Hexo without highlighting | `pre > code.language-X` (`code.lang-X`, `code.X`) |
 * | Hugo 0.111 (Goldmark; Chroma leaves a language it does not know alone) | `pre > code.language-X[data-lang=X]` |
 * | Hugo with a Chroma alias for X | `div.highlight > pre.chroma > code.language-X[data-lang=X]` |
 * | Jekyll 4.3 (kramdown + Rouge), a language Rouge does not know | `pre > code.language-X` |
 * | Jekyll, a language a Rouge lexer answers to | `div.language-X.highlighter-rouge > div.highlight > pre.highlight > code` |
 * | Hexo, `highlight.exclude_languages: [X]` | `pre > code.highlight.X` |
 * | Hexo, `highlight.language_attr: true` | `figure.highlight[data-language=X] > table … td.code > pre > span.line…` |
 * | MkDocs, pymdownx.superfences custom fence | `pre.X > code` (`fence_code_format`) or `div.X` (`fence_div_format`) |
 * | MkDocs, pymdownx.highlight | `div.language-X.highlight > pre > code` |
 */
import { DIAGRAM_LANGUAGES, type DiagramLanguage } from '@wiregram/core';

export interface FoundBlock {
  /** The outermost element of the block's markup: what the diagram replaces. */
  element: Element;
  language: DiagramLanguage;
  source: string;
}

/** Selectors that mark an element as a block of `language`, in any of the shapes above. */
export function blockSelector(language: DiagramLanguage): string {
  const l = language;
  return [`.language-${l}`, `.lang-${l}`, `pre.${l}`, `code.${l}`, `div.${l}`, `figure.${l}`, `[data-lang="${l}"]`, `[data-language="${l}"]`].join(',');
}

// Highlighter wrappers a block may sit in; the diagram replaces them too when they hold nothing else.
const WRAPPER_CLASSES = ['highlight', 'highlighter-rouge', 'chroma', 'codehilite', 'code-toolbar', 'sourceCode'];

function isWrapper(parent: Element, selector: string): boolean {
  if (parent === document.body || parent === document.documentElement) return false;
  const tag = parent.tagName.toLowerCase();
  const known = tag === 'pre' || parent.matches(selector) || WRAPPER_CLASSES.some((c) => parent.classList.contains(c));
  // Only when it holds this one block: a wrapper around two code blocks is page structure.
  return known && parent.querySelectorAll('pre').length <= 1 && parent.querySelectorAll('code').length <= 1;
}

/**
 * The text of a block as its author wrote it: text nodes in order, `<br>` as a line break (Hexo's wrapped
 * lines are `<span class="line">…</span><br>`), the line-number gutter of a highlighter left out.
 */
export function blockText(element: Element): string {
  const code = element.querySelector('td.code') ?? element.querySelector('code') ?? element.querySelector('pre') ?? element;
  let out = '';
  // An explicit stack (children pushed in reverse) keeps document order without recursion.
  const stack: Node[] = [];
  for (let child = code.lastChild; child; child = child.previousSibling) stack.push(child);
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === 3) out += (node as Text).data;
    else if (node.nodeType === 1) {
      const el = node as Element;
      const tag = el.tagName.toLowerCase();
      if (tag === 'br') out += '\n';
      else if (el.classList.contains('gutter') || el.classList.contains('lineno') || el.classList.contains('ln') || el.classList.contains('lnt')) continue;
      else for (let child = el.lastChild; child; child = child.previousSibling) stack.push(child);
    }
  }
  return out.replace(/\r\n?/g, '\n').replace(/\n$/, '');
}

/** Every diagram block under `root`, outermost wrappers resolved, each once, in document order. */
export function findBlocks(root: ParentNode, languages: readonly DiagramLanguage[] = DIAGRAM_LANGUAGES): FoundBlock[] {
  const found = new Map<Element, DiagramLanguage>();
  for (const language of languages) {
    const selector = blockSelector(language);
    for (const match of Array.from(root.querySelectorAll(selector))) {
      // Already drawn, or inside a <wire-gram> (which draws itself).
      if (match.closest('wire-gram, .wiregram, svg')) continue;
      let top = match;
      while (top.parentElement && isWrapper(top.parentElement, selector)) top = top.parentElement;
      if (!found.has(top)) found.set(top, language);
    }
  }
  // One block nested in another block's element (never in real markup, but a selector list can overlap): keep the
  // outer. Looked up along each block's ancestors (a few), not against every other block.
  const nested = (el: Element): boolean => {
    for (let up = el.parentElement; up; up = up.parentElement) if (found.has(up)) return true;
    return false;
  };
  const tops = [...found.keys()].filter((el) => !nested(el));
  tops.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));
  return tops.map((element) => ({ element, language: found.get(element)!, source: blockText(element) }));
}
