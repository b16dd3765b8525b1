/**
 * Fonts for the PDF backend: the built-in Noto Sans Hans (Latin + CJK, OFL) from @embedpdf/fonts-sc, and user
 * fonts by path. Fonts are parsed with fontkit once per process and the parsed objects are handed to pdfkit,
 * so the 8 MB OTF is read once, not once per document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WiregramError } from '@wiregram/core';
import { FONT, type FontWeight } from '@wiregram/layout';
import { flattenSubsets } from './cff.js';
import { loadFontkit } from './deps.js';

const require = createRequire(import.meta.url);

/** The part of a fontkit font object we use (pdfkit accepts the object itself as a font source). */
export interface FontkitFont {
  postscriptName: string | null;
  familyName: string | null;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): FontkitGlyph;
  layout(text: string, features?: unknown): GlyphRun;
  /** Present on a TrueType/OpenType collection (.ttc/.otc). */
  fonts?: FontkitFont[];
}

export interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

export interface GlyphRun {
  glyphs: FontkitGlyph[];
  positions: Array<{ xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }>;
  advanceWidth: number;
}

interface Fontkit {
  create(buffer: Uint8Array, postscriptName?: string): FontkitFont;
}

let fontkitModule: Fontkit | null = null;
function fontkit(): Fontkit {
  fontkitModule ??= loadFontkit() as Fontkit;
  return fontkitModule;
}

/** A resolved font pair. `bold` null: draw bold text with the regular face plus a thin outline (faux bold). */
export interface FontSet {
  /** Identifies the pair (built-in, or the user paths). */
  key: string;
  name: string;
  regular: FontkitFont;
  bold: FontkitFont | null;
  /** True for the built-in font: the layout measured with it, so Scene widths are exact. */
  builtin: boolean;
  /** Where each face came from, for error messages. */
  regularPath: string;
  boldPath: string | null;
}

/** User font option: a path, or a regular/bold pair. */
export type FontOption = string | { regular: string; bold?: string };

const cache = new Map<string, FontkitFont>();

function fontError(code: string, reason: string, hint: string, expected?: string): WiregramError {
  return new WiregramError({ code, reason, hint, expected: expected ?? null });
}

/** Resolve `@embedpdf/fonts-sc/fonts/NotoSansHans-<Weight>.otf` through the package resolver. */
export function builtinFontPath(weight: FontWeight): string {
  // The files the layout measured with (FONT.files), so PDF glyph advances equal the Scene's widths.
  const file = FONT.files[weight];
  // The package exports only its JS entry; the fonts sit next to its dist/ folder.
  const entry = require.resolve('@embedpdf/fonts-sc');
  return join(dirname(dirname(entry)), 'fonts', file);
}

