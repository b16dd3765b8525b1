import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Scene, SceneText } from '@wiregram/layout';
import { scenesToPdf } from '../src/index.js';
import { cffOptions } from '../src/cff.js';
import { flagsScene, handshakeScene, wavehandScene } from './fixtures/scenes.js';
import { order, pdfFile, pdfFonts, pdfInfo, pdfText, squash, toPng } from './helpers.js';
import { thrown } from '../../../test/support/errors.js';

const font = (name: string) => fileURLToPath(new URL(`./fixtures/fonts/${name}`, import.meta.url));

function texts(scene: Scene, role?: string): string[] {
  return scene.items.filter((i): i is SceneText => i.type === 'text' && (!role || i.role === role)).map((i) => i.text);
}

function labelsOfStep(scene: Scene, step: number): string[] {
  return scene.items.filter((i): i is SceneText => i.type === 'text' && i.role === 'label' && i.step === step).map((i) => i.text);
}

/** RGB of the pixel at (x, y) of page 1 rendered at 10 dpi. */
function pixel(path: string, x: number, y: number): [number, number, number] {
  const ppm = execFileSync('pdftoppm', ['-r', '10', '-f', '1', '-l', '1', path]);
  // Binary PPM: "P6\n<w> <h>\n255\n" then RGB triples.
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const w = Number(header[1]);
  const at = header[0].length + (y * w + x) * 3;
  return [ppm[at]!, ppm[at + 1]!, ppm[at + 2]!];
}

