/**
 * The playground page in Debian's Chromium, driven as a person would: typing, the controls, the keyboard only,
 * a shared link, the downloads (checked as files: the SVG parsed, the PNG's size, the PDF through pdftotext)
 * and a capture dropped on the page. The page is built by the same function the docs build calls.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, pageErrors } from '../../../test/support/chromium.js';
import { elements, parseSvg } from '../../../test/support/svg.js';
import { renderPdf } from '@wiregram/pdf';
import { buildPlayground, galleryEntries, playgroundHash } from '../scripts/build.mjs';
import { serve } from '../scripts/serve.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const OUT = join(ROOT, 'test-output', 'playground');
const SHOTS = join(ROOT, 'test-output', 'playground-shots');

let browser: BrowserContext;
let closeBrowser: () => Promise<void>;
let site: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  await buildPlayground(join(OUT, 'playground'));
  site = await serve(OUT);
  ({ browser, close: closeBrowser } = await launchBrowser());
}, 120_000);

afterAll(async () => {
  await closeBrowser?.();
  await site?.close();
});

async function open(hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = pageErrors(page);
  await page.goto(`${site.url}playground/index.html${hash}`);
  await page.waitForSelector('html[data-ready]');
  return { page, errors };
}

// The editor's whole text (CodeMirror draws only the lines in view, so not from the DOM).
const editorText = (page: Page) => page.evaluate(() => window.__wgPlayground!.text());
const previewTexts = (page: Page) => page.$$eval('#preview svg text', (ts) => ts.map((t) => t.textContent ?? ''));

/** Replace the editor's text by typing it, as a person would (select all, then type). */
async function typeSource(page: Page, text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Escape before each Enter: Enter would accept an open completion instead of ending the line.
  for (const line of text.split('\n')) {
    await page.keyboard.type(line);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
  }
}

/** Enter on the open completion list — after CodeMirror's 75 ms guard against accepting a list that just opened. */
async function acceptCompletion(page: Page): Promise<void> {
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
}

const HANDSHAKE = 'participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK';

