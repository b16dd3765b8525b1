/**
 * A small CommonMark fenced-code scanner: finds ``` and ~~~ blocks (top level, in block quotes, in list items),
 * skips HTML comments, and records where each block's text sits in the file, so an error at line 2, column 5
 * of a block is reported at its real line and column in the Markdown file. No Markdown library: the CLI must
 * start fast, and this is all it needs from Markdown.
 */

export interface FencedBlock {
  /** First word of the info string (`tcp-sequence`). */
  lang: string;
  /** The whole info string, trimmed. */
  info: string;
  /** The info string after the language (`title="x"`), trimmed. */
  meta: string;
  /** The block's text: container markers and fence indentation removed, lines joined with `\n`. */
  source: string;
  /** 1-based line of the opening fence. */
  openLine: number;
  /** 1-based line of the first content line (`openLine + 1`), even for an empty block. */
  contentLine: number;
  /** 1-based last line of the construct: the closing fence, or the last content line when unclosed. */
  endLine: number;
  closed: boolean;
  /** Per content line: how many characters of the file line precede the block's text (`> ` markers, indentation). */
  columnShifts: number[];
  /** Raw text before the fence marker on the opening line (`> - `). */
  openerPrefix: string;
  /** What a replacement line needs in front to stay in the same container (`> ` + the list indentation). */
  continuationPrefix: string;
  /** 0-based offsets: start of the opening line, end of the last line (before its line break). */
  startOffset: number;
  endOffset: number;
}