describe('text and reading order', () => {
  test('every label, state, participant and the divider of the handshake are in the PDF, CJK included', () => {
    const scene = handshakeScene();
    const path = pdfFile(scenesToPdf([scene]), 'handshake');
    toPng(path, 'handshake');
    const text = squash(pdfText(path));
    for (const t of texts(scene)) expect(text).toContain(squash(t));
    for (const cjk of ['客户端', '服务端', '数据传输', 'TCP三次握手']) expect(text).toContain(cjk);
  });

  test('labels read top to bottom in segment order, states in time order', () => {
    const path = pdfFile(scenesToPdf([handshakeScene()]), 'order');
    const text = squash(pdfText(path));
    const labels = order(text, ['SYN,seq=x', 'SYN,ACK,seq=y,ack=x+1', 'ACK,seq=x+1,ack=y+1', '数据传输']);
    expect(labels.every((i) => i >= 0)).toBe(true);
    expect([...labels].sort((a, b) => a - b)).toEqual(labels);
    const client = order(text, ['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect([...client].sort((a, b) => a - b)).toEqual(client);
    expect(text.indexOf('客户端')).toBeLessThan(text.indexOf('CLOSED'));
  });

  test('rotated flag letters are drawn as text, in drawing order', () => {
    const scene = flagsScene();
    const path = pdfFile(scenesToPdf([scene]), 'flags');
    toPng(path, 'flags');
    const raw = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    const flags = order(raw, texts(scene, 'flag'));
    expect(flags.every((i) => i >= 0)).toBe(true);
    expect([...flags].sort((a, b) => a - b)).toEqual(flags);
    expect(squash(raw)).toContain('Window窗口');
  });
});

describe('pages', () => {
  const scene = handshakeScene();
  const sizeOf = (options: Parameters<typeof scenesToPdf>[1]) => pdfInfo(pdfFile(scenesToPdf([scene], options))).sizes[0]!;

  test('fit: the page is the diagram at 0.75 pt/px plus the margin', () => {
    expect(sizeOf({})).toEqual([scene.width * 0.75 + 36, scene.height * 0.75 + 36]);
    expect(sizeOf({ margin: 0 })).toEqual([scene.width * 0.75, scene.height * 0.75]);
    expect(sizeOf({ margin: 0, maxScale: 2 })).toEqual([scene.width * 1.5, scene.height * 1.5]);
  });

  test('paper sizes, with the orientation the diagram fits better', () => {
    // The handshake is wider than tall: landscape gives it more room.
    expect(sizeOf({ pageSize: 'a4' })).toEqual([841.89, 595.28]);
    expect(sizeOf({ pageSize: 'a4', orientation: 'portrait' })).toEqual([595.28, 841.89]);
    expect(sizeOf({ pageSize: 'letter', orientation: 'portrait' })).toEqual([612, 792]);
    const tall: Scene = { ...scene, width: 300, height: 900 };
    expect(pdfInfo(pdfFile(scenesToPdf([tall], { pageSize: 'letter' }))).sizes[0]).toEqual([612, 792]);
  });

  test('slides: 16:9 and 4:3, with a page title', () => {
    expect(sizeOf({ pageSize: '16:9' })).toEqual([960, 540]);
    expect(sizeOf({ pageSize: '4:3' })).toEqual([960, 720]);
    const path = pdfFile(scenesToPdf([scene], { pageSize: '16:9', title: '握手 handshake' }), 'slide');
    toPng(path, 'slide');
    const text = pdfText(path);
    expect(text.trimStart().startsWith('握手 handshake')).toBe(true);
    // The page title replaces the diagram's own title instead of repeating it.
    expect(text).not.toContain('TCP 三次握手');
  });

  test('the diagram is centred on the page and scaled to fit', () => {
    const path = pdfFile(scenesToPdf([{ ...scene, width: 2000 }], { pageSize: 'a4', margin: 50 }), 'wide');
    const out = execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' });
    const xs = [...out.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(xs.length).toBeGreaterThan(0);
    for (const [x0, x1] of xs) {
      expect(x0).toBeGreaterThanOrEqual(49);
      expect(x1).toBeLessThanOrEqual(841.89 - 49);
    }
  });

  test('a deck: many diagrams, one page each, each page with its own labels', () => {
    const a = handshakeScene();
    const b = wavehandScene();
    const path = pdfFile(scenesToPdf([a, b, flagsScene()], { pageSize: '16:9' }), 'deck');
    const info = pdfInfo(path);
    expect(info.pages).toBe(3);
    expect(info.sizes).toEqual([[960, 540], [960, 540], [960, 540]]);
    const p1 = squash(pdfText(path, 1));
    const p2 = squash(pdfText(path, 2));
    expect(p1).toContain('SYN,seq=x');
    expect(p1).not.toContain('FIN,seq=u');
    for (const t of texts(b)) expect(p2).toContain(squash(t));
    expect(p2).not.toContain('SYN,seq=x');
    // A bookmark per diagram, named by its title.
    const outline = Buffer.from(scenesToPdf([a, b, flagsScene()])).toString('latin1');
    expect(outline).toMatch(/\/Outlines \d+ 0 R/);
    expect(outline).toContain('(TCP header)');
  });
});

describe('steps mode', () => {
  test('one page per segment plus the opening page; page k shows segment k but not k+1', () => {
    const scene = wavehandScene();
    const path = pdfFile(scenesToPdf([scene], { steps: true, pageSize: '4:3' }), 'steps');
    toPng(path, 'steps');
    const info = pdfInfo(path);
    expect(info.pages).toBe(scene.steps + 1);
    for (let k = 0; k <= scene.steps; k++) {
      const text = squash(pdfText(path, k + 1));
      // Participants are on every page.
      expect(text).toContain('客户端');
      expect(text).toContain('服务端');
      for (let j = 1; j <= scene.steps; j++) {
        for (const label of labelsOfStep(scene, j)) {
          if (j <= k) expect(text, `page ${k + 1} shows segment ${j}`).toContain(squash(label));
          else expect(text, `page ${k + 1} hides segment ${j}`).not.toContain(squash(label));
        }
      }
    }
    // States arrive with the segment that causes them.
    expect(pdfText(path, 2)).not.toContain('FIN_WAIT_2');
    expect(pdfText(path, 3)).toContain('FIN_WAIT_2');
  });

  test('a diagram without steps (a header) stays one page; decks mix both', () => {
    const path = pdfFile(scenesToPdf([flagsScene(), handshakeScene()], { steps: true }), 'mixed');
    expect(pdfInfo(path).pages).toBe(1 + 4);
  });

  test('every page of a step deck has the same size, so the diagram does not jump', () => {
    const info = pdfInfo(pdfFile(scenesToPdf([handshakeScene()], { steps: true })));
    expect(new Set(info.sizes.map((s) => s.join('x'))).size).toBe(1);
  });
});

describe('determinism and size', () => {
  test('the same input gives byte-identical PDFs; a different input a different document ID', () => {
    const a = scenesToPdf([handshakeScene(), wavehandScene()], { steps: true, pageSize: '16:9' });
    const b = scenesToPdf([handshakeScene(), wavehandScene()], { steps: true, pageSize: '16:9' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = scenesToPdf([wavehandScene()]);
    const id = (bytes: Uint8Array) => /\/ID \[<([0-9a-f]+)>/.exec(Buffer.from(bytes).toString('latin1'))?.[1];
    expect(id(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(a)).not.toBe(id(c));
    expect(pdfInfo(pdfFile(a)).fields.CreationDate).toContain('2000');
  });

  test('byte-identical across fresh processes (no per-process state in the output; uses the built dist/)', () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const scenePath = pdfFile(new TextEncoder().encode(JSON.stringify(wavehandScene())), 'scene-json');
    const script = `
      import { readFileSync } from 'node:fs';
      const { scenesToPdf } = await import(${JSON.stringify(dist)});
      const scene = JSON.parse(readFileSync(${JSON.stringify(scenePath)}, 'utf8'));
      // With WG_WARM, other documents are drawn first: cached fonts must not leak into the next document.
      if (process.env.WG_WARM) for (const t of ['TCP 四次挥手 x', 'other 其他']) scenesToPdf([{ ...scene, items: [...scene.items, { ...scene.items.find((i) => i.type === 'text'), text: t }] }], { pageSize: 'a4', theme: 'dark' });
      process.stdout.write(Buffer.from(scenesToPdf([scene], { steps: true })).toString('base64'));`;
    const run = (warm: boolean) =>
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, WG_WARM: warm ? '1' : '' } });
    const a = run(false);
    expect(a.length).toBeGreaterThan(1000);
    expect(run(false)).toBe(a);
    expect(run(true)).toBe(a);
  });

  test('a wavehand page with CJK participant names stays under 80 KB, the font embedded as a subset', () => {
    const bytes = scenesToPdf([wavehandScene()]);
    expect(bytes.length).toBeLessThan(80 * 1024);
    const fonts = pdfFonts(pdfFile(bytes));
    expect(fonts).toMatch(/\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(fonts).toMatch(/\+NotoSansHans-Bold/);
    expect(fonts).not.toContain('Helvetica');
    // Subset tags name the subset: the same glyphs give the same tag, other glyphs another one.
    const tag = (f: string) => /([A-Z]{6})\+NotoSansHans-Regular/.exec(f)?.[1];
    expect(tag(pdfFonts(pdfFile(scenesToPdf([wavehandScene()], { pageSize: 'a4' }))))).toBe(tag(fonts));
    expect(tag(pdfFonts(pdfFile(scenesToPdf([handshakeScene()]))))).not.toBe(tag(fonts));
  });

  test('flattened CFF subsets render exactly like the subsets fontkit writes, and are much smaller', () => {
    const scenes = [handshakeScene(), wavehandScene(), flagsScene()];
    const flat = scenesToPdf(scenes);
    cffOptions.flatten = false;
    let plain: Uint8Array;
    try {
      plain = scenesToPdf(scenes);
    } finally {
      cffOptions.flatten = true;
    }
    expect(flat.length).toBeLessThan(plain.length / 2);
    const png = (bytes: Uint8Array, page: number) =>
      execFileSync('pdftoppm', ['-png', '-r', '150', '-f', String(page), '-l', String(page), pdfFile(bytes, 'cff'), '-']);
    for (let page = 1; page <= 3; page++) expect(png(flat, page).equals(png(plain, page)), `page ${page}`).toBe(true);
  });

  test('later documents reuse the glyphs flattened and the subsets encoded before: same bytes, same text and fonts', () => {
    const first = scenesToPdf([handshakeScene()]);
    // Other glyphs in between (another subset of the same fonts), then the first document again.
    const other = scenesToPdf([wavehandScene(), flagsScene()], { pageSize: '16:9' });
    const again = scenesToPdf([handshakeScene()]);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(false);
    const path = pdfFile(again, 'again');
    expect(squash(pdfText(path))).toContain('SYN,ACK,seq=y,ack=x+1');
    expect(pdfFonts(path)).toMatch(/\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  test('vector only: no images', () => {
    const path = pdfFile(scenesToPdf([handshakeScene()]));
    const images = execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' });
    expect(images.trim().split('\n').length).toBe(2); // the header lines only
  });
});

describe('themes', () => {
  test('light by default (white page), dark on request (dark page)', () => {
    const light = pixel(pdfFile(scenesToPdf([handshakeScene()], { pageSize: '16:9' })), 1, 1);
    const darkPath = pdfFile(scenesToPdf([handshakeScene()], { pageSize: '16:9', theme: 'dark' }), 'dark');
    toPng(darkPath, 'dark');
    const dark = pixel(darkPath, 1, 1);
    expect(Math.min(...light)).toBeGreaterThan(240);
    expect(Math.max(...dark)).toBeLessThan(60);
    // Text is still there and readable on dark.
    expect(squash(pdfText(darkPath))).toContain('SYN,seq=x');
  });
});

describe('fonts', () => {
  const latin: Scene = {
    ...handshakeScene(),
    items: handshakeScene().items.filter((i) => i.type !== 'text' || /^[\x20-\x7e]*$/.test(i.text)),
  };

  test('a user TTF and WOFF are embedded and used', () => {
    for (const file of ['KaTeX_SansSerif-Regular.ttf', 'KaTeX_SansSerif-Regular.woff']) {
      const path = pdfFile(scenesToPdf([latin], { font: font(file) }), 'userfont');
      const fonts = pdfFonts(path);
      expect(fonts).toContain('KaTeX_SansSerif-Regular');
      expect(fonts).not.toContain('NotoSansHans');
      expect(squash(pdfText(path))).toContain('SYN,seq=x');
    }
  });

  test('a face by PostScript name after #; a wrong name lists the faces', () => {
    const ok = scenesToPdf([latin], { font: font('KaTeX_SansSerif-Regular.ttf') + '#KaTeX_SansSerif-Regular' });
    expect(pdfFonts(pdfFile(ok))).toContain('KaTeX_SansSerif-Regular');
    const e = thrown(() => scenesToPdf([latin], { font: font('KaTeX_SansSerif-Regular.ttf') + '#Nope-Bold' }));
    expect(e.code).toBe('font-face');
    expect(e.hint).toContain('KaTeX_SansSerif-Regular');
  });

  const ttc = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
  test.skipIf(!existsSync(ttc))('a system CJK collection (fonts-noto-cjk), Simplified Chinese face', () => {
    const path = pdfFile(scenesToPdf([handshakeScene()], { font: `${ttc}#NotoSansCJKsc-Regular` }), 'ttc');
    const fonts = pdfFonts(path);
    expect(fonts).toMatch(/\+NotoSansCJKsc-Regular\s+CID Type 0C/);
    expect(squash(pdfText(path))).toContain('客户端');
  });

  test('WOFF2 is refused with a clear error', () => {
    const e = thrown(() => scenesToPdf([latin], { font: font('KaTeX_SansSerif-Regular.woff2') }));
    expect(e.code).toBe('font-woff2');
    expect(e.message).toContain('WOFF2');
    expect(e.hint).toMatch(/TTF|OTF/);
  });

  test('a missing or unreadable font file is a WiregramError naming the path', () => {
    const e = thrown(() => scenesToPdf([latin], { font: '/nonexistent/wg-font.ttf' }));
    expect(e.code).toBe('font-unreadable');
    expect(e.message).toContain('/nonexistent/wg-font.ttf');
    const d = thrown(() => scenesToPdf([latin], { font: fileURLToPath(new URL('.', import.meta.url)) }));
    expect(d.code).toBe('font-unreadable');
    const notFont = thrown(() => scenesToPdf([latin], { font: fileURLToPath(import.meta.url) }));
    expect(notFont.code).toBe('font-format');
  });

  test('a font without the glyphs a label uses is refused, naming the character and the label', () => {
    const e = thrown(() => scenesToPdf([handshakeScene()], { font: font('KaTeX_SansSerif-Regular.ttf') }));
    expect(e.code).toBe('font-missing-glyph');
    expect(e.message).toMatch(/U\+[0-9A-F]{4}/);
    expect(e.message).toMatch(/客户端|服务端|三次握手|数据传输/);
  });
});

describe('bad input', () => {
  test('options and scenes are checked', () => {
    expect(thrown(() => scenesToPdf([])).code).toBe('pdf-empty');
    expect(thrown(() => scenesToPdf([{} as Scene])).code).toBe('pdf-scene');
    expect(thrown(() => scenesToPdf([handshakeScene()], { pageSize: 'a3' as 'a4' })).code).toBe('pdf-option');
    expect(thrown(() => scenesToPdf([handshakeScene()], { margin: -1 })).code).toBe('pdf-option');
    expect(thrown(() => scenesToPdf([handshakeScene()], { theme: 'sepia' as 'dark' })).code).toBe('pdf-option');
    expect(thrown(() => scenesToPdf([handshakeScene()], { pageSize: 'a4', margin: 399 })).code).toBe('pdf-option');
    expect(thrown(() => scenesToPdf([handshakeScene()], { info: { creationDate: new Date('nope') } })).code).toBe('pdf-option');
    // A broken item inside a Scene is still a WiregramError, not a TypeError from deep inside pdfkit.
    const broken = handshakeScene();
    (broken.items[3] as { x: number }).x = Number.NaN;
    expect(thrown(() => scenesToPdf([broken])).code).toBe('pdf-failed');
  });

  test('invisible characters are skipped; a character the built-in font lacks (emoji) is a clear error', () => {
    const scene = handshakeScene();
    const label = scene.items.find((i): i is SceneText => i.type === 'text' && i.role === 'label')!;
    label.text = 'SYN,\u200b seq=x\t\u2060!';
    const path = pdfFile(scenesToPdf([scene]), 'invisible');
    expect(squash(pdfText(path))).toContain('SYN,seq=x!');
    label.text = 'SYN 🚀';
    const e = thrown(() => scenesToPdf([scene]));
    expect(e.code).toBe('font-missing-glyph');
    expect(e.message).toContain('U+1F680');
  });

  test('author text with PDF syntax characters is drawn as text, not interpreted', () => {
    const scene = handshakeScene();
    const evil = ') Tj /F1 99 Tf (x \\ <</JS (app.alert(1))>> %%EOF';
    const first = scene.items.find((i): i is SceneText => i.type === 'text' && i.role === 'label')!;
    first.text = evil;
    const path = pdfFile(scenesToPdf([scene]), 'evil');
    expect(squash(pdfText(path))).toContain(squash(evil));
    expect(pdfInfo(path).pages).toBe(1);
  });
});
