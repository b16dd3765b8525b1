import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
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

/**
 * The text sizes (pt on paper) shown on each page, from the content streams: the font size (Tf) times the
 * text matrix and current transformation scales, at every Tj/TJ. pdftotext cannot report font sizes.
 */
export function pageTextSizes(bytes: Uint8Array): number[][] {
  const pdf = Buffer.from(bytes);
  const raw = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; start: number }>();
  for (const m of raw.matchAll(/(\d+) 0 obj\s*/g)) objects.set(Number(m[1]), { dict: raw.slice(m.index + m[0].length, m.index + m[0].length + 2000), start: m.index + m[0].length });
  const streamOf = (id: number): string => {
    const o = objects.get(id)!;
    const at = raw.indexOf('stream', o.start);
    let begin = at + 'stream'.length;
    if (raw[begin] === '\r') begin++;
    if (raw[begin] === '\n') begin++;
    const length = Number(/\/Length (\d+)/.exec(o.dict)![1]);
    const data = pdf.subarray(begin, begin + length);
    return (/\/FlateDecode/.test(o.dict.slice(0, o.dict.indexOf('stream'))) ? inflateSync(data) : data).toString('latin1');
  };
  const root = [...objects.values()].find((o) => /^<<\s*\/Type \/Pages/.test(o.dict))!;
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(root.dict)![1]!.matchAll(/(\d+) 0 R/g))].map((m) => Number(m[1]));
  return kids.map((kid) => {
    const contents = Number(/\/Contents (\d+) 0 R/.exec(objects.get(kid)!.dict)![1]);
    const sizes: number[] = [];
    const stack: number[] = [];
    let ctm = 1;
    let tm = 1;
    let tf = 0;
    const operands: number[] = [];
    for (const tok of streamOf(contents).replace(/\[[^\]]*\]|<[0-9a-fA-F\s]*>|\([^)]*\)/g, ' x ').split(/\s+/)) {
      if (tok === '' || tok === 'x' || tok.startsWith('/')) continue;
      if (/^-?[\d.]+$/.test(tok)) operands.push(Number(tok));
      else {
        const n = operands.splice(0);
        const det = (a: number[]) => Math.sqrt(Math.abs(a[a.length - 6]! * a[a.length - 3]! - a[a.length - 5]! * a[a.length - 4]!));
        if (tok === 'q') stack.push(ctm);
        else if (tok === 'Q') ctm = stack.pop() ?? 1;
        else if (tok === 'cm') ctm *= det(n);
        else if (tok === 'BT') tm = 1;
        else if (tok === 'Tm') tm = det(n);
        else if (tok === 'Tf') tf = n[n.length - 1]!;
        else if (tok === 'TJ' || tok === 'Tj') sizes.push(tf * tm * ctm);
      }
    }
    return sizes;
  });
}
