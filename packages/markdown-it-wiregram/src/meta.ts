/**
 * (Same grammar as remark-wiregram's meta.ts; kept in sync by test/markdown-it.test.ts comparing both.)
 *
 * The fence's meta (info string after the language): a caption and per-block options.
 *
 *   ```tcp-sequence title="Three-way handshake" style=lifeline label-style=flags
 *   ```packet-header TCP header, as RFC 9293 draws it
 *
 * `title=`/`caption=` name the figure; known option keys override the plugin's options for this block; whatever
 * is left over (words that are not `key=value`) becomes the caption when no title was given.
 */

export interface BlockMeta {
  caption: string | null;
  /** Renderer options set on this block, keys already in camelCase. */
  options: Record<string, string>;
  /** `source` flag: show the block's source above the diagram (used by the docs). */
  showSource: boolean;
  /** Keys that were not understood, for a warning. */
  unknown: string[];
}

/**
 * (Same grammar as remark-wiregram's meta.ts; kept in sync by test/markdown-it.test.ts comparing both.)
 * Meta keys → renderer option names. Values are passed as strings; the renderer validates them. */
const OPTION_KEYS: Record<string, string> = {
  style: 'style',
  layout: 'style',
  'label-style': 'labelStyle',
  labelstyle: 'labelStyle',
  labels: 'labelStyle',
  'state-names': 'stateNames',
  statenames: 'stateNames',
  numbering: 'numbering',
  theme: 'theme',
};

const TOKEN = /([A-Za-z][\w-]*)=(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+))|(\S+)/g;

export function parseMeta(meta: string | null | undefined): BlockMeta {
  const result: BlockMeta = { caption: null, options: {}, showSource: false, unknown: [] };
  let text = (meta ?? '').trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (!text) return result;
  const words: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const key = m[1].toLowerCase();
      const value = (m[2] ?? m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1');
      if (key === 'title' || key === 'caption') result.caption = value;
      else if (OPTION_KEYS[key]) result.options[OPTION_KEYS[key]!] = value;
      else result.unknown.push(m[1]);
    } else if (m[5] === 'source' || m[5] === 'show-source') {
      result.showSource = true;
    } else if (m[5] !== undefined) {
      words.push(m[5]);
    }
  }
  if (result.caption === null && words.length > 0) result.caption = words.join(' ');
  return result;
}
