import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'wg-pdf-test-'));
let n = 0;

/** Write the bytes to a temp file and return its path (poppler reads files). */
export function pdfFile(bytes: Uint8Array, name = 'out'): string {
  const path = join(dir, `${name}-${n++}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

/** pdftotext of one page (1-based) or the whole document, in reading order. */
export function pdfText(path: string, page?: number): string {
  const args = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', [...args, '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

export interface PdfInfo {
  pages: number;
  /** Size of each page in pt. */
  sizes: Array<[number, number]>;
  fields: Record<string, string>;
}

/** pdfinfo; a PDF poppler complains about (syntax errors, broken xref) fails the test. */
export function pdfInfo(path: string): PdfInfo {
  const r = spawnSync('pdfinfo', ['-f', '1', '-l', '9999', path], { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`pdfinfo: ${r.stderr}`);
  const out = r.stdout;
  const fields: Record<string, string> = {};
  const sizes: Array<[number, number]> = [];
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    fields[m[1]!] = m[2]!;
    const size = /^Page\s+\d+ size:\s*([\d.]+) x ([\d.]+) pts/.exec(line);
    if (size) sizes.push([Number(size[1]), Number(size[2])]);
  }
  return { pages: Number(fields.Pages), sizes, fields };
}

/** pdffonts: the embedded fonts (name, type, emb). */
export function pdfFonts(path: string): string {
  return execFileSync('pdffonts', [path], { encoding: 'utf8' });
}

/** Render pages to PNG under /tmp/wg-pdf/ for a human to look at (not asserted). */
export function toPng(path: string, name: string): void {
  mkdirSync('/tmp/wg-pdf', { recursive: true });
  execFileSync('pdftoppm', ['-png', '-r', '110', path, join('/tmp/wg-pdf', name)]);
}

/** Position of each needle in the haystack, in order; -1 when missing. */
export function order(haystack: string, needles: string[]): number[] {
  return needles.map((s) => haystack.indexOf(s));
}

/** Remove whitespace: pdftotext may break or space rotated and CJK text. */
export function squash(s: string): string {
  return s.replace(/\s+/g, '');
}