interface Line {
  text: string;
  start: number;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  if (text.indexOf('\r') === -1) {
    // Only `\n` breaks (the usual file): found with indexOf, no match object per line.
    let start = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', start)) {
      lines.push({ text: text.slice(start, at), start });
      start = at + 1;
    }
    lines.push({ text: text.slice(start), start });
    return lines;
  }
  const re = /\r\n|\r|\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    lines.push({ text: text.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  lines.push({ text: text.slice(start), start });
  return lines;
}

/** 0-based offset of the start of each 1-based line (index 0 = line 1). */
export function lineStarts(text: string): number[] {
  return splitLines(text).map((l) => l.start);
}

const NO_QUOTE: { readonly depth: number; readonly length: number } = Object.freeze({ depth: 0, length: 0 });

/** Block-quote markers (`> > `) at the start of a line: how many, and how many characters they take. */
function quotePrefix(text: string, maxDepth = Infinity): { readonly depth: number; readonly length: number } {
  // Most lines start with neither a space nor `>`: no marker, and no object made for that.
  const first = text.charCodeAt(0);
  if (first !== 32 && first !== 62) return NO_QUOTE;
  let i = 0;
  let depth = 0;
  while (depth < maxDepth) {
    let j = i;
    let spaces = 0;
    while (text[j] === ' ' && spaces < 3) {
      j++;
      spaces++;
    }
    if (text[j] !== '>') break;
    j++;
    if (text[j] === ' ' || text[j] === '\t') j++;
    i = j;
    depth++;
  }
  return { depth, length: i };
}

function leadingSpaces(text: string): number {
  let n = 0;
  while (text[n] === ' ') n++;
  return n;
}

const LIST_ITEM = /^( *)([-+*]|\d{1,9}[.)])( +|$)/;
const FENCE_LINE = /^(`{3,}|~{3,})(.*)$/;
/** A fence opener: ``` or ~~~ (3+), and for backticks an info string without backticks (else it is inline code). */
function fenceOpener(body: string): RegExpExecArray | null {
  const m = FENCE_LINE.exec(body);
  return m !== null && !(m[1]![0] === '`' && m[2]!.includes('`')) ? m : null;
}
const isFence = (body: string) => fenceOpener(body) !== null;

interface Open {
  marker: string;
  depth: number;
  /** Spaces before the fence marker, after the quote markers (list indentation included). */
  indent: number;
  /** Content indentation of the enclosing list item (0 outside lists). */
  base: number;
  block: FencedBlock;
  lines: string[];
}

/** Every fenced code block of a Markdown document, in order (any language; filter by `lang`). */
export function scanFences(markdown: string): FencedBlock[] {
  const lines = splitLines(markdown);
  // A final line break ends the last line; it does not start an empty one (which an unclosed fence would keep).
  if (lines.length > 1 && lines[lines.length - 1]!.text === '') lines.pop();
  const blocks: FencedBlock[] = [];
  let open: Open | null = null;
  let inComment = false;
  let listStack: number[] = [];
  let listDepth = 0;
  /** The previous line was paragraph text, so a less-indented text line continues it (CommonMark's lazy lines). */
  let paragraph = false;
  /** Content indentation of the list item holding that paragraph (0 at the top level). */
  let paragraphBase = 0;
  let paragraphDepth = 0;
  /** Content indentation of a list item whose first line was empty, until the next line is seen. */
  let emptyItem = -1;

  const finish = (o: Open, endLineIndex: number, closed: boolean) => {
    const last = lines[endLineIndex]!;
    o.block.source = o.lines.join('\n');
    o.block.endLine = endLineIndex + 1;
    o.block.closed = closed;
    o.block.endOffset = last.start + last.text.length;
    blocks.push(o.block);
  };

  for (let i = 0; i < lines.length; i++) {
    const { text, start } = lines[i]!;
    if (open) {
      const q = quotePrefix(text, open.depth);
      const rest = text.slice(q.length);
      const indent = leadingSpaces(rest);
      const blank = rest.trim() === '';
      // Leaving the block quote or the list item that holds the fence ends it (CommonMark: unclosed fence).
      const leftContainer = q.depth < open.depth || (open.base > 0 && !blank && indent < open.base);
      if (leftContainer) {
        finish(open, i - 1, false);
        open = null;
        i--; // look at this line again, outside the block
        continue;
      }
      const c = rest.charCodeAt(indent);
      if (indent <= open.base + 3 && (c === 96 || c === 126)) {
        // Only a line starting with ` or ~ can close the fence.
        const m = /^(`{3,}|~{3,})[ \t]*$/.exec(rest.slice(indent));
        if (m && m[1]![0] === open.marker[0] && m[1]!.length >= open.marker.length) {
          finish(open, i, true);
          open = null;
          continue;
        }
      }
      const strip = Math.min(indent, open.indent);
      open.lines.push(rest.slice(strip));
      open.block.columnShifts.push(q.length + strip);
      continue;
    }

    const q = quotePrefix(text);
    const rest = text.slice(q.length);
    if (inComment) {
      if (text.includes('-->')) inComment = false;
      continue;
    }
    if (q.depth !== listDepth) {
      // Lists are tracked per block-quote level; entering or leaving a quote starts afresh.
      listStack = [];
      listDepth = q.depth;
    }
    const indent = leadingSpaces(rest);
    // A `>` the open paragraph is not inside starts a block quote, which ends the paragraph.
    if (q.depth > paragraphDepth) paragraph = false;
    if (rest.trim() === '') {
      paragraph = false;
      // A list item may start with at most one blank line: an empty item followed by a blank line is over.
      if (emptyItem >= 0) listStack = listStack.filter((c) => c !== emptyItem);
      emptyItem = -1;
      continue;
    }
    emptyItem = -1;

    let fenceIndent = -1;
    let base = 0;
    let fenceText = '';
    const li = LIST_ITEM.exec(rest);
    let topBase = 0;
    for (let k = 0; k < listStack.length; k++) if (listStack[k]! <= indent) topBase = listStack[k]!;
    // Does this line reach into the container of the open paragraph? Only then can it continue or interrupt it.
    const matched = paragraph && q.depth === paragraphDepth && indent >= paragraphBase;
    let isItem = li !== null && indent - topBase <= 3;
    if (isItem && matched) {
      // An empty item, or an ordered one not starting at 1, cannot interrupt a paragraph (`text` + `-` is a heading).
      const empty = rest.slice(li![0].length).trim() === '';
      if (empty || (/\d/.test(li![2]!) && parseInt(li![2]!, 10) !== 1)) isItem = false;
    }
    if (li && isItem) {
      // Content starts after the marker and its spaces; an empty item, or one followed by 5+ spaces (code), at
      // marker + 1.
      const spaces = li[3]!.length;
      const content = spaces === 0 || spaces > 4 ? li[1]!.length + li[2]!.length + 1 : li[0].length;
      listStack = listStack.filter((c) => c <= indent);
      listStack.push(content);
      const after = rest.slice(content);
      emptyItem = after.trim() === '' ? content : -1;
      const opensFence = isFence(after);
      paragraph = after.trim() !== '' && !opensFence;
      paragraphBase = content;
      paragraphDepth = q.depth;
      if (opensFence) {
        fenceIndent = content;
        base = content;
        fenceText = after;
      }
    } else {
      const body = rest.slice(indent);
      const startsBlock = indent - topBase <= 3 && (isFence(body) || body.startsWith('<!--') || /^#{1,6}(\s|$)/.test(body));
      if (matched && indent - paragraphBase <= 3 && /^(=+|-+)[ \t]*$/.test(body)) {
        paragraph = false; // a setext heading underline ends the paragraph
        continue;
      }
      if (paragraph && !startsBlock) continue; // a lazy continuation line: the paragraph (and its list item) goes on
      listStack = listStack.filter((c) => c <= indent);
      base = listStack.length ? listStack[listStack.length - 1]! : 0;
      if (indent - base <= 3) {
        const inner = rest.slice(indent);
        if (inner.startsWith('<!--')) {
          paragraph = false;
          if (!inner.slice(4).includes('-->')) inComment = true;
          continue;
        }
        if (isFence(inner)) {
          fenceIndent = indent;
          fenceText = inner;
        }
        paragraph = fenceIndent < 0 && !/^#{1,6}(\s|$)/.test(inner);
        paragraphBase = base;
        paragraphDepth = q.depth;
      }
    }
    if (fenceIndent < 0) continue;
    paragraph = false;
    const m = fenceOpener(fenceText)!;
    const marker = m[1]!;
    const info = m[2]!.trim();
    const lang = info.split(/\s+/)[0] ?? '';
    const openerPrefix = text.slice(0, q.length + fenceIndent);
    open = {
      marker,
      depth: q.depth,
      indent: fenceIndent,
      base,
      lines: [],
      block: {
        lang,
        info,
        meta: info.slice(lang.length).trim(),
        source: '',
        openLine: i + 1,
        contentLine: i + 2,
        endLine: i + 1,
        closed: false,
        columnShifts: [],
        openerPrefix,
        continuationPrefix: text.slice(0, q.length) + ' '.repeat(fenceIndent),
        startOffset: start,
        endOffset: start + text.length,
      },
    };
  }
  if (open) finish(open, lines.length - 1, false);
  return blocks;
}
