/**
 * The playground's whole state in the URL's fragment (never sent to a server): `#v1=` + lz-string of the JSON.
 * Reading is defensive — a link is untrusted text: anything malformed gives null, unknown values the defaults.
 */
import LZString from 'lz-string';

export type Language = 'tcp-sequence' | 'packet-header';
export type Theme = 'light' | 'dark';

export interface PlaygroundState {
  language: Language;
  text: string;
  theme: Theme;
}

/** The largest text a link may carry (the page's own limit on what it will try to render from a URL). */
export const MAX_SHARED_TEXT = 200_000;

export function encodeState(state: PlaygroundState): string {
  return 'v1=' + LZString.compressToEncodedURIComponent(JSON.stringify({ l: state.language, t: state.text, m: state.theme }));
}

export function decodeState(hash: string): PlaygroundState | null {
  const m = /^#?v1=([A-Za-z0-9+\-$]*)$/.exec(hash);
  if (!m) return null;
  let raw: unknown;
  try {
    const json = LZString.decompressFromEncodedURIComponent(m[1]!);
    if (!json || json.length > MAX_SHARED_TEXT * 2) return null;
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  if (typeof o['t'] !== 'string' || o['t'].length > MAX_SHARED_TEXT) return null;
  return {
    language: o['l'] === 'packet-header' ? 'packet-header' : 'tcp-sequence',
    text: o['t'],
    theme: o['m'] === 'dark' ? 'dark' : 'light',
  };
}

/** The Markdown to paste into a page: a fence long enough that the text cannot close it. */
export function markdownFence(state: Pick<PlaygroundState, 'language' | 'text'>): string {
  let longest = 2;
  for (const m of state.text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${state.language}\n${state.text.replace(/\n+$/, '')}\n${fence}\n`;
}
