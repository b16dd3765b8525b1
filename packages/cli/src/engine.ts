/**
 * The renderers, loaded only by the command that needs them: `check` loads the protocol core, `render`
 * loads svg (or pdf: pdfkit + fonts), `deck` layout + pdf, `import` the capture readers. `--help` loads none.
 * The shapes below are the agreed public API (TEAM.md); typed here so a command sees exactly what it uses.
 */
import type { Position } from '@wiregram/core';
import type { Scene } from '@wiregram/layout';
import type { DiagramLanguage } from './inputs.js';

export type ReadFile = (path: string, position: Position | null) => Uint8Array;

export interface DiagramOptions {
  language: DiagramLanguage;
  style?: string;
  labelStyle?: string;
  stateNames?: string;
  numbering?: string;
  theme?: string;
  idPrefix?: string;
  readFile?: ReadFile;
}

export interface CoreApi {
  WiregramError: new (init: { code: string; reason: string; position?: Position | null; expected?: string | null; hint?: string | null }) => Error;
  formatCodeFrame: (error: { reason: string; position: Position | null; hint: string | null; expected: string | null }, source: string, options?: { filename?: string; color?: boolean; context?: number }) => string;
  compileSequence?: (source: string, options?: Record<string, unknown>) => { warnings?: unknown[] };
  parsePacketHeader?: (source: string, options?: Record<string, unknown>) => { warnings?: unknown[] };
  captureToSequenceText?: (input: Uint8Array | Iterable<Uint8Array>, options?: Record<string, unknown>) => string;
  captureToJson?: (input: Uint8Array | Iterable<Uint8Array>, options?: Record<string, unknown>) => unknown;
  selectStream?: (input: Uint8Array | Iterable<Uint8Array>, options?: Record<string, unknown>) => { packets: Array<{ frame: number }>; warnings: Array<{ code: string; reason: string; hint: string | null }> };
  timelineFromScan?: (scan: never, options?: Record<string, unknown>) => unknown;
  timelineToSequenceText?: (timeline: never, frames: readonly number[] | null, options?: Record<string, unknown>) => string;
}

export interface SvgApi {
  renderSvg(source: string, options: DiagramOptions): string;
  /** SVG plus the core's warnings and the title, from one parse (newer @wiregram/svg). */
  render?(source: string, options: DiagramOptions): { svg: string; warnings: unknown[]; title: string };
}

export interface LayoutApi {
  layoutSource(source: string, options: DiagramOptions): Scene;
}

export interface PdfApi {
  renderPdf(source: string, options: Record<string, unknown>): Uint8Array;
  scenesToPdf(scenes: readonly Scene[], options: Record<string, unknown>): Uint8Array;
}

let core: Promise<CoreApi> | undefined;
let svg: Promise<SvgApi> | undefined;
let layout: Promise<LayoutApi> | undefined;
let pdf: Promise<PdfApi> | undefined;

export const loadCore = () => (core ??= import('@wiregram/core') as unknown as Promise<CoreApi>);
export const loadSvg = () => (svg ??= import('@wiregram/svg') as unknown as Promise<SvgApi>);
export const loadLayout = () => (layout ??= import('@wiregram/layout') as unknown as Promise<LayoutApi>);
export const loadPdf = () => (pdf ??= import('@wiregram/pdf') as unknown as Promise<PdfApi>);

/** Per-block options from the fence's info string: ```tcp-sequence style=lifeline label-style=flags */
const META_KEYS: Record<string, keyof DiagramOptions> = {
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

const META_VALUES: Partial<Record<keyof DiagramOptions, readonly string[]>> = {
  style: ['states', 'lifeline', 'flow'],
  labelStyle: ['textbook', 'flags', 'wireshark'],
  stateNames: ['underscore', 'hyphen'],
  numbering: ['relative', 'absolute'],
  theme: ['auto', 'light', 'dark'],
};

/** Keys other tools put in the info string that are not ours to judge. */
const META_IGNORED = new Set(['title', 'caption', 'id', 'class', 'name', 'filename', 'source', 'show-source']);

export interface MetaFinding {
  severity: 'error' | 'warning';
  /** Index of the `key=value` token in the meta string. */
  index: number;
  length: number;
  reason: string;
  expected: string | null;
}

const META_TOKEN = /([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))/g;

export function metaOptions(meta: string): Partial<DiagramOptions> {
  const out: Record<string, string> = {};
  for (const m of meta.matchAll(META_TOKEN)) {
    const key = META_KEYS[m[1]!.toLowerCase()];
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (key && (META_VALUES[key] ?? []).includes(value)) out[key] = value;
  }
  return out as Partial<DiagramOptions>;
}

/** Bad values (errors: the block would silently draw otherwise) and unknown keys (warnings) of a fence's options. */
export function checkMeta(meta: string): MetaFinding[] {
  const findings: MetaFinding[] = [];
  for (const m of meta.matchAll(META_TOKEN)) {
    const name = m[1]!.toLowerCase();
    const key = META_KEYS[name];
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (key) {
      const allowed = META_VALUES[key] ?? [];
      if (!allowed.includes(value)) {
        findings.push({ severity: 'error', index: m.index!, length: m[0].length, reason: `unknown ${m[1]} "${value}" in the fence's options`, expected: allowed.join(', ') });
      }
    } else if (!META_IGNORED.has(name)) {
      findings.push({ severity: 'warning', index: m.index!, length: m[0].length, reason: `the fence option ${m[1]} is not one wiregram knows; it is ignored`, expected: Object.keys(META_KEYS).join(', ') });
    }
  }
  return findings;
}

/** The caption a fence's info string gives (`title="…"`, `caption=…`, or its plain words), as remark-wiregram reads it. */
export function metaCaption(meta: string): string | null {
  let caption: string | null = null;
  const words: string[] = [];
  for (const m of meta.replace(/^\{|\}$/g, '').matchAll(/([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g)) {
    if (m[1] !== undefined) {
      if (/^(title|caption)$/i.test(m[1])) caption = m[2] ?? m[3] ?? m[4] ?? '';
    } else if (m[5] !== 'source' && m[5] !== 'show-source') words.push(m[5]!);
  }
  return caption ?? (words.length ? words.join(' ') : null);
}

/** The `<title>` of an SVG (the diagram's accessible name), for alt text. */
export function svgTitle(svgText: string): string | null {
  const m = /<title[^>]*>([^<]*)<\/title>/.exec(svgText);
  if (!m) return null;
  return m[1]!
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .trim();
}
