/**
 * pdfkit and fontkit, required on first use rather than imported: a program that loads this package but draws no
 * PDF never pays for them (with fontkit's shaping tables and pdfkit's crypto they are most of a deck's start-up).
 * The CLI's bundle swaps this one module for a loader of its own single-file copy of both
 * (packages/cli/scripts/bundle.mjs), so keep these two functions the only way in.
 */
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';

const require = createRequire(import.meta.url);

export const loadPdfkit = (): typeof PDFDocumentClass => require('pdfkit') as typeof PDFDocumentClass;
/** fontkit's module; fonts.ts types the part it uses. */
export const loadFontkit = (): unknown => require('fontkit');
