/**
 * Glyph outlines straight from an OpenType/CFF font file, for drawing text as paths. Only what a glyph needs is
 * read — its cmap entry, its advance, its charstring (and the subroutines it calls) — so the 8 MB CJK font costs
 * a file read and a few look-ups, not a parse of its 65,535 glyphs (what made a subset, or resvg's own font
 * loading, expensive in a fresh process). CFF (Type 2 charstrings) only: the built-in fonts are CFF.
 */

/** One font file, opened for outline look-ups. */
export interface OutlineFont {
  unitsPerEm: number;
  /** The glyph id for a code point (0, `.notdef`, when the font has none: what a text shaper draws then). */
  glyphId(codePoint: number): number;
  /** Advance width in font units. */
  advance(gid: number): number;
  /** The outline in font units (y up); null for an empty glyph (a space). */
  outline(gid: number): Outline | null;
}

/**
 * An outline as SVG path data: its first point (absolute) and the rest in relative commands, so a glyph is placed
 * by writing `M (x + pen) y` before `rest` — no other number changes with the glyph's position.
 */
export interface Outline {
  x: number;
  y: number;
  rest: string;
}

function fail(what: string): never {
  throw new Error(`font: ${what}`);
}

interface Index {
  count: number;
  offSize: number;
  /** Where the offsets start. */
  at: number;
  /** Offset 1 is this byte. */
  data: number;
  /** First byte after the INDEX. */
  end: number;
}

/** The file's byte at `at` (0 past its end): pages read on demand (text-paths.ts) — a label needs a few KB. */
export type ReadAt = (at: number) => number;