/** Load (once per process) and validate a font file. Throws WiregramError for anything a user can fix. */
export function loadFontFile(spec: string): FontkitFont {
  const hit = cache.get(spec);
  if (hit) return hit;
  // `collection.ttc#PostScriptName` picks a face of a collection (only when no file has the full name).
  let path = spec;
  let face: string | null = null;
  const hash = spec.lastIndexOf('#');
  if (hash > 0 && hash < spec.length - 1 && !existsSync(spec)) {
    path = spec.slice(0, hash);
    face = spec.slice(hash + 1);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw fontError('font-unreadable', `font file "${path}" ${why}`, 'give the path of a TTF, OTF or WOFF file, or omit the font option to use the built-in Noto Sans Hans', 'a readable TTF, OTF or WOFF file');
  }
  const magic = Array.from(bytes.subarray(0, 4), (b) => String.fromCharCode(b)).join('');
  if (magic === 'wOF2') {
    throw fontError('font-woff2', `font file "${path}" is WOFF2, which the PDF backend cannot embed`, 'convert it to TTF/OTF (e.g. `woff2_decompress`) or use the WOFF/TTF version of the font', 'TTF, OTF or WOFF');
  }
  const known = magic === 'wOFF' || magic === 'OTTO' || magic === 'true' || magic === 'ttcf' ||
    (bytes[0] === 0 && bytes[1] === 1 && bytes[2] === 0 && bytes[3] === 0);
  if (!known) {
    throw fontError('font-format', `file "${path}" is not a font wiregram can embed`, 'give a TTF, OTF or WOFF file', 'TTF, OTF or WOFF');
  }
  let font: FontkitFont;
  let faces: string[] = [];
  try {
    font = fontkit().create(bytes);
    if (font.fonts && font.fonts.length > 0) {
      // A collection (.ttc/.otc): the face asked for, else the first one.
      faces = font.fonts.map((f) => f.postscriptName ?? '');
      const chosen = face === null ? font.fonts[0] : font.fonts.find((f) => f.postscriptName === face);
      if (!chosen) throw new FaceMissing();
      font = chosen;
    } else if (face !== null) {
      faces = [font.postscriptName ?? ''];
      if (font.postscriptName !== face) throw new FaceMissing();
    }
    if (typeof font.layout !== 'function' || typeof font.hasGlyphForCodePoint !== 'function') throw new Error('not a font');
    flattenSubsets(font as unknown as Parameters<typeof flattenSubsets>[0]);
  } catch (e) {
    if (e instanceof FaceMissing) {
      throw fontError('font-face', `font file "${path}" has no face named "${face}"`, `its faces are: ${faces.join(', ')}`, 'the PostScript name of a face in the file after #');
    }
    throw fontError('font-format', `font file "${path}" could not be parsed`, 'the file may be damaged; try another copy or another font', 'a valid TTF, OTF or WOFF file');
  }
  font = plainLayout(font);
  cache.set(spec, font);
  return font;
}

class FaceMissing extends Error {}

/**
 * `glyphForCodePoint` without fontkit's Unicode look-ups: a new fontkit glyph classifies its code points as marks
 * or not (for shaping, which wiregram does not do), and the first such look-up inflates a 1 MB Unicode table —
 * the largest single cost of a Latin page. The glyph comes from the same cmap and the same glyph cache; its
 * `codePoints` (what pdfkit writes into the ToUnicode map) are set as glyphForCodePoint would set them.
 * fontkit is pinned (2.0.4); without the cmap processor this is glyphForCodePoint itself.
 */
function glyphLookup(font: FontkitFont): (codePoint: number) => FontkitGlyph {
  const f = font as unknown as { _cmapProcessor?: { lookup(cp: number): number }; getGlyph?(gid: number): FontkitGlyph };
  if (typeof f._cmapProcessor?.lookup !== 'function' || typeof f.getGlyph !== 'function') return (cp) => font.glyphForCodePoint(cp);
  return (cp) => {
    const glyph = f.getGlyph!(f._cmapProcessor!.lookup(cp));
    if (glyph.codePoints.length === 0) glyph.codePoints = [cp];
    return glyph;
  };
}

/**
 * The font as pdfkit sees it: glyphs mapped one per character with their advance widths, no OpenType shaping.
 * That is exactly how the layout measured the text (advance widths, no kerning), so a label is as wide in
 * the PDF as the space reserved for it; there are no ligatures (copy-paste and search see the letters
 * typed); and fontkit's shaper — which re-decodes GSUB/GPOS lookups on every new string — stays out of the
 * hot path. Complex scripts that need shaping are not what diagram labels are written in.
 */
function plainLayout(font: FontkitFont): FontkitFont {
  const plain = Object.create(font) as FontkitFont;
  const glyphFor = glyphLookup(font);
  plain.layout = (text: string): GlyphRun => {
    const glyphs: FontkitGlyph[] = [];
    const positions: GlyphRun['positions'] = [];
    let advanceWidth = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      // Controls and invisible format characters (tab, ZWJ, BOM, …) have no glyph to draw: skip them
      // rather than print the font's empty box.
      if (INVISIBLE.test(ch) && !font.hasGlyphForCodePoint(cp)) continue;
      const glyph = glyphFor(cp);
      glyphs.push(glyph);
      positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
      advanceWidth += glyph.advanceWidth;
    }
    return { glyphs, positions, advanceWidth };
  };
  return plain;
}

