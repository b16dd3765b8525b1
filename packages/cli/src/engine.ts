/**
 * The renderers, loaded only by the command that needs them: `check` loads the protocol core, `render`
 * loads svg (or pdf: pdfkit + fonts), `deck` layout + pdf, and @wiregram/core/node only for `capture`. `--help`
 * loads none of them.
 * The API types are the packages' own (`typeof import(…)`): type-only, erased from the emitted JavaScript, so
 * nothing is loaded until a command calls one of the loaders below.
 */
import type { DiagramLanguage } from '@wiregram/core';
import type { SvgOptions } from '@wiregram/svg';

export type CoreApi = typeof import('@wiregram/core');
/** @wiregram/core/node: the project-confined file reader for `capture` statements. */
export type CoreNodeApi = typeof import('@wiregram/core/node');
export type LayoutApi = typeof import('@wiregram/layout');
export type SvgApi = typeof import('@wiregram/svg');
export type PdfApi = typeof import('@wiregram/pdf');
export type PngApi = typeof import('@wiregram/png');

/** One diagram's renderer options: what svg's `render` takes (layout's options included), language always set. */
export type DiagramOptions = SvgOptions & { language: DiagramLanguage };

let core: Promise<CoreApi> | undefined;
let coreNode: Promise<CoreNodeApi> | undefined;
let svg: Promise<SvgApi> | undefined;
let layout: Promise<LayoutApi> | undefined;
let pdf: Promise<PdfApi> | undefined;
let png: Promise<PngApi> | undefined;

export const loadCoreNode = () => (coreNode ??= import('@wiregram/core/node'));
let coreLoaded: CoreApi | undefined;
export const loadCore = () => (core ??= import('@wiregram/core').then((m) => (coreLoaded = m)));
/** The core module if a command has loaded it, else undefined: synchronous code must not pull it into start-up. */
export const loadedCore = (): CoreApi | undefined => coreLoaded;
export const loadSvg = () => (svg ??= import('@wiregram/svg'));
export const loadLayout = () => (layout ??= import('@wiregram/layout'));
export const loadPdf = () => (pdf ??= import('@wiregram/pdf'));
/** resvg's native binary and the font files are opened on the first picture, not on import. */
export const loadPng = () => (png ??= import('@wiregram/png'));
