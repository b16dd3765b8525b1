/**
 * @wiregram/png — a diagram as a PNG picture, for the slide and office tools that take pictures (PowerPoint,
 * Keynote, Google Slides, Word) and for Pandoc's pptx/docx/odt output. Rasterised by resvg (a native binary
 * shipped inside its npm package: no browser), with the built-in Noto Sans Hans the layout measured with, so CJK
 * labels render and text sits where the layout put it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Diagnostic, WiregramError, withWiregramErrors } from '@wiregram/core';
import { FONT } from '@wiregram/layout';
import { render, type SvgOptions } from '@wiregram/svg';
import { cachedSubset } from './font-cache.js';
import { subsetFont } from './subset.js';
import { textsToPaths } from './text-paths.js';

const require = createRequire(import.meta.url);

/** How big the picture is: `scale` × the SVG's CSS pixels, or `dpi` (96 dpi = scale 1). One of the two. */
export interface PngOptions {
  /** Device pixels per CSS pixel, > 0 and ≤ 16 (default 2: sharp on a projector and a retina screen). */
  scale?: number;
  /** Dots per inch, as office tools count them (scale = dpi / 96); > 0 and ≤ 1536. */
  dpi?: number;
  /** Most pixels (width × height) one picture may have (default 64 000 000, e.g. 8000 × 8000). */
  maxPixels?: number;
}

/** `renderPng`'s options: the diagram options of `render` (style, labelStyle, …), the theme, and the size. */
export type RenderPngOptions = Omit<SvgOptions, 'styles' | 'darkClass' | 'darkSelector' | 'theme'> &
  PngOptions & {
    /** `light` (default; `auto` is light too: a picture cannot follow the reader's colour scheme) or `dark`. */
    theme?: 'auto' | 'light' | 'dark';
  };

export interface PngResult {
  /** The PNG file's bytes; byte-identical for the same source and options. */
  png: Uint8Array;
  /** Its size in pixels. */
  width: number;
  height: number;
  /** The diagram's accessible name, for alt text. */
  title: string;
  /** The core's non-fatal findings, as `render` reports them. */
  warnings: Diagnostic[];
}

export const DEFAULT_SCALE = 2;
export const DEFAULT_MAX_PIXELS = 64_000_000;
const MAX_SCALE = 16;

function bad(code: string, reason: string, expected: string, hint: string): never {
  throw new WiregramError({ code, reason, expected, hint });
}

/** The scale `options` ask for (validated): `dpi / 96`, else `scale`, else 2. */
export function pngScale(options: PngOptions = {}): number {
  const { scale, dpi } = options;
  if (scale !== undefined && dpi !== undefined) bad('invalid-png-option', 'both scale and dpi are set', 'one of them', 'scale 2 is 192 dpi: keep one');
  if (dpi !== undefined) {
    if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi <= 0 || dpi > MAX_SCALE * 96) bad('invalid-png-option', `dpi ${String(dpi)} is out of range`, `a number above 0 and at most ${MAX_SCALE * 96}`, 'e.g. dpi: 192 (twice the CSS pixel size)');
    return dpi / 96;
  }
  if (scale === undefined) return DEFAULT_SCALE;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) bad('invalid-png-option', `scale ${String(scale)} is out of range`, `a number above 0 and at most ${MAX_SCALE}`, 'e.g. scale: 2 for a sharp slide picture');
  return scale;
}

interface RenderedImage {
  asPng(): Uint8Array;
  width: number;
  height: number;
}
/** resvg-js's native binding (its options as JSON text). */
interface ResvgModule {
  Resvg: new (svg: string, options: string) => { width: number; height: number; render(): RenderedImage };
  /** Parses and draws on a libuv worker thread (the PNG is encoded by the caller, on its own thread). */
  renderAsync(svg: string, options: string, signal: null): Promise<RenderedImage>;
}
/** The binding's package for this platform where no C-library question arises (Linux: glibc's, tried first). */
const BINDINGS: Record<string, string> = {
  'linux-x64': '@resvg/resvg-js-linux-x64-gnu',
  'linux-arm64': '@resvg/resvg-js-linux-arm64-gnu',
  'darwin-x64': '@resvg/resvg-js-darwin-x64',
  'darwin-arm64': '@resvg/resvg-js-darwin-arm64',
  'win32-x64': '@resvg/resvg-js-win32-x64-msvc',
};