/**
 * The first code point the Latin cut of the built-in font leaves out (scripts/latin-fonts.sh): below it, the
 * cut maps exactly what the full font maps, with the same outlines and advances.
 */
const LATIN_END = 0x2e80;
const LATIN = 'WiregramLatinCut-{weight}.otf';

/** What fonts/names.json records for a cut: the original font's names (scripts/latin-fonts.py). */
interface OriginalNames {
  postscriptName: string;
  familyName: string;
  fullName: string;
  cffFontName: string;
  cffStrings: Record<string, string>;
}

/**
 * The cut carries a name of its own (the original's name is reserved for the original); the glyphs it embeds are
 * the original's, so the loaded font gets the original's names back: a PDF names the embedded subset exactly as
 * when it embeds from the full font (PostScript name, CFF FontName, FullName and FamilyName strings).
 */
function withOriginalNames(font: FontkitFont, file: string): FontkitFont {
  const names = (require('@wiregram/pdf/fonts/names.json') as Record<string, OriginalNames>)[file];
  const cff = (font as unknown as { 'CFF '?: { nameIndex: string[]; stringIndex: string[]; topDict: Record<string, unknown>; string(sid: unknown): string } })['CFF '];
  if (!names || !cff || (font as { __wgNamed?: boolean }).__wgNamed) return font;
  cff.nameIndex[0] = names.cffFontName;
  for (const [key, value] of Object.entries(names.cffStrings)) {
    const at = cff.stringIndex.indexOf(cff.string(cff.topDict[key]));
    if (at >= 0) cff.stringIndex[at] = value;
  }
  Object.defineProperties(font, {
    postscriptName: { value: names.postscriptName },
    familyName: { value: names.familyName },
    fullName: { value: names.fullName },
    __wgNamed: { value: true },
  });
  return font;
}

/**
 * A built-in face: the full font (`@embedpdf/fonts-sc`, 8 MB, Latin + CJK) or its non-CJK cut
 * (`fonts/WiregramLatinCut-{Regular,Bold}.otf` of this package, 120 KB, named apart from the original): the same PostScript name, metrics,
 * advances and outlines for every code point below U+2E80.
 */
function builtinPath(weight: FontWeight, latin: boolean): string {
  if (!latin) return builtinFontPath(weight);
  return require.resolve(`@wiregram/pdf/fonts/${latinFile(weight)}`);
}

const latinFile = (weight: FontWeight): string => LATIN.replace('{weight}', weight === 'bold' ? 'Bold' : 'Regular');

function loadBuiltin(weight: FontWeight, latin: boolean, path: string): FontkitFont {
  const font = loadFontFile(path);
  return latin ? withOriginalNames(font, latinFile(weight)) : font;
}

const builtinSets = new Map<string, FontSet>();

/**
 * The built-in pair. Each face is the Latin cut when `latin` says so for it — the 8 MB font is then never read
 * or parsed for that face — else the full font. A face is loaded on first use (bold only when bold text is drawn).
 */
export function builtinFonts(latin: { regular: boolean; bold: boolean } = { regular: false, bold: false }): FontSet {
  const key = `builtin:${latin.regular ? 'latin' : 'full'}:${latin.bold ? 'latin' : 'full'}`;
  let set = builtinSets.get(key);
  if (!set) {
    const regularPath = builtinPath('normal', latin.regular);
    const boldPath = builtinPath('bold', latin.bold);
    let bold: FontkitFont | null = null;
    set = {
      key,
      name: 'Noto Sans Hans',
      regular: loadBuiltin('normal', latin.regular, regularPath),
      get bold() {
        bold ??= loadBuiltin('bold', latin.bold, boldPath);
        return bold;
      },
      builtin: true,
      regularPath,
      boldPath,
    };
    builtinSets.set(key, set);
  }
  return set;
}

