/**
 * The renderers, loaded only by the command that needs them: `check` loads the protocol core, `render`
 * loads svg (or pdf: pdfkit + fonts), `deck` layout + pdf, and @wiregram/core/node only for `capture`. `--help`
 * loads none of them.
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

/** `parseFenceMeta` of @wiregram/core: the one info-string grammar every host reads alike. */
export interface FenceMeta {
  caption: string | null;
  options: Partial<Record<'style' | 'labelStyle' | 'stateNames' | 'numbering' | 'theme', string>>;
  problems: Array<{ code: string; index: number; length: number; reason: string; expected: string; hint: string | null }>;
}

export interface CoreApi {
  parseFenceMeta: (meta: string | null | undefined) => FenceMeta;
  WiregramError: new (init: { code: string; reason: string; position?: Position | null; expected?: string | null; hint?: string | null }) => Error;
  formatCodeFrame: (error: { reason: string; position: Position | null; hint: string | null; expected: string | null }, source: string, options?: { filename?: string; color?: boolean; context?: number }) => string;
  compileSequence?: (source: string, options?: Record<string, unknown>) => { warnings?: unknown[] };
  parsePacketHeader?: (source: string, options?: Record<string, unknown>) => { warnings?: unknown[] };
  captureToSequenceText?: (input: Uint8Array | Iterable<Uint8Array>, options?: Record<string, unknown>) => string;
  captureToJson?: (input: Uint8Array | Iterable<Uint8Array>, options?: Record<string, unknown>) => unknown;
  selectStream?: (input: Uint8Array | Iterable<Uint8Array>, options?: Record<string, unknown>) => { packets: Array<{ frame: number }>; stream: { index: number }; warnings: Array<{ code: string; reason: string; hint: string | null }> };
  timelineFromScan?: (scan: never, options?: Record<string, unknown>) => unknown;
  /** `0` or `127.0.0.1:50762,127.0.0.1:18080` → what selectStream takes; a WiregramError when it is neither. */
  parseStreamSelector?: (text: string) => { stream: number } | { tuple: Record<string, unknown> };
  formatStreamSelector?: (selector: { stream: number } | { tuple: Record<string, unknown> }) => string;
  indexStreams?: (input: Uint8Array | Iterable<Uint8Array>) => CaptureIndex;
  /** Throws the WiregramError that says why a scan has no stream (no TCP at all, a truncated or corrupt file). */
  withStream?: (scan: CaptureIndex, options?: Record<string, unknown>) => unknown;
  endpointText?: (address: string, port: number) => string;
  timelineToSequenceText?: (timeline: never, frames: readonly number[] | null, options?: Record<string, unknown>) => string;
}

/** The part of core's ScanResult that `import --list` prints. */
export interface CaptureIndex {
  frames: number;
  streams: Array<{
    index: number;
    a: { address: string; port: number };
    b: { address: string; port: number };
    packets: number;
    bytes: number;
    frameBytes: number;
    firstFrame: number;
    lastFrame: number;
    start: number;
    end: number;
    flags: string[];
  }>;
  warnings: Array<{ code: string; reason: string; hint: string | null }>;
}

export interface SvgApi {
  renderSvg(source: string, options: DiagramOptions): string;
  /** SVG plus the core's warnings and the title, from one parse (newer @wiregram/svg). */
  render?(source: string, options: DiagramOptions): { svg: string; warnings: unknown[]; title: string };
}

export interface LayoutApi {
  layoutSource(source: string, options: DiagramOptions): Scene;
  /** What `render` (svg.render, renderPdf) runs under the hood: the scene and the core's warnings, one parse. */
  layoutSourceWithModel(source: string, options: DiagramOptions): { scene: Scene; warnings: unknown[] };
}

export interface PdfApi {
  renderPdf(source: string, options: Record<string, unknown>): Uint8Array;
  scenesToPdf(scenes: readonly Scene[], options: Record<string, unknown>): Uint8Array;
}

let core: Promise<CoreApi> | undefined;
let svg: Promise<SvgApi> | undefined;
let layout: Promise<LayoutApi> | undefined;
let pdf: Promise<PdfApi> | undefined;

/** @wiregram/core/node: the project-confined file reader for `capture` statements. */
export interface CoreNodeApi {
  projectFileReader(root: string, fromFile: string): (path: string, position?: Position | null) => Uint8Array;
}
let coreNode: Promise<CoreNodeApi> | undefined;
export const loadCoreNode = () => (coreNode ??= import('@wiregram/core/node') as unknown as Promise<CoreNodeApi>);

export const loadCore = () => (core ??= import('@wiregram/core') as unknown as Promise<CoreApi>);
export const loadSvg = () => (svg ??= import('@wiregram/svg') as unknown as Promise<SvgApi>);
export const loadLayout = () => (layout ??= import('@wiregram/layout') as unknown as Promise<LayoutApi>);
export const loadPdf = () => (pdf ??= import('@wiregram/pdf') as unknown as Promise<PdfApi>);

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