export function openFont(byteAt: ReadAt): OutlineFont {
  const u8 = byteAt;
  const u16 = (p: number) => (u8(p) << 8) | u8(p + 1);
  const i16 = (p: number) => (u16(p) << 16) >> 16;
  const u32 = (p: number) => ((u8(p) << 24) | (u8(p + 1) << 16) | (u8(p + 2) << 8) | u8(p + 3)) >>> 0;
  const i32 = (p: number) => u32(p) | 0;
  const tables = new Map<string, number>();
  const numTables = u16(4);
  for (let i = 0; i < numTables; i++) {
    const r = 12 + i * 16;
    tables.set(String.fromCharCode(u8(r), u8(r + 1), u8(r + 2), u8(r + 3)), u32(r + 8));
  }
  const table = (tag: string) => tables.get(tag) ?? fail(`no ${tag.trim()} table`);
  const unitsPerEm = u16(table('head') + 18);
  const numberOfHMetrics = u16(table('hhea') + 34);
  const hmtx = table('hmtx');

  // cmap: format 12 (all planes) if there is one, else format 4 (BMP).
  const cmap = table('cmap');
  let f12 = -1;
  let f4 = -1;
  for (let i = 0; i < u16(cmap + 2); i++) {
    const r = cmap + 4 + i * 8;
    const platform = u16(r);
    const encoding = u16(r + 2);
    const sub = cmap + u32(r + 4);
    const format = u16(sub);
    if (format === 12 && (platform === 3 || platform === 0)) f12 = sub;
    else if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) f4 = sub;
  }
  if (f12 < 0 && f4 < 0) fail('no Unicode cmap');
  const gids = new Map<number, number>();
  const glyphId = (cp: number): number => {
    let gid = gids.get(cp);
    if (gid === undefined) gids.set(cp, (gid = lookUp(cp)));
    return gid;
  };
  function lookUp(cp: number): number {
    if (f12 >= 0) {
      let lo = 0;
      let hi = u32(f12 + 12) - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = f12 + 16 + mid * 12;
        if (cp < u32(g)) hi = mid - 1;
        else if (cp > u32(g + 4)) lo = mid + 1;
        else return u32(g + 8) + (cp - u32(g));
      }
      return 0;
    }
    if (cp > 0xffff) return 0;
    const segX2 = u16(f4 + 6);
    const ends = f4 + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    let lo = 0;
    let hi = segX2 / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp > u16(ends + mid * 2)) lo = mid + 1;
      else hi = mid - 1;
    }
    const s = lo * 2;
    if (lo >= segX2 / 2 || cp < u16(starts + s)) return 0;
    const rangeOffset = u16(ranges + s);
    if (rangeOffset === 0) return (cp + i16(deltas + s)) & 0xffff;
    const g = u16(ranges + s + rangeOffset + (cp - u16(starts + s)) * 2);
    return g === 0 ? 0 : (g + i16(deltas + s)) & 0xffff;
  }
  const advances = new Map<number, number>();
  const advance = (gid: number): number => {
    let a = advances.get(gid);
    if (a === undefined) advances.set(gid, (a = u16(hmtx + 4 * Math.min(gid, numberOfHMetrics - 1))));
    return a;
  };

  // ---- CFF
  const cff = table('CFF ');
  function index(at: number): Index {
    const count = u16(at);
    if (count === 0) return { count: 0, offSize: 0, at: at + 2, data: at + 2, end: at + 2 };
    const offSize = u8(at + 2);
    const offsets = at + 3;
    const data = offsets + (count + 1) * offSize - 1;
    const ix: Index = { count, offSize, at: offsets, data, end: 0 };
    ix.end = data + offset(ix, count);
    return ix;
  }
  function offset(ix: Index, i: number): number {
    let p = ix.at + i * ix.offSize;
    let o = 0;
    for (let k = 0; k < ix.offSize; k++) o = o * 256 + u8(p++);
    return o;
  }
  const entry = (ix: Index, i: number): [number, number] => [ix.data + offset(ix, i), ix.data + offset(ix, i + 1)];
  /** A DICT's operators → operands (two-byte operators as 1200 + b1). */
  function dict(start: number, end: number): Map<number, number[]> {
    const out = new Map<number, number[]>();
    let ops: number[] = [];
    let p = start;
    while (p < end) {
      const b = u8(p);
      if (b <= 21) {
        let op = b;
        p++;
        if (b === 12) op = 1200 + u8(p++);
        out.set(op, ops);
        ops = [];
      } else if (b === 28) {
        ops.push(i16(p + 1));
        p += 3;
      } else if (b === 29) {
        ops.push(i32(p + 1));
        p += 5;
      } else if (b === 30) {
        // A real number: nibbles, read past (no operand wiregram uses is fractional).
        p++;
        let s = '';
        for (;;) {
          const byte = u8(p++);
          const hiN = byte >> 4;
          const loN = byte & 15;
          if (hiN === 15) break;
          s += '0123456789.EE?-'[hiN] + (hiN === 12 ? '-' : '');
          if (loN === 15) break;
          s += '0123456789.EE?-'[loN] + (loN === 12 ? '-' : '');
        }
        ops.push(Number(s.replace('?', '')) || 0);
      } else if (b >= 32 && b <= 246) {
        ops.push(b - 139);
        p++;
      } else if (b >= 247 && b <= 250) {
        ops.push((b - 247) * 256 + u8(p + 1) + 108);
        p += 2;
      } else if (b >= 251 && b <= 254) {
        ops.push(-(b - 251) * 256 - u8(p + 1) - 108);
        p += 2;
      } else fail('bad CFF DICT');
    }
    return out;
  }
  const names = index(cff + u8(cff + 2));
  const topDicts = index(names.end);
  const strings = index(topDicts.end);
  const gsubrs = index(strings.end);
  const [tdStart, tdEnd] = entry(topDicts, 0);
  const top = dict(tdStart, tdEnd);
  const charStrings = index(cff + (top.get(17)?.[0] ?? fail('no CharStrings')));
  const localSubrs = (privateOp: number[] | undefined): Index | null => {
    if (!privateOp || privateOp.length < 2) return null;
    const [size, off] = privateOp as [number, number];
    const priv = dict(cff + off, cff + off + size);
    const subrs = priv.get(19)?.[0];
    return subrs === undefined ? null : index(cff + off + subrs);
  };
  // CID-keyed (FDArray + FDSelect) or one Private DICT.
  const fdArray = top.get(1236);
  const fdSelectAt = top.get(1237);
  const fdSubrs: Array<Index | null> = [];
  let fdIndex: Index | null = null;
  if (fdArray && fdSelectAt) fdIndex = index(cff + fdArray[0]!);
  const plainSubrs = fdIndex ? null : localSubrs(top.get(18));
  function subrsFor(gid: number): Index | null {
    if (!fdIndex) return plainSubrs;
    const sel = cff + fdSelectAt![0]!;
    let fd = 0;
    if (u8(sel) === 0) fd = u8(sel + 1 + gid);
    else if (u8(sel) === 3) {
      const n = u16(sel + 1);
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (u16(sel + 3 + mid * 3) <= gid) lo = mid;
        else hi = mid - 1;
      }
      fd = u8(sel + 3 + lo * 3 + 2);
    } else fail('unknown FDSelect format');
    if (!(fd in fdSubrs)) {
      const [s, e] = entry(fdIndex, fd);
      fdSubrs[fd] = localSubrs(dict(s, e).get(18));
    }
    return fdSubrs[fd]!;
  }
  const bias = (ix: Index | null) => (!ix ? 0 : ix.count < 1240 ? 107 : ix.count < 33900 ? 1131 : 32768);
  const outlines = new Map<number, Outline | null>();

  function outline(gid: number): Outline | null {
    const known = outlines.get(gid);
    if (known !== undefined) return known;
    if (gid < 0 || gid >= charStrings.count) return null;
    const local = subrsFor(gid);
    const lbias = bias(local);
    const gbias = bias(gsubrs);
    let first: [number, number] | null = null;
    let out = '';
    // Where the charstring's pen is (absolute), and where the SVG path's current point and subpath start are
    // (rounded as written: relative numbers are taken from them, so rounding never accumulates).
    let x = 0;
    let y = 0;
    let cx = 0;
    let cy = 0;
    let sx = 0;
    let sy = 0;
    let open = false;
    let stems = 0;
    let widthSeen = false;
    const stack: number[] = [];
    const r = (n: number) => Math.round(n * 100) / 100;
    /** ` dx dy` from the current point to (px, py), which becomes the current point. */
    const to = (px: number, py: number, move: boolean) => {
      const ax = r(px);
      const ay = r(py);
      const d = ' ' + r(ax - cx) + ' ' + r(ay - cy);
      if (move) {
        cx = ax;
        cy = ay;
      }
      return d;
    };
    const moveTo = (dx: number, dy: number) => {
      if (open) {
        // After Z an SVG path's current point is its subpath's start (a charstring's pen stays where it was).
        out += 'Z';
        cx = sx;
        cy = sy;
      }
      x += dx;
      y += dy;
      if (!first) {
        first = [r(x), r(y)];
        cx = first[0];
        cy = first[1];
      } else out += 'm' + to(x, y, true).slice(1);
      sx = cx;
      sy = cy;
      open = true;
    };
    const lineTo = (dx: number, dy: number) => {
      x += dx;
      y += dy;
      out += 'l' + to(x, y, true).slice(1);
    };
    const curveTo = (a: number, b: number, c: number, d: number, e: number, f: number) => {
      const x1 = x + a;
      const y1 = y + b;
      const x2 = x1 + c;
      const y2 = y1 + d;
      x = x2 + e;
      y = y2 + f;
      out += 'c' + to(x1, y1, false).slice(1) + to(x2, y2, false) + to(x, y, true);
    };
    // The first stack-clearing operator may carry the advance width first (odd argument count): dropped, the
    // advance comes from hmtx.
    const width = (even: boolean) => {
      if (!widthSeen && stack.length % 2 === (even ? 1 : 0)) stack.shift();
      widthSeen = true;
    };
    let depth = 0;
    let ended = false;
    const run = (start: number, end: number): void => {
      if (++depth > 10) fail('subroutines nested too deep');
      let p = start;
      while (p < end && !ended) {
        const b = u8(p++);
        if (b >= 32 || b === 28) {
          if (b === 28) {
            stack.push(i16(p));
            p += 2;
          } else if (b <= 246) stack.push(b - 139);
          else if (b <= 250) stack.push((b - 247) * 256 + u8(p++) + 108);
          else if (b <= 254) stack.push(-(b - 251) * 256 - u8(p++) - 108);
          else {
            stack.push(i32(p) / 65536);
            p += 4;
          }
          continue;
        }
        switch (b) {
          case 1: // hstem
          case 3: // vstem
          case 18: // hstemhm
          case 23: // vstemhm
            width(true);
            stems += stack.length >> 1;
            stack.length = 0;
            break;
          case 19: // hintmask
          case 20: // cntrmask
            width(true);
            stems += stack.length >> 1;
            stack.length = 0;
            p += (stems + 7) >> 3;
            break;
          case 21: // rmoveto
            width(true);
            moveTo(stack[0] ?? 0, stack[1] ?? 0);
            stack.length = 0;
            break;
          case 22: // hmoveto
            width(false);
            moveTo(stack[0] ?? 0, 0);
            stack.length = 0;
            break;
          case 4: // vmoveto
            width(false);
            moveTo(0, stack[0] ?? 0);
            stack.length = 0;
            break;
          case 5: // rlineto
            for (let i = 0; i + 1 < stack.length; i += 2) lineTo(stack[i]!, stack[i + 1]!);
            stack.length = 0;
            break;
          case 6: // hlineto
          case 7: {
            // vlineto
            let horizontal = b === 6;
            for (const d of stack) {
              if (horizontal) lineTo(d, 0);
              else lineTo(0, d);
              horizontal = !horizontal;
            }
            stack.length = 0;
            break;
          }
          case 8: // rrcurveto
            for (let i = 0; i + 5 < stack.length; i += 6) curveTo(stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, stack[i + 4]!, stack[i + 5]!);
            stack.length = 0;
            break;
          case 24: {
            // rcurveline
            let i = 0;
            for (; i + 5 < stack.length - 2; i += 6) curveTo(stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, stack[i + 4]!, stack[i + 5]!);
            lineTo(stack[i]!, stack[i + 1]!);
            stack.length = 0;
            break;
          }
          case 25: {
            // rlinecurve
            let i = 0;
            for (; i + 1 < stack.length - 6; i += 2) lineTo(stack[i]!, stack[i + 1]!);
            curveTo(stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, stack[i + 4]!, stack[i + 5]!);
            stack.length = 0;
            break;
          }
          case 26: {
            // vvcurveto
            let i = 0;
            let dx1 = 0;
            if (stack.length % 2) dx1 = stack[i++]!;
            for (; i + 3 < stack.length; i += 4) {
              curveTo(dx1, stack[i]!, stack[i + 1]!, stack[i + 2]!, 0, stack[i + 3]!);
              dx1 = 0;
            }
            stack.length = 0;
            break;
          }
          case 27: {
            // hhcurveto
            let i = 0;
            let dy1 = 0;
            if (stack.length % 2) dy1 = stack[i++]!;
            for (; i + 3 < stack.length; i += 4) {
              curveTo(stack[i]!, dy1, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, 0);
              dy1 = 0;
            }
            stack.length = 0;
            break;
          }
          case 30: // vhcurveto
          case 31: {
            // hvcurveto
            let horizontal = b === 31;
            for (let i = 0; i + 3 < stack.length; i += 4) {
              const last = stack.length - (i + 4) === 1 ? stack[i + 4]! : 0;
              if (horizontal) curveTo(stack[i]!, 0, stack[i + 1]!, stack[i + 2]!, last, stack[i + 3]!);
              else curveTo(0, stack[i]!, stack[i + 1]!, stack[i + 2]!, stack[i + 3]!, last);
              horizontal = !horizontal;
            }
            stack.length = 0;
            break;
          }
          case 10: // callsubr
          case 29: {
            // callgsubr
            const ix = b === 10 ? local : gsubrs;
            const n = stack.pop()! + (b === 10 ? lbias : gbias);
            if (!ix || n < 0 || n >= ix.count) fail('bad subroutine call');
            const [s, e] = entry(ix, n);
            run(s, e);
            break;
          }
          case 11: // return
            depth--;
            return;
          case 14: // endchar
            width(false);
            ended = true;
            break;
          case 12: {
            const op = u8(p++);
            const s = stack;
            if (op === 35) {
              // flex
              curveTo(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!);
              curveTo(s[6]!, s[7]!, s[8]!, s[9]!, s[10]!, s[11]!);
            } else if (op === 34) {
              // hflex
              curveTo(s[0]!, 0, s[1]!, s[2]!, s[3]!, 0);
              curveTo(s[4]!, 0, s[5]!, -s[2]!, s[6]!, 0);
            } else if (op === 36) {
              // hflex1
              curveTo(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, 0);
              curveTo(s[5]!, 0, s[6]!, s[7]!, s[8]!, -(s[1]! + s[3]! + s[7]!));
            } else if (op === 37) {
              // flex1: the last point moves along the larger of the two total deltas, back to the start on the other
              const dx = s[0]! + s[2]! + s[4]! + s[6]! + s[8]!;
              const dy = s[1]! + s[3]! + s[5]! + s[7]! + s[9]!;
              const horizontal = Math.abs(dx) > Math.abs(dy);
              curveTo(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!);
              curveTo(s[6]!, s[7]!, s[8]!, s[9]!, horizontal ? s[10]! : -dx, horizontal ? -dy : s[10]!);
            }
            // Other escapes are arithmetic and storage operators CFF2 dropped and Noto does not use.
            stack.length = 0;
            break;
          }
          default:
            stack.length = 0;
        }
      }
      depth--;
    };
    const [s, e] = entry(charStrings, gid);
    run(s, e);
    if (open) out += 'Z';
    const start = first as [number, number] | null;
    const result = start ? { x: start[0], y: start[1], rest: out } : null;
    outlines.set(gid, result);
    return result;
  }
  return { unitsPerEm, glyphId, advance, outline };
}