/**
 * The built-in fonts for a document with these texts: a face whose texts are all below U+2E80 comes from the
 * Latin cut; a face with CJK (or with a character neither file has, which `checkGlyphs` then reports the same
 * way) from the full font. Latin-only documents never parse the CJK font.
 */
export function builtinFontsFor(texts: Iterable<{ text: string; fontWeight?: FontWeight }>): FontSet {
  const latin = { regular: true, bold: true };
  for (const t of texts) {
    const face = t.fontWeight === 'bold' ? 'bold' : 'regular';
    if (!latin[face]) continue;
    for (let i = 0; i < t.text.length; i++) {
      if (t.text.charCodeAt(i) >= LATIN_END) {
        latin[face] = false;
        break;
      }
    }
  }
  return builtinFonts(latin);
}

export function userFonts(option: FontOption): FontSet {
  const regularPath = typeof option === 'string' ? option : option.regular;
  const boldPath = typeof option === 'string' ? null : option.bold ?? null;
  if (typeof regularPath !== 'string' || regularPath === '') {
    throw fontError('font-option', 'the font option must be a file path or { regular, bold? } paths', 'e.g. { font: "./fonts/MyFont-Regular.ttf" }');
  }
  const regular = loadFontFile(regularPath);
  const bold = boldPath ? loadFontFile(boldPath) : null;
  return {
    key: `user:${regularPath}|${boldPath ?? ''}`,
    name: regular.familyName ?? regular.postscriptName ?? regularPath,
    regular,
    bold,
    builtin: false,
    regularPath,
    boldPath,
  };
}

/** The user's fonts, or the built-in ones that cover `texts` (see builtinFontsFor). */
export function resolveFonts(option: FontOption | undefined | null, texts: Iterable<{ text: string; fontWeight?: FontWeight }> = []): FontSet {
  return option == null ? builtinFontsFor(texts) : userFonts(option);
}

function describe(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return `"${ch}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Every character a label uses must exist in the face that draws it: a PDF viewer does no fallback, so a
 * missing glyph would print as an empty box (.notdef). Whitespace and controls are skipped.
 */
/** Characters that print nothing: controls and format characters. */
const INVISIBLE = /^[\p{Cc}\p{Cf}]$/u;

/** Code points already found in a face (per process): decks repeat the same few hundred characters. */
const covered = new WeakMap<FontkitFont, Set<number>>();

export function checkGlyphs(fonts: FontSet, texts: Iterable<{ text: string; fontWeight: FontWeight }>): void {
  for (const t of texts) {
    const face = t.fontWeight === 'bold' && fonts.bold ? 'bold' : 'regular';
    const font = face === 'bold' ? fonts.bold! : fonts.regular;
    let seen = covered.get(font);
    if (!seen) covered.set(font, (seen = new Set()));
    for (const ch of t.text) {
      const cp = ch.codePointAt(0)!;
      if (seen.has(cp)) continue;
      if (INVISIBLE.test(ch)) continue; // dropped when drawing (plainLayout)
      if (font.hasGlyphForCodePoint(cp)) {
        seen.add(cp);
      } else {
        const path = face === 'bold' ? fonts.boldPath : fonts.regularPath;
        throw fontError(
          'font-missing-glyph',
          // The built-in font's path is ours (an install location), not the user's: name the font only.
          `font "${fonts.name}"${fonts.builtin ? '' : ` (${path})`} has no glyph for ${describe(ch)}, used in "${t.text}"`,
          fonts.builtin
            ? 'replace the character, or pass a font that covers it with the font option'
            : 'use a font that covers every character of the labels (for CJK e.g. Noto Sans CJK), or omit the font option to use the built-in Noto Sans Hans',
          'a font with a glyph for every character in the diagram',
        );
      }
    }
  }
}

/** Advance width of `text` at `fontSize` in the given face (same units as fontSize). */
export function measureWith(font: FontkitFont, text: string, fontSize: number): number {
  return (font.layout(text).advanceWidth / font.unitsPerEm) * fontSize;
}
