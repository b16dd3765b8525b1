/**
 * Faster, smaller CFF subsets for the built-in CJK font.
 *
 * fontkit keeps every subroutine slot when it subsets a CFF font (unused ones become a 1-byte `return`).
 * Noto Sans Hans has 641 global subroutines and one font dict with 22 293 local ones, so every PDF carried a
 * ~70 KB subroutine index and spent most of its time encoding it. Here each glyph's charstring is flattened
 * (subroutine calls replaced by the subroutine's bytes: "desubroutinized"), and the subset is written with no
 * subroutines at all. The outlines are byte-for-byte the same operators, so rendering does not change.
 */

interface Range {
  offset: number;
  length: number;
}

interface CffTable {
  stream: { buffer: Uint8Array };
  globalSubrIndex: Range[];
  isCIDFont: boolean;
  topDict: {
    FDArray?: Array<{ Private?: { Subrs?: Range[] } & Record<string, unknown> } & Record<string, unknown>>;
    Private?: { Subrs?: Range[] } | null;
    CharStrings: Range[];
  } & Record<string, unknown>;
  fdForGlyph(gid: number): number | null;
}

interface CffSubset {
  cff: CffTable;
  glyphs: number[];
  charstrings: Uint8Array[];
  gsubrs: Uint8Array[];
  subsetCharstrings(): void;
  subsetFontdict(topDict: Record<string, unknown>): void;
  encode(): Uint8Array;
}

interface SubsettableFont {
  'CFF '?: CffTable;
  createSubset(): unknown;
}

function bias(count: number): number {
  return count < 1240 ? 107 : count < 33900 ? 1131 : 32768;
}

/** A glyph's charstring with every callsubr/callgsubr inlined. */
function flattenCharstring(cff: CffTable, gid: number): Uint8Array {
  const data = cff.stream.buffer;
  const fd = cff.isCIDFont ? cff.fdForGlyph(gid) : null;
  const local = (fd != null ? cff.topDict.FDArray?.[fd]?.Private?.Subrs : cff.topDict.Private?.Subrs) ?? [];
  const global = cff.globalSubrIndex ?? [];
  const localBias = bias(local.length);
  const globalBias = bias(global.length);
  const out: number[] = [];
  let stems = 0;
  let operands = 0;
  let lastNumber = 0;
  let lastNumberAt = -1;
  let ended = false;

  const run = (start: number, end: number, depth: number): void => {
    if (depth > 10) throw new Error(`charstring of glyph ${gid} nests subroutines too deeply`);
    let i = start;
    while (i < end && !ended) {
      const b = data[i]!;
      if (b >= 32 || b === 28) {
        let len: number;
        let v: number;
        if (b === 28) {
          len = 3;
          v = ((data[i + 1]! << 24) >> 16) | data[i + 2]!;
        } else if (b <= 246) {
          len = 1;
          v = b - 139;
        } else if (b <= 250) {
          len = 2;
          v = (b - 247) * 256 + data[i + 1]! + 108;
        } else if (b <= 254) {
          len = 2;
          v = -(b - 251) * 256 - data[i + 1]! - 108;
        } else {
          len = 5;
          v = ((data[i + 1]! << 24) | (data[i + 2]! << 16) | (data[i + 3]! << 8) | data[i + 4]!) / 65536;
        }
        lastNumber = v;
        lastNumberAt = out.length;
        for (let k = 0; k < len; k++) out.push(data[i + k]!);
        operands++;
        i += len;
        continue;
      }
      if (b === 10 || b === 29) {
        // callsubr / callgsubr: drop the index operand and splice the subroutine in its place.
        if (lastNumberAt < 0 || lastNumberAt !== out.length - numberLength(out, lastNumberAt)) {
          throw new Error(`charstring of glyph ${gid} calls a subroutine with a computed index`);
        }
        out.length = lastNumberAt;
        lastNumberAt = -1;
        operands--;
        const subrs = b === 10 ? local : global;
        const subr = subrs[lastNumber + (b === 10 ? localBias : globalBias)];
        if (!subr) throw new Error(`charstring of glyph ${gid} calls a missing subroutine`);
        run(subr.offset, subr.offset + subr.length, depth + 1);
        i++;
        continue;
      }
      lastNumberAt = -1;
      if (b === 11) return; // return from a subroutine
      if (b === 14) {
        out.push(b); // endchar: the glyph is complete
        ended = true;
        return;
      }
      if (b === 1 || b === 3 || b === 18 || b === 23) {
        // hstem, vstem, hstemhm, vstemhm: count the stems, hintmask needs the number.
        stems += operands >> 1;
        operands = 0;
        out.push(b);
        i++;
        continue;
      }
      if (b === 19 || b === 20) {
        // hintmask / cntrmask: operands before it are an implicit vstem; then one mask bit per stem.
        stems += operands >> 1;
        operands = 0;
        const n = (stems + 7) >> 3;
        for (let k = 0; k <= n; k++) out.push(data[i + k]!);
        i += 1 + n;
        continue;
      }
      if (b === 12) {
        out.push(b, data[i + 1]!);
        i += 2;
      } else {
        out.push(b);
        i++;
      }
      operands = 0;
    }
  };

  const cs = cff.topDict.CharStrings[gid]!;
  run(cs.offset, cs.offset + cs.length, 0);
  return Uint8Array.from(out);
}

