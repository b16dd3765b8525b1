/**
 * The fence's info string after the language: one author-facing grammar, read the same way by every host
 * (remark-wiregram, markdown-it-wiregram, the CLI), so a page renders alike wherever it is built.
 *
 *   ```tcp-sequence title="Three-way handshake" style=lifeline label-style=flags source
 *   ```packet-header TCP header, as RFC 9293 draws it
 *
 * `title=`/`caption=` name the figure; known option keys override the host's options for this block; the bare
 * word `source` (or `show-source`) shows the block's source; the bare word `steps` (alone among the bare words)
 * or `steps=true` numbers the segments for step-by-step reveal on slides; other bare words become the caption
 * when no title was given. Values are checked here — an unknown value is reported and ignored rather than drawn silently
 * wrong — and so are keys wiregram does not know (except the ones other tools put there).
 */
import { suggest } from './sequence/parser.js';

/** The values each per-block option takes (renderer option names). */
export const FENCE_META_VALUES = {
  style: ['states', 'lifeline', 'flow', 'stevens', 'tcptrace', 'throughput', 'rtt', 'window'],
  labelStyle: ['textbook', 'flags', 'wireshark'],
  stateNames: ['underscore', 'hyphen'],
  numbering: ['relative', 'absolute'],
  theme: ['auto', 'light', 'dark'],
} as const;

export type FenceOptionName = keyof typeof FENCE_META_VALUES;
/** Options a fence set, only valid values: `{ style?: 'states' | 'lifeline' | 'flow', … }`. */
export type FenceOptions = { -readonly [K in FenceOptionName]?: (typeof FENCE_META_VALUES)[K][number] } & {
  /**
   * Step-by-step reveal on HTML slides: each segment, its label and the state changes it causes are grouped and
   * numbered with their step (`data-wg-step`), in the order of `wiregram deck --steps`. Set by the bare word
   * `steps` (when it is the only bare word: `Three steps` stays a caption) or by `steps=true` / `steps=false`.
   */
  steps?: boolean;
};

/** A host's defaults for the options a fence may override (plugin options; a block's fence wins). */
export interface FenceOptionDefaults {
  /** Colour theme of inline SVG: `auto` follows `prefers-color-scheme` (and `darkClass`). */
  theme?: 'auto' | 'light' | 'dark';
  /** Timing-diagram layout: `states` | `lifeline` | `flow`. */
  style?: string;
  /** Segment labels: `textbook` | `flags` | `wireshark`. */
  labelStyle?: string;
  /** `underscore` (SYN_SENT) | `hyphen` (SYN-SENT). */
  stateNames?: string;
  /** `relative` | `absolute`. */
  numbering?: string;
  /** Number every timing diagram's steps for step-by-step reveal on slides (per block: the `steps` flag). */
  steps?: boolean;
}

/** A key wiregram does not know, or a known key with a value it does not take: either is ignored. */
export interface FenceMetaProblem {
  code: 'unknown-meta-option' | 'invalid-meta-value';
  /** The key as written. */
  key: string;
  value: string;
  /** Where the `key=value` token stands in the meta string (0-based), for hosts that map positions. */
  index: number;
  length: number;
  reason: string;
  expected: string;
  /** `did you mean …?` when a known key or value is close, else null. */
  hint: string | null;
}

export interface FenceMeta {
  caption: string | null;
  /** Valid options set on this block, keys in camelCase. */
  options: FenceOptions;
  /** `source` flag: show the block's source above the diagram (used by the docs). */
  showSource: boolean;
  /** Keys that were not understood, as written. */
  unknown: string[];
  /** Unknown keys and invalid values, in the order written. */
  problems: FenceMetaProblem[];
}

/** Meta keys (lower case) → option names. */
export const FENCE_META_KEYS: Readonly<Record<string, FenceOptionName>> = {
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

/** Keys other tools put in the info string (or ours spelled as key=value): not ours to judge. */
const IGNORED = new Set(['id', 'class', 'name', 'filename', 'source', 'show-source']);

const KNOWN = 'title="…", style=, label-style=, state-names=, numbering=, theme=, steps, source';

const TOKEN = /([A-Za-z][\w-]*)=(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+))|(\S+)/g;

export function parseFenceMeta(meta: string | null | undefined): FenceMeta {
  const result: FenceMeta = { caption: null, options: {}, showSource: false, unknown: [], problems: [] };
  const raw = meta ?? '';
  let start = 0;
  let end = raw.length;
  while (start < end && /\s/.test(raw[start]!)) start++;
  while (end > start && /\s/.test(raw[end - 1]!)) end--;
  // `{title="…"}` (Pandoc/MDX-style attribute braces) reads like the bare form.
  if (raw[start] === '{' && raw[end - 1] === '}' && end - start >= 2) {
    start++;
    end--;
  }
  const text = raw.slice(start, end);
  const words: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const key = m[1].toLowerCase();
      const value = (m[2] ?? m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1');
      const at = { key: m[1], value, index: start + m.index!, length: m[0].length };
      const option = FENCE_META_KEYS[key];
      if (key === 'title' || key === 'caption') {
        result.caption = value;
      } else if (key === 'steps') {
        if (value === 'true' || value === 'false') result.options.steps = value === 'true';
        else
          result.problems.push({
            code: 'invalid-meta-value',
            ...at,
            reason: `unknown ${m[1]} "${value}" in the fence's options`,
            expected: 'true, false (or the bare word steps)',
            hint: null,
          });
      } else if (option) {
        const allowed: readonly string[] = FENCE_META_VALUES[option];
        if (allowed.includes(value)) {
          (result.options as Record<string, string>)[option] = value;
        } else {
          const near = suggest(value, allowed);
          result.problems.push({
            code: 'invalid-meta-value',
            ...at,
            reason: `unknown ${m[1]} "${value}" in the fence's options`,
            expected: allowed.join(', '),
            hint: near ? `did you mean ${m[1]}=${near}?` : null,
          });
        }
      } else if (!IGNORED.has(key)) {
        result.unknown.push(m[1]);
        const near = suggest(key, [...Object.keys(FENCE_META_KEYS), 'title', 'caption', 'steps']);
        result.problems.push({
          code: 'unknown-meta-option',
          ...at,
          reason: `the fence option ${m[1]} is not one wiregram knows; it is ignored`,
          expected: KNOWN,
          hint: near ? `did you mean ${near}=?` : null,
        });
      }
    } else if (m[5] === 'source' || m[5] === 'show-source') {
      result.showSource = true;
    } else if (m[5] !== undefined) {
      words.push(m[5]);
    }
  }
  // `steps` alone is the flag; among other bare words it is part of a caption (`Handshake in three steps`).
  if (words.length === 1 && words[0] === 'steps') {
    result.options.steps ??= true;
    words.length = 0;
  }
  if (result.caption === null && words.length > 0) result.caption = words.join(' ');
  return result;
}