/**
 * resvg's native binding, loaded on the first picture (the binary costs start-up time nothing else should pay).
 * resvg-js's own loader asks `process.report.getReport()` whether the C library is musl, ~10 ms of a fresh
 * process; the package for this platform is required directly instead, from resvg-js's own dependencies. On
 * anything else, or if that fails (musl: the glibc binary does not load), resvg-js's loader decides.
 */
function loadResvg(): ResvgModule {
  const fromResvg = createRequire(require.resolve('@resvg/resvg-js'));
  const direct = BINDINGS[`${process.platform}-${process.arch}`];
  if (direct) {
    try {
      return fromResvg(direct) as ResvgModule;
    } catch {
      // not installed here, or not loadable: the package's own loader below
    }
  }
  return fromResvg('./js-binding.js') as ResvgModule;
}
let resvg: ResvgModule | null = null;
let fontFiles: string[] | null = null;

/** The built-in font files, the ones the layout measured with (FONT.files in @embedpdf/fonts-sc/fonts/). */
function builtinFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  // The package exports only its JS entry; the fonts sit next to its dist/ folder.
  // FONT.package, spelled out so the dependency is visible to tools (and to the package's own checks).
  const root = dirname(dirname(require.resolve('@embedpdf/fonts-sc')));
  return (fontFiles = [join(root, 'fonts', FONT.files.normal), join(root, 'fonts', FONT.files.bold)]);
}

const FAILED = { code: 'png-failed', reason: 'could not rasterise the diagram', hint: 'this is a bug in wiregram; please report it with the diagram source' };

/**
 * A standalone SVG → PNG. The SVG must not rely on CSS custom properties (resvg ignores them and paints black):
 * give it `render(…, { styles: 'resolved' })` output, as `renderPng` does. Only the built-in fonts are used,
 * never the system's, so the picture is the same on every machine.
 */
export function svgToPng(svg: string, options: PngOptions = {}): { png: Uint8Array; width: number; height: number } {
  return withWiregramErrors(() => {
    const job = prepare(svg, options);
    try {
      return picture(job.doc.render());
    } finally {
      job.done();
    }
  }, FAILED);
}

/**
 * `svgToPng`, with the drawing on a worker thread of Node's pool: a caller with many pictures (the Pandoc filter)
 * prepares the next one while this one is drawn — the same bytes, the same CPU time, less waiting on 2+ cores.
 */
export async function svgToPngAsync(svg: string, options: PngOptions = {}): Promise<{ png: Uint8Array; width: number; height: number }> {
  const job = withWiregramErrors(() => prepare(svg, options), FAILED);
  try {
    const image = await job.resvg.renderAsync(job.svg, job.options, null);
    return withWiregramErrors(() => picture(image), FAILED);
  } catch (e) {
    return withWiregramErrors(() => {
      throw e;
    }, FAILED);
  } finally {
    job.done();
  }
}

const picture = (image: RenderedImage) => ({ png: image.asPng(), width: image.width, height: image.height });

interface Job {
  resvg: ResvgModule;
  /** What resvg draws and how (the SVG with its labels as paths; the options as JSON). */
  svg: string;
  options: string;
  /** The parsed document, its size checked. */
  doc: InstanceType<ResvgModule['Resvg']>;
  /** Removes the job's temporary font files, if any. */
  done(): void;
}