/** Byte length of the number encoded at `at` in `out`. */
function numberLength(out: number[], at: number): number {
  const b = out[at]!;
  return b === 28 ? 3 : b <= 246 ? 1 : b <= 254 ? 2 : 5;
}

/** Switch for tests: compare the flattened output with fontkit's own. */
export const cffOptions = { flatten: true };

/**
 * Flattened charstrings per font and glyph, kept for the process: every page and deck that draws a glyph again
 * embeds the same bytes, so each glyph is flattened once (the font objects themselves are cached in fonts.ts).
 */
const flattened = new WeakMap<CffTable, Map<number, Uint8Array>>();

function flatCharstring(cff: CffTable, gid: number): Uint8Array {
  let glyphs = flattened.get(cff);
  if (!glyphs) flattened.set(cff, (glyphs = new Map()));
  let bytes = glyphs.get(gid);
  if (!bytes) glyphs.set(gid, (bytes = flattenCharstring(cff, gid)));
  return bytes;
}

/**
 * Make `font.createSubset()` return subsets that write flattened charstrings and no subroutines, for a
 * CID-keyed CFF font (the built-in one; user CJK OTFs are usually CID-keyed too). Anything the flattener does
 * not understand falls back to fontkit's own subsetting for that document. Idempotent.
 */
export function flattenSubsets(font: SubsettableFont): void {
  const cff = font['CFF '];
  if (!cff || !cff.isCIDFont || (font as { __wgFlat?: boolean }).__wgFlat) return;
  const create = font.createSubset.bind(font);
  (font as { __wgFlat?: boolean }).__wgFlat = true;
  font.createSubset = () => {
    const subset = create() as CffSubset & { flat?: boolean };
    if (!cffOptions.flatten) return subset;
    const ownCharstrings = subset.subsetCharstrings;
    const ownFontdict = subset.subsetFontdict;
    subset.subsetCharstrings = function (this: CffSubset & { flat?: boolean }) {
      try {
        this.charstrings = this.glyphs.map((gid) => flatCharstring(this.cff, gid));
        this.gsubrs = [];
        this.flat = true;
      } catch {
        this.flat = false;
        ownCharstrings.call(this);
      }
    };
    subset.subsetFontdict = function (this: CffSubset & { flat?: boolean }, topDict: Record<string, unknown>) {
      if (!this.flat) return ownFontdict.call(this, topDict);
      const fdArray: Array<Record<string, unknown>> = [];
      const fds: number[] = [];
      const index = new Map<number, number>();
      for (const gid of this.glyphs) {
        const fd = this.cff.fdForGlyph(gid);
        if (fd == null) continue;
        let to = index.get(fd);
        if (to === undefined) {
          const dict: Record<string, unknown> = { ...this.cff.topDict.FDArray![fd] };
          delete dict.FontName;
          if (dict.Private) {
            const priv = { ...(dict.Private as Record<string, unknown>) };
            delete priv.Subrs; // nothing calls a local subroutine any more
            dict.Private = priv;
          }
          to = fdArray.length;
          fdArray.push(dict);
          index.set(fd, to);
        }
        fds.push(to);
      }
      topDict.FDArray = fdArray;
      topDict.FDSelect = { version: 0, fds };
    };
    // The subset's bytes depend only on its glyphs, in order: a deck's second page, or another deck with the same
    // glyphs, embeds the bytes written the first time instead of encoding the CFF table again.
    const ownEncode = subset.encode;
    subset.encode = function (this: CffSubset) {
      const key = this.glyphs.join(',');
      let encoded = encodedSubsets.get(this.cff);
      if (!encoded) encodedSubsets.set(this.cff, (encoded = new Map()));
      const hit = encoded.get(key);
      if (hit) return hit;
      const bytes = ownEncode.call(this);
      if (encoded.size >= 64) encoded.delete(encoded.keys().next().value!); // bounded: the oldest goes
      encoded.set(key, bytes);
      return bytes;
    };
    return subset;
  };
}

/** Encoded subsets per font, by glyph list (see flattenSubsets); at most 64 per font. */
const encodedSubsets = new WeakMap<CffTable, Map<string, Uint8Array>>();