describe('playground page', () => {
  it('typing a handshake draws it: SYN, seq=x in the preview, with title and desc', async () => {
    const { page, errors } = await open();
    await typeSource(page, HANDSHAKE);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => t.textContent === 'SYN, ACK, seq=y, ack=x+1'));
    const texts = await previewTexts(page);
    expect(texts).toContain('SYN, seq=x');
    expect(texts).toContain('ACK, seq=x+1, ack=y+1');
    expect(texts).toEqual(expect.arrayContaining(['SYN_SENT', 'SYN_RCVD', 'ESTABLISHED']));
    expect(await page.$eval('#preview svg', (s) => [s.querySelector('title')?.textContent, s.querySelector('desc')?.textContent])).toEqual([expect.any(String), expect.stringContaining('SYN')]);
    expect(await page.isHidden('.problems')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a protocol error is shown at its line, with what was expected and a hint; the last good picture stays', async () => {
    const { page } = await open();
    await typeSource(page, 'participant client\nparticipant server\nclient -> server: SYN\nclient -> server: PSH, ACK len=100');
    // (Slow renders wait for a pause in typing: wait for the final text's error, not a half-typed line's.)
    await page.waitForSelector('#status li.error[data-line="4"]');
    const item = page.locator('#status li.error');
    expect(await item.getAttribute('data-line')).toBe('4');
    expect(await item.textContent()).toMatch(/error at line 4, col 1: client cannot send data in SYN_SENT/);
    expect(await item.locator('.hint').textContent()).toMatch(/^hint: /);
    expect(await item.locator('.expected').textContent()).toMatch(/^expected: /);
    // The squiggle sits on line 4 of the editor.
    const lineOfMark = await page.$eval('.cm-lintRange-error', (m) => Array.from(document.querySelectorAll('.cm-line')).indexOf(m.closest('.cm-line')!) + 1);
    expect(lineOfMark).toBe(4);
    // The picture of the text before the error (the SYN) is kept, dimmed.
    expect(await page.$eval('#preview', (p) => p.classList.contains('stale'))).toBe(true);
    expect(await page.isVisible('#stale-note')).toBe(true);
    expect(await previewTexts(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^SYN, seq=/)]));
    await page.close();
  });

  it('a shared link restores the same text, theme and picture', async () => {
    const { page } = await open();
    await typeSource(page, HANDSHAKE);
    await page.selectOption('#theme', 'dark');
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
    const url = page.url();
    expect(url).toMatch(/#v1=[A-Za-z0-9+\-$]+$/);
    const text = await editorText(page);
    const svg = await page.$eval('#preview', (p) => p.innerHTML);
    await page.close();
    const again = await browser.newPage();
    await again.goto(url);
    await again.waitForSelector('html[data-ready]');
    expect(await editorText(again)).toBe(text);
    expect(await again.$eval('#preview', (p) => p.innerHTML)).toBe(svg);
    expect(await again.$eval('html', (h) => h.dataset['theme'])).toBe('dark');
    // Another link pasted into the same tab (only the fragment changes): its text replaces this one.
    await again.evaluate((h) => (location.hash = h), playgroundHash('tcp', 'packet-header', 'dark'));
    await again.waitForFunction(() => window.__wgPlayground!.text() === 'tcp');
    await again.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => /Source Port/i.test(t.textContent ?? '')));
    expect(await again.$eval('#language', (s) => (s as HTMLSelectElement).value)).toBe('packet-header');
    await again.close();
  });

  it('the style controls write option lines, and follow the text', async () => {
    const { page } = await open(playgroundHash('title T\n' + HANDSHAKE));
    await page.selectOption('#opt-labels', 'flags');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => t.textContent === 'SYN=1, seq=x'));
    expect((await editorText(page)).split('\n').slice(0, 2)).toEqual(['title T', 'option labels=flags']);
    await page.selectOption('#opt-states', 'hyphen');
    expect(await editorText(page)).toContain('option labels=flags states=hyphen');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => t.textContent === 'SYN-SENT'));
    await page.selectOption('#opt-labels', 'textbook');
    expect(await editorText(page)).toContain('option states=hyphen');
    expect(await editorText(page)).not.toContain('labels');
    await page.selectOption('#opt-states', 'underscore');
    expect(await editorText(page)).not.toContain('option');
    await page.close();
  });

  it('highlights both languages and completes keywords, participants and flags', async () => {
    const { page } = await open(playgroundHash(HANDSHAKE));
    // Keyword, participant and flag are coloured differently (CodeMirror's highlight classes → colours).
    const colour = (text: string) => page.$$eval('.cm-line span', (ss, t) => ss.filter((s) => s.textContent === t).map((s) => getComputedStyle(s).color)[0], text);
    const [kw, who, flag] = [await colour('participant'), await colour('client'), await colour('SYN')];
    expect(new Set([kw, who, flag]).size).toBe(3);
    const options = () => page.$$eval('.cm-tooltip-autocomplete li', (ls) => ls.map((l) => l.querySelector('.cm-completionLabel')?.textContent ?? ''));
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.cm-tooltip-autocomplete');
    expect(await options()).toEqual(expect.arrayContaining(['participant', 'isn', 'option', 'client', 'server']));
    await page.keyboard.type('ser');
    await page.waitForFunction(() => document.querySelector('.cm-tooltip-autocomplete .cm-completionLabel')?.textContent === 'server');
    await acceptCompletion(page);
    await page.keyboard.type(' -> cl');
    await page.waitForFunction(() => document.querySelector('.cm-tooltip-autocomplete .cm-completionLabel')?.textContent === 'client');
    await acceptCompletion(page);
    await page.keyboard.type(': F');
    await page.waitForSelector('.cm-tooltip-autocomplete');
    expect(await options()).toContain('FIN');
    await page.keyboard.press('Escape');
    await page.keyboard.type('IN');
    await page.waitForFunction(() => window.__wgPlayground!.text().endsWith('FIN'));
    expect((await editorText(page)).split('\n').at(-1)).toBe('server -> client: FIN');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => t.textContent === 'FIN, seq=y+1'));
    // packet-header: its own keywords and built-in layouts.
    await page.selectOption('#language', 'packet-header');
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ud');
    await page.keyboard.press('Control+Space');
    await page.waitForFunction(() => document.querySelector('.cm-tooltip-autocomplete .cm-completionLabel')?.textContent === 'udp');
    await acceptCompletion(page);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => /Source Port/i.test(t.textContent ?? '')));
    expect(await page.isDisabled('#opt-labels')).toBe(true);
    await page.close();
  }, 90_000);

  it('downloads SVG, PNG and PDF that hold the diagram', async () => {
    const { page, errors } = await open(playgroundHash(HANDSHAKE));
    const download = async (button: string) => {
      const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(button)]);
      const path = join(OUT, d.suggestedFilename());
      await d.saveAs(path);
      return path;
    };
    const svg = parseSvg(readFileSync(await download('#export-svg'), 'utf8'));
    expect(elements(svg, 'text').map((t) => t.textContent)).toContain('SYN, seq=x');
    expect(elements(svg, 'title')).toHaveLength(1);
    const png = readFileSync(await download('#export-png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const vb = svg.documentElement!.getAttribute('viewBox')!.split(/\s+/).map(Number);
    expect([w, h]).toEqual([Math.ceil(vb[2]! * 2), Math.ceil(vb[3]! * 2)]);
    const pdf = await download('#export-pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/SYN, seq=x/);
    expect(text).toMatch(/SYN_SENT/);
    // The same Scene → PDF code as Node's: the same objects as renderPdf (wiregram render --pdf) — the page,
    // the font subsets and their tags; only the deflate bytes (and so the /ID hashed from them) differ: the
    // browser's deflate is not zlib's.
    const inflated = (bytes: Buffer) => [...bytes.toString('latin1').matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) => inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'));
    const browserStreams = inflated(readFileSync(pdf));
    expect(browserStreams.length).toBeGreaterThanOrEqual(3);
    expect(browserStreams).toEqual(inflated(Buffer.from(renderPdf(HANDSHAKE, { theme: 'light' }))));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('copies the Markdown fence', async () => {
    await browser.grantPermissions(['clipboard-read', 'clipboard-write']);
    const { page } = await open(playgroundHash(HANDSHAKE));
    await page.click('#copy-markdown');
    await page.waitForFunction(() => document.getElementById('announce')!.textContent === 'Markdown copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('```tcp-sequence\n' + HANDSHAKE + '\n```\n');
    await page.close();
  });

  it('a dropped capture lists its TCP streams and opens one as editable text and a diagram', async () => {
    const { page, errors } = await open();
    const bytes = readFileSync(join(ROOT, 'docs', 'captures', 'http.pcap'));
    const dataTransfer = await page.evaluateHandle((b64) => {
      const dt = new DataTransfer();
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([data], 'http.pcap', { type: 'application/vnd.tcpdump.pcap' }));
      return dt;
    }, bytes.toString('base64'));
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    await page.waitForSelector('#streams table');
    const rows = await page.$$eval('#streams tbody tr', (trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells).slice(0, 4).map((c) => c.textContent)));
    // tshark -z conv,tcp: one conversation, 127.0.0.1:50762 <-> 127.0.0.1:18080, 12 frames.
    expect(rows).toEqual([['0', expect.stringMatching(/127\.0\.0\.1:(50762|18080)/), expect.stringMatching(/127\.0\.0\.1:(50762|18080)/), '12']]);
    await page.click('#streams tbody button');
    await page.waitForFunction(() => /Stream 0 imported/.test(document.getElementById('capture-state')!.textContent ?? ''));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => /SYN/.test(t.textContent ?? '')));
    const text = await editorText(page);
    expect(text).toMatch(/-> .*: SYN/);
    expect(text).toMatch(/FIN/);
    expect(errors).toEqual([]);
    // Not a capture: a clear message, the page and its text untouched.
    await page.setInputFiles('#capture-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not a pcap\n') });
    await page.waitForFunction(() => !/Reading/.test(document.getElementById('capture-state')!.textContent ?? '') && !/streams?$/.test(document.getElementById('capture-state')!.textContent ?? ''));
    expect(await page.textContent('#capture-state')).toMatch(/pcap|capture/i);
    expect(await editorText(page)).toBe(text);
    await page.close();
  });

  it('a capture statement reads the capture dropped on the page', async () => {
    const { page } = await open(playgroundHash('option labels=wireshark\ncapture ./captures/http.pcap stream 0'));
    await page.waitForSelector('#status li.error');
    expect(await page.textContent('#status li.error')).toMatch(/http\.pcap: this page reads only a capture dropped on it/);
    expect(await page.textContent('#status li.error .hint')).toMatch(/drop http\.pcap on the page/);
    await page.setInputFiles('#capture-file', join(ROOT, 'docs', 'captures', 'http.pcap'));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => /\[SYN\]/.test(t.textContent ?? '')));
    expect(await page.isHidden('.problems')).toBe(true);
    await page.close();
  });

  it('works from the keyboard alone, and every control has a label', async () => {
    const { page } = await open(playgroundHash(HANDSHAKE));
    const unnamed = await page.$$eval('select, input, button, textarea', (els) =>
      els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && !e.textContent?.trim()).map((e) => e.outerHTML),
    );
    expect(unnamed).toEqual([]);
    expect(await page.getAttribute('.cm-content', 'aria-label')).toBe('Diagram source');
    // Tab from the top: the skip link, then the controls in order.
    const order: string[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.className || ''));
    }
    expect(order.slice(2, 9)).toEqual(['language', 'opt-layout', 'opt-labels', 'opt-states', 'theme', 'gallery', expect.stringContaining('cm-content')]);
    // Change the label style with the arrow keys.
    await page.focus('#opt-labels');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => t.textContent === 'SYN=1, seq=x'));
    // Into the editor, type, then Escape + Tab leaves it for the buttons.
    await page.focus('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nclient -> server: PSH, ACK len=10');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#preview svg text')).some((t) => /len=10/.test(t.textContent ?? '')));
    // Escape first closes an open completion list (it may open a moment after typing); the Escape that
    // finds none lets the next Tab leave the editor, within CodeMirror's 2-second window.
    const leave = async () => {
      for (let i = 0; i < 3; i++) {
        const hadList = (await page.$('.cm-tooltip-autocomplete')) !== null;
        await page.keyboard.press('Escape');
        if (!hadList && (await page.$('.cm-tooltip-autocomplete')) === null) break;
      }
      await page.keyboard.press('Tab');
    };
    // A Tab that stayed in the editor (later than the window on a loaded machine, or after a completion list
    // opened between the presses) only indented the line: the same keys get two more tries. Focus anywhere
    // else is a failure, and the message names the element.
    for (let attempt = 0; attempt < 3; attempt++) {
      await leave();
      const where = await page.evaluate(() => (document.activeElement?.id === 'copy-link' ? 'left' : document.activeElement?.closest('.cm-editor') ? 'editor' : 'elsewhere'));
      if (where !== 'editor') break;
    }
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      return { id: a?.id ?? '', html: (a?.outerHTML ?? 'none').slice(0, 160) };
    });
    expect(focused.id, `focus after Escape, Tab: ${focused.html}`).toBe('copy-link');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('export-svg');
    const [d] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(d.suggestedFilename()).toMatch(/\.svg$/);
    await page.close();
  });

  it('opens every example of examples/ from the gallery', async () => {
    const entries = galleryEntries();
    expect(entries.length).toBeGreaterThanOrEqual(18);
    const { page } = await open();
    const options = await page.$$eval('#gallery option', (os) => os.map((o) => o.textContent));
    expect(options.length).toBe(entries.length + 1);
    let broken: string[] = [];
    for (let i = 0; i < entries.length; i++) {
      const before = await page.evaluate(() => window.__wgPlayground!.renders);
      await page.selectOption('#gallery', String(i));
      await page.waitForFunction((n) => window.__wgPlayground!.renders > n, before);
      expect(await editorText(page)).toBe(entries[i]!.source);
      if (await page.isVisible('#status li.error')) broken.push(entries[i]!.file);
      else expect(await page.$('#preview svg')).not.toBeNull();
    }
    // Examples may show errors on purpose only if the file says so; none does today.
    broken = broken.filter((f) => !/error/.test(f));
    expect(broken).toEqual([]);
    expect(await page.$eval('#language', (s) => (s as HTMLSelectElement).value)).toBe(entries.at(-1)!.language);
    await page.close();
  }, 120_000);

  it('screenshots, light and dark, for a person to look at', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { page } = await open(playgroundHash(readFileSync(join(ROOT, 'examples', 'four-way-wavehand.md'), 'utf8').split('```tcp-sequence\n')[1]!.split('```')[0]!, 'tcp-sequence', theme));
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.screenshot({ path: join(SHOTS, `playground-${theme}.png`), fullPage: true });
      expect(await page.$eval('body', (b) => getComputedStyle(b).backgroundColor)).toBe(theme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
      await page.close();
    }
    writeFileSync(join(SHOTS, 'README.txt'), 'Screenshots of the playground page written by packages/playground/test/playground.test.ts\n');
  });
});