function prepare(svg: string, options: PngOptions): Job {
  if (typeof svg !== 'string') bad('png-source', 'svgToPng expects an SVG document as a string', 'a string', 'pass what render(…, { styles: "resolved" }).svg returns');
  const scale = pngScale(options);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(Number.isInteger(maxPixels) && maxPixels > 0)) bad('invalid-png-option', `maxPixels ${String(maxPixels)} is not a whole number above 0`, 'a whole number above 0', `omit it for ${DEFAULT_MAX_PIXELS}`);
  resvg ??= loadResvg();
  // wiregram's labels become paths of the built-in font's outlines (text-paths.ts): resvg then needs no font.
  const paths = textsToPaths(svg);
  if (!paths.textLeft) return parse(resvg, paths.svg, scale, maxPixels, [], () => {});
  // Other text (an SVG not written by wiregram) is drawn by resvg with the fonts cut down to the characters of
  // the SVG (its text, and more: a superset costs nothing), as files (see subset.ts): from the user's cache of
  // subsets (font-cache.ts), else made for this call only, in a directory of its own.
  const fonts = builtinFontFiles();
  const cached = fonts.map((path) => cachedSubset(path, paths.svg, subsetFont));
  if (cached.every((f): f is string => f !== null)) return parse(resvg, paths.svg, scale, maxPixels, cached, () => {});
  const dir = mkdtempSync(join(tmpdir(), 'wiregram-png-'));
  const done = () => rmSync(dir, { recursive: true, force: true });
  try {
    const files = fonts.map((path, i) => {
      const file = join(dir, `font-${i}.otf`);
      writeFileSync(file, subsetFont(path, paths.svg));
      return file;
    });
    return parse(resvg, paths.svg, scale, maxPixels, files, done);
  } catch (e) {
    done();
    throw e;
  }
}

function parse(resvg: ResvgModule, svg: string, scale: number, maxPixels: number, fontFiles: string[], done: () => void): Job {
  // The subsets keep the typographic family name (FONT.name without its weight); `sans-serif` and any family
  // the SVG names but the picture does not have are drawn with it.
  const family = FONT.name.replace(/ Regular$/, '');
  const font = { loadSystemFonts: false, fontFiles, defaultFontFamily: family, sansSerifFamily: family };
  // `crop`: resvg-js 2.6.2 copies the whole picture into a new one after drawing (its crop step runs with the
  // full-size rectangle when none is given): 5× the drawing itself for a diagram. An empty rectangle is skipped
  // there (tiny-skia's IntRect::from_ltrb refuses it), so the drawn picture is returned as is: the same pixels.
  const options = JSON.stringify({ fitTo: { mode: 'zoom', value: scale }, font, crop: { left: 0, top: 0, right: 0, bottom: 0 } });
  const doc = new resvg.Resvg(svg, options);
  // Checked before any pixel is allocated: the size follows from the viewBox and the scale.
  const w = Math.ceil(doc.width * scale);
  const h = Math.ceil(doc.height * scale);
  if (w * h > maxPixels) {
    done();
    bad('png-too-large', `the picture would be ${w} × ${h} pixels (${w * h}), more than maxPixels ${maxPixels}`, `at most ${maxPixels} pixels`, 'lower the scale (or dpi), or raise maxPixels (--max-pixels)');
  }
  return { resvg, svg, options, doc, done };
}

/** Text (a `tcp-sequence` or `packet-header` block) → PNG. Bad input throws a `WiregramError`, as `render` does. */
export function renderPng(source: string, options: RenderPngOptions = {}): PngResult {
  const { scale, dpi, maxPixels, theme, ...diagram } = options ?? {};
  const size: PngOptions = { ...(scale !== undefined ? { scale } : {}), ...(dpi !== undefined ? { dpi } : {}), ...(maxPixels !== undefined ? { maxPixels } : {}) };
  pngScale(size); // a bad size is the error before any work
  const result = render(source, { ...diagram, theme: theme === 'dark' ? 'dark' : 'light', styles: 'resolved' });
  return { ...svgToPng(result.svg, size), title: result.title, warnings: result.warnings };
}
