/**
 * Keeps wiregram fences away from the template engine Eleventy runs over Markdown first (Liquid by default,
 * Nunjucks if configured): `{{ x }}` in a label would be evaluated (and vanish), an unmatched `{% raw %}` would
 * fail the build. Before the engine runs, each diagram fence is replaced by a placeholder fence with the same
 * number of lines (`wiregram-stash <key>`, then blank lines), so markdown-it's line map stays where it was; the
 * fence rule puts the original info string and body back.
 */
import { createHash } from 'node:crypto';
import { fenceLanguage } from 'markdown-it-wiregram';

export const STASH_LANGUAGE = 'wiregram-stash';

export interface StashedFence {
  /** The info string as markdown-it would read it (after the fence characters, trimmed). */
  info: string;
  /** The body as markdown-it would read it (indentation of the opening fence removed), ending in a line break. */
  content: string;
}

// A fence opener (CommonMark: up to 3 spaces, ``` or ~~~, backtick fences with no backtick in the info).
const OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Bounded: `eleventy --serve` preprocesses every edit again; entries are content-addressed, so the oldest can go
 * (the build that stashed them has rendered by the time a thousand newer fences were seen).
 */
const LIMIT = 5000;

export class FenceStash {
  readonly #fences = new Map<string, StashedFence>();

  /** `content` with every wiregram fence swapped for a placeholder, or null when it has none. */
  protect(content: string): string | null {
    const lines = content.split('\n');
    let changed = false;
    for (let i = 0; i < lines.length; i++) {
      const open = OPEN.exec(lines[i]!.replace(/\r$/, ''));
      if (!open) continue;
      const [, indent, marker, rest] = open as unknown as [string, string, string, string];
      if (marker[0] === '`' && rest.includes('`')) continue;
      const close = closingLine(lines, i + 1, marker);
      const info = rest.trim();
      if (fenceLanguage(info)) {
        const body = lines.slice(i + 1, close).map((l) => stripIndent(l.replace(/\r$/, ''), indent.length));
        const fence: StashedFence = { info, content: body.length ? body.join('\n') + '\n' : '' };
        const key = this.#keep(fence);
        lines[i] = `${indent}${marker}${STASH_LANGUAGE} ${key}`;
        for (let k = i + 1; k < close; k++) lines[k] = '';
        changed = true;
      }
      // Skip the body of any fence: its lines are not openers.
      i = close;
    }
    return changed ? lines.join('\n') : null;
  }

  /** The fence a placeholder info string stands for, or null (not a placeholder, or unknown key). */
  lookup(info: string): StashedFence | null {
    const m = /^wiregram-stash ([0-9a-f]{16})$/.exec(info.trim());
    return m ? (this.#fences.get(m[1]!) ?? null) : null;
  }

  /** A text with placeholders put back (same lines): what the author wrote, for code frames and positions. */
  restore(text: string): string {
    if (!text.includes(STASH_LANGUAGE)) return text;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = OPEN.exec(lines[i]!);
      const fence = open ? this.lookup(open[3]!) : null;
      if (!open || !fence) continue;
      const indent = open[1]!;
      lines[i] = `${indent}${open[2]}${fence.info}`;
      const body = fence.content.replace(/\n$/, '').split('\n');
      for (let k = 0; k < body.length && i + 1 + k < lines.length; k++) lines[i + 1 + k] = body[k] ? indent + body[k] : '';
      i += body.length;
    }
    return lines.join('\n');
  }

  #keep(fence: StashedFence): string {
    const key = createHash('sha256').update(fence.info).update('\0').update(fence.content).digest('hex').slice(0, 16);
    if (!this.#fences.has(key)) {
      if (this.#fences.size >= LIMIT) this.#fences.delete(this.#fences.keys().next().value!);
      this.#fences.set(key, fence);
    }
    return key;
  }
}

/** Index of the closing fence line, or `lines.length` when the fence runs to the end (as CommonMark reads it). */
function closingLine(lines: string[], from: number, marker: string): number {
  const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
  for (let j = from; j < lines.length; j++) if (close.test(lines[j]!.replace(/\r$/, ''))) return j;
  return lines.length;
}

function stripIndent(line: string, n: number): string {
  let k = 0;
  while (k < n && line[k] === ' ') k++;
  return line.slice(k);
}
