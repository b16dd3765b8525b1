/**
 * Keeps wiregram fences away from the template engine Eleventy runs over Markdown first (Liquid by default,
 * Nunjucks if configured): `{{ x }}` in a label would be evaluated (and vanish), an unmatched `{% raw %}` would
 * fail the build. Before the engine runs, each diagram fence is replaced by a placeholder fence with the same
 * number of lines (`wiregram-stash <key>`, then lines holding only their list/blockquote prefix), so markdown-it's
 * line map stays where it was; the fence rule puts the original info string and body back.
 *
 * Fences are found by a markdown-it parse (the site's own instance when Eleventy has made it), not by line
 * patterns: fences in list items and blockquotes, indented and `~~~` fences are found exactly as markdown-it
 * will read them, and a fence-looking line inside another fence or an HTML block is not one.
 */
import { createHash } from 'node:crypto';
import MarkdownIt from 'markdown-it';
import { fenceLanguage } from 'markdown-it-wiregram';

export const STASH_LANGUAGE = 'wiregram-stash';

export interface StashedFence {
  /** The info string as markdown-it reads it (after the fence characters, trimmed). */
  info: string;
  /** The body as markdown-it reads it (container prefixes and fence indentation removed), ending in a line break. */
  content: string;
}

/** What the stash needs of a markdown-it token. */
interface FenceTokenLike {
  type: string;
  info: string;
  content: string;
  markup: string;
  map: [number, number] | null;
}

/** A markdown-it parse of a page's text (Eleventy's instance, with the site's plugins). */
export type MarkdownParse = (src: string) => FenceTokenLike[];

/**
 * Bounded: `eleventy --serve` preprocesses every edit again; entries are content-addressed, so the oldest can go
 * (the build that stashed them has rendered by the time a thousand newer fences were seen).
 */
const LIMIT = 5000;

// A placeholder opening line: any container prefix, the fence characters, the key.
const PLACEHOLDER = new RegExp(`(?:\`{3,}|~{3,})${STASH_LANGUAGE} ([0-9a-f]{16})[ \\t]*\\r?$`);

let defaultParser: InstanceType<typeof MarkdownIt> | null = null;
/** markdown-it as Eleventy 3 sets it up by default (`html: true`), for a stash used before the site's exists. */
function defaultParse(src: string): FenceTokenLike[] {
  defaultParser ??= new MarkdownIt({ html: true });
  return defaultParser.parse(src, {});
}

interface Entry extends StashedFence {
  /** The fence's lines as written (container prefixes included), for `restore`. */
  lines: string[];
}

export class FenceStash {
  readonly #fences = new Map<string, Entry>();

  /**
   * `content` with every wiregram fence swapped for a placeholder, or null when it has none. `parse`: the
   * markdown-it that will render the page (its plugins can change what a fence is); markdown-it's defaults else.
   */
  protect(content: string, parse: MarkdownParse = defaultParse): string | null {
    // Cheap test first: most pages have no diagram, and the parse is the costly part.
    if (!content.includes('tcp-sequence') && !content.includes('packet-header')) return null;
    let tokens: FenceTokenLike[];
    try {
      tokens = parse(content);
    } catch {
      // A site plugin that wants more than an empty env (page data) in its parse: markdown-it's defaults then.
      tokens = defaultParse(content);
    }
    const fences = tokens.filter((t) => t.type === 'fence' && t.map && fenceLanguage(t.info));
    if (!fences.length) return null;
    const lines = content.split('\n');
    for (const token of fences) {
      const start = token.map![0];
      const body = token.content ? token.content.replace(/\n$/, '').split('\n') : [];
      const opening = lines[start];
      const marker = opening?.indexOf(token.markup) ?? -1;
      if (opening === undefined || marker === -1 || start + body.length >= lines.length) continue;
      const cr = opening.endsWith('\r') ? '\r' : '';
      const raw = lines.slice(start, start + 1 + body.length);
      const key = this.#keep({ info: token.info.trim(), content: token.content, lines: raw });
      lines[start] = `${opening.slice(0, marker + token.markup.length)}${STASH_LANGUAGE} ${key}${cr}`;
      body.forEach((text, k) => {
        const line = lines[start + 1 + k]!;
        lines[start + 1 + k] = containerPrefix(line, text);
      });
    }
    return lines.join('\n');
  }

  /** The fence a placeholder info string stands for, or null (not a placeholder, or unknown key). */
  lookup(info: string): StashedFence | null {
    const m = /^wiregram-stash ([0-9a-f]{16})$/.exec(info.trim());
    const entry = m ? this.#fences.get(m[1]!) : undefined;
    return entry ? { info: entry.info, content: entry.content } : null;
  }

  /** A text with placeholders put back (same lines): what the author wrote, for code frames and positions. */
  restore(text: string): string {
    if (!text.includes(STASH_LANGUAGE)) return text;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = PLACEHOLDER.exec(lines[i]!);
      const entry = m ? this.#fences.get(m[1]!) : undefined;
      if (!entry) continue;
      // Same line count by construction; lines past the end (a truncated text) are not added.
      for (let k = 0; k < entry.lines.length && i + k < lines.length; k++) lines[i + k] = entry.lines[k]!;
      i += entry.lines.length - 1;
    }
    return lines.join('\n');
  }

  #keep(entry: Entry): string {
    const key = createHash('sha256').update(entry.lines.join('\n')).digest('hex').slice(0, 16);
    if (!this.#fences.has(key)) {
      if (this.#fences.size >= LIMIT) this.#fences.delete(this.#fences.keys().next().value!);
      this.#fences.set(key, entry);
    }
    return key;
  }
}

/**
 * What is left of a fence's body line once its text goes: the list indentation and blockquote markers around
 * it, so the placeholder fence stays inside its list item or quote. `text` is the line as markdown-it read it.
 */
function containerPrefix(line: string, text: string): string {
  const cr = line.endsWith('\r') ? '\r' : '';
  const bare = cr ? line.slice(0, -1) : line;
  // markdown-it's text is the line's end, unless a tab was split into spaces; then keep only what a prefix holds.
  const prefix = text && bare.endsWith(text) ? bare.slice(0, bare.length - text.length) : (/^[ \t>]*/.exec(bare)?.[0] ?? '');
  return prefix.trimEnd() + cr;
}
