/**
 * The playground page: a CodeMirror editor on the left, the live diagram on the right, controls above.
 * Rendering is @wiregram/browser's synchronous render(); an edit schedules one render (immediately when the last
 * one was quick, debounced when renders are slow) so typing never waits for the picture. A text with an error
 * keeps the last good picture and shows the error as a squiggle, in the lint panel and in the status list.
 */
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { autocompletion } from '@codemirror/autocomplete';
import { indentWithTab } from '@codemirror/commands';
import { setDiagnostics, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { oneDark } from '@codemirror/theme-one-dark';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import type { RenderedDiagram } from '@wiregram/browser';
import type { Diagnostic, Position, WiregramError } from '@wiregram/core';
import { headerCompletions, headerLanguage, sequenceCompletions, sequenceLanguage } from './lang.js';
import { readOption, writeOption } from './options.js';
import { decodeState, encodeState, markdownFence, type Language, type PlaygroundState, type Theme } from './share.js';
import { downloadBlob, svgToPng } from './export.js';
import type { StreamRow, WorkerReply, WorkerRequest } from './worker.js';

interface GalleryEntry {
  file: string;
  title: string;
  language: Language;
  source: string;
}

declare global {
  interface Window {
    /** Timings the bench and tests read: the last render's duration and the edit→picture latency. */
    __wgPlayground?: { renders: number; lastRenderMs: number; lastLatencyMs: number; lastRenderAt: number; interactiveMs: number; text: () => string };
  }
}


const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const gallery: GalleryEntry[] = JSON.parse($('wg-gallery-data').textContent || '[]');
const stats = (window.__wgPlayground = { renders: 0, lastRenderMs: 0, lastLatencyMs: 0, lastRenderAt: 0, interactiveMs: 0, text: () => state.text });

const preview = $<HTMLDivElement>('preview');
const statusBox = $<HTMLDivElement>('status');
const languageSelect = $<HTMLSelectElement>('language');
const themeSelect = $<HTMLSelectElement>('theme');
const optionSelects: Array<{ el: HTMLSelectElement; key: string; fallback: string }> = [
  { el: $('opt-layout'), key: 'layout', fallback: 'states' },
  { el: $('opt-labels'), key: 'labels', fallback: 'textbook' },
  { el: $('opt-states'), key: 'states', fallback: 'underscore' },
];

// A first visit opens on the four-way wavehand of examples/ (the seed figure), else the first example.
const seed = gallery.find((g) => g.file === 'four-way-wavehand') ?? gallery[0];
let state: PlaygroundState = decodeState(location.hash) ?? { language: seed?.language ?? 'tcp-sequence', text: seed?.source ?? '', theme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light' };
let lastGood: RenderedDiagram | null = null;

const languageConf = new Compartment();
const themeConf = new Compartment();
const languageExtension = (language: Language): Extension =>
  language === 'packet-header'
    ? [headerLanguage, autocompletion({ override: [headerCompletions] })]
    : [sequenceLanguage, autocompletion({ override: [sequenceCompletions] })];
// Light: GitHub's light palette, so participants, flags and states each get a colour (the default style
// leaves names uncoloured); dark: One Dark.
const lightHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#8250df' },
  { tag: tags.variableName, color: '#0550ae' },
  { tag: tags.typeName, color: '#116329', fontWeight: '600' },
  { tag: tags.atom, color: '#953800' },
  { tag: tags.propertyName, color: '#6639ba' },
  { tag: tags.modifier, color: '#bc4c00' },
  { tag: tags.string, color: '#0a3069' },
  { tag: tags.number, color: '#0550ae' },
  { tag: tags.operator, color: '#cf222e' },
  { tag: tags.comment, color: '#6e7781', fontStyle: 'italic' },
  { tag: tags.heading, fontWeight: 'bold', color: '#1f2328' },
]);
const themeExtension = (theme: Theme): Extension => (theme === 'dark' ? oneDark : syntaxHighlighting(lightHighlight));

const view = new EditorView({
  parent: $('editor'),
  state: EditorState.create({
    doc: state.text,
    extensions: [
      basicSetup,
      keymap.of([indentWithTab]),
      lintGutter(),
      languageConf.of(languageExtension(state.language)),
      themeConf.of(themeExtension(state.theme)),
      EditorView.contentAttributes.of({ 'aria-label': 'Diagram source', 'aria-describedby': 'editor-help' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) {
          state = { ...state, text: u.state.doc.toString() };
          schedule(performance.now());
        }
      }),
    ],
  }),
});

// ---- rendering -------------------------------------------------------------------------------------------

type Renderer = typeof import('./render.js');
let renderer: Renderer | null = null;
const loading: Promise<Renderer> = import('./render.js').then((r) => (renderer = r));

let timer: ReturnType<typeof setTimeout> | null = null;
let queued = false;
let editAt = 0;
function schedule(at: number): void {
  if (!timer && !queued) editAt = at;
  if (timer) clearTimeout(timer);
  timer = null;
  // Quick renders follow every keystroke, right after the editor has taken it (a microtask, before the next
  // paint); slow ones wait until typing pauses, so a large diagram never holds up the keys.
  if (stats.lastRenderMs < 12) {
    if (!queued) {
      queued = true;
      queueMicrotask(() => {
        queued = false;
        update();
      });
    }
  } else {
    timer = setTimeout(() => {
      timer = null;
      update();
    }, 200);
  }
}

function positionText(d: { position: { start: { line: number; column: number } } | null }): string {
  return d.position ? `line ${d.position.start.line}, col ${d.position.start.column}` : '';
}

function toCm(d: Diagnostic | WiregramError, severity: 'error' | 'warning'): CmDiagnostic {
  const doc = view.state.doc;
  let from = 0;
  let to = doc.length;
  if (d.position) {
    const line = doc.line(Math.min(Math.max(1, d.position.start.line), doc.lines));
    from = Math.min(line.to, line.from + Math.max(0, d.position.start.column - 1));
    const endLine = doc.line(Math.min(Math.max(1, d.position.end.line), doc.lines));
    to = Math.min(endLine.to, endLine.from + Math.max(0, d.position.end.column - 1));
    if (to <= from) to = Math.min(line.to, from + 1);
    if (to <= from) from = Math.max(line.from, from - 1);
  }
  const parts = [('reason' in d && d.reason) || d.message];
  if (d.expected) parts.push(`expected: ${d.expected}`);
  if (d.hint) parts.push(`hint: ${d.hint}`);
  return { from, to, severity, message: parts.join('\n'), source: 'wiregram' };
}

function showProblems(problems: Array<{ d: Diagnostic | WiregramError; severity: 'error' | 'warning' }>): void {
  view.dispatch(setDiagnostics(view.state, problems.map((p) => toCm(p.d, p.severity))));
  statusBox.replaceChildren();
  for (const { d, severity } of problems) {
    const li = document.createElement('li');
    li.className = severity;
    li.dataset['line'] = d.position ? String(d.position.start.line) : '';
    const where = positionText(d);
    const what = ('reason' in d && d.reason) || d.message;
    li.textContent = `${severity}${where ? ` at ${where}` : ''}: ${what}`;
    if (d.expected) li.append(Object.assign(document.createElement('div'), { className: 'expected', textContent: `expected: ${d.expected}` }));
    if (d.hint) li.append(Object.assign(document.createElement('div'), { className: 'hint', textContent: `hint: ${d.hint}` }));
    statusBox.append(li);
  }
  statusBox.parentElement!.hidden = problems.length === 0;
}

function update(): void {
  if (!renderer) {
    void loading.then(update);
    return;
  }
  const { render, toWiregramError } = renderer;
  const t0 = performance.now();
  try {
    const result = render(state.text, { language: state.language, theme: state.theme, idPrefix: 'wgp', readFile });
    lastGood = result;
    preview.innerHTML = result.svg;
    preview.classList.remove('stale');
    $('stale-note').hidden = true;
    showProblems(result.warnings.map((d) => ({ d, severity: 'warning' as const })));
  } catch (e) {
    const err = toWiregramError(e);
    preview.classList.toggle('stale', lastGood !== null);
    $('stale-note').hidden = lastGood === null;
    if (!lastGood) preview.textContent = 'Nothing to show yet: fix the error on the left.';
    showProblems([{ d: err, severity: 'error' }]);
  }
  const t1 = performance.now();
  stats.renders++;
  stats.lastRenderMs = t1 - t0;
  stats.lastLatencyMs = t1 - editAt;
  stats.lastRenderAt = t1;
  syncControls();
  saveHash();
}

// ---- controls --------------------------------------------------------------------------------------------

function syncControls(): void {
  const timing = state.language === 'tcp-sequence';
  for (const { el, key, fallback } of optionSelects) {
    el.disabled = !timing;
    const v = timing ? readOption(state.text, key) : null;
    el.value = v && Array.from(el.options).some((o) => o.value === v) ? v : fallback;
  }
  languageSelect.value = state.language;
  themeSelect.value = state.theme;
}

for (const { el, key, fallback } of optionSelects) {
  el.addEventListener('change', () => {
    const edit = writeOption(view.state.doc.toString(), key, el.value === fallback ? null : el.value);
    if (edit) view.dispatch({ changes: edit });
  });
}

function setText(text: string, language: Language): void {
  if (language !== state.language) {
    state = { ...state, language };
    view.dispatch({ effects: languageConf.reconfigure(languageExtension(language)) });
  }
  lastGood = null;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

languageSelect.addEventListener('change', () => {
  state = { ...state, language: languageSelect.value === 'packet-header' ? 'packet-header' : 'tcp-sequence' };
  lastGood = null;
  view.dispatch({ effects: languageConf.reconfigure(languageExtension(state.language)) });
  update();
});

function applyTheme(): void {
  document.documentElement.dataset['theme'] = state.theme;
  view.dispatch({ effects: themeConf.reconfigure(themeExtension(state.theme)) });
}
themeSelect.addEventListener('change', () => {
  state = { ...state, theme: themeSelect.value === 'dark' ? 'dark' : 'light' };
  applyTheme();
  update();
});

const gallerySelect = $<HTMLSelectElement>('gallery');
for (const [i, g] of gallery.entries()) gallerySelect.append(new Option(`${g.file} — ${g.title}`, String(i)));
gallerySelect.addEventListener('change', () => {
  const g = gallery[Number(gallerySelect.value)];
  if (g) setText(g.source, g.language);
  gallerySelect.value = '';
});

// ---- share and export ------------------------------------------------------------------------------------

function saveHash(): void {
  history.replaceState(null, '', '#' + encodeState(state));
}

const say = (text: string) => {
  $('announce').textContent = text;
};

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    say(`${what} copied`);
  } catch {
    // No clipboard permission (or an insecure origin): show it selected, for Ctrl+C.
    const out = $<HTMLTextAreaElement>('copy-out');
    out.value = text;
    out.parentElement!.hidden = false;
    out.focus();
    out.select();
    say(`${what} selected: press Ctrl+C to copy`);
  }
}

const baseName = () => (lastGood?.title || 'diagram').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'diagram';

$('copy-link').addEventListener('click', () => {
  saveHash();
  void copy(location.href, 'Link');
});
$('copy-markdown').addEventListener('click', () => void copy(markdownFence(state), 'Markdown'));
$('export-svg').addEventListener('click', () => {
  if (!lastGood) return say('Nothing to export yet');
  downloadBlob(new Blob([lastGood.svg], { type: 'image/svg+xml' }), `${baseName()}.svg`);
});
$('export-png').addEventListener('click', async () => {
  if (!lastGood) return say('Nothing to export yet');
  downloadBlob(await svgToPng(lastGood.svg, lastGood.width, lastGood.height, 2, state.theme === 'dark' ? '#0d1117' : '#ffffff'), `${baseName()}.png`);
});
$('export-pdf').addEventListener('click', async () => {
  if (!lastGood) return say('Nothing to export yet');
  say('Preparing the PDF (loading the font)…');
  try {
    const { pdfOf } = await import('./pdf.js');
    const bytes = await pdfOf(state.text, state.language, new URL('./fonts/', import.meta.url).href);
    downloadBlob(new Blob([bytes as BlobPart], { type: 'application/pdf' }), `${baseName()}.pdf`);
    say('PDF ready');
  } catch (e) {
    say(`PDF failed: ${(await loading).toWiregramError(e).message}`);
  }
});

// ---- capture drop ----------------------------------------------------------------------------------------

/** A dropped capture up to this size is also kept here, for `capture FILE …` statements that name it. */
const MAX_HELD = 64 << 20;
let held: { name: string; bytes: Uint8Array } | null = null;

/** The page's file reader: only the capture dropped on it, matched by file name. */
function readFile(path: string, position: Position): Uint8Array {
  const name = path.split(/[\\/]/).pop() ?? path;
  if (held && held.name === name) return held.bytes;
  throw new renderer!.WiregramError({
    code: 'capture-unavailable',
    reason: `${path}: this page reads only a capture dropped on it`,
    position,
    expected: held ? `the dropped capture, ${held.name}` : 'a capture dropped on the page',
    hint: `drop ${name} on the page (it stays in your browser), or open one of its streams from the list`,
  });
}

let worker: Worker | null = null;
const progress = $<HTMLProgressElement>('capture-progress');
const streamsBox = $<HTMLDivElement>('streams');

function send(req: WorkerRequest): void {
  worker ??= new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerReply>) => onWorker(e.data);
  worker.postMessage(req);
}

function onWorker(m: WorkerReply): void {
  if (m.type === 'progress') {
    progress.hidden = false;
    progress.max = m.total;
    progress.value = m.done;
    $('capture-state').textContent = `Reading… ${Math.round((100 * m.done) / Math.max(1, m.total))}%`;
    return;
  }
  progress.hidden = true;
  if (m.type === 'error') {
    $('capture-state').textContent = `${m.message}${m.hint ? ` — ${m.hint}` : ''}`;
    return;
  }
  if (m.type === 'text') {
    $('capture-state').textContent = `Stream ${m.stream} imported${m.warnings.length ? ` (${m.warnings.join('; ')})` : ''}`;
    setText(m.text, 'tcp-sequence');
    return;
  }
  $('capture-state').textContent = `${m.name}: ${m.streams.length} TCP stream${m.streams.length === 1 ? '' : 's'}${m.warnings.length ? ` (${m.warnings.join('; ')})` : ''}`;
  renderStreams(m.streams);
}

/** At most this many streams are listed (the largest by bytes); any other opens by its number. */
const LISTED = 100;

function renderStreams(all: StreamRow[]): void {
  const rows = all.length > LISTED ? [...all].sort((a, b) => b.bytes - a.bytes || a.stream - b.stream).slice(0, LISTED) : all;
  const byNumber = document.createElement('form');
  byNumber.className = 'by-number';
  byNumber.innerHTML = `<label for="stream-number">Stream number</label> <input id="stream-number" type="number" min="0" max="${all.length - 1}" value="0" required> <button type="submit">Open</button>`;
  byNumber.addEventListener('submit', (e) => {
    e.preventDefault();
    const n = Number((byNumber.querySelector('input') as HTMLInputElement).value);
    $('capture-state').textContent = `Importing stream ${n}…`;
    send({ type: 'import', stream: n });
  });
  const table = document.createElement('table');
  const caption = all.length > LISTED ? `The ${LISTED} largest of ${all.length} TCP streams (as tshark numbers them)` : 'TCP streams (as tshark numbers them)';
  table.innerHTML = `<caption>${caption}</caption><thead><tr><th scope="col">stream</th><th scope="col">endpoint A</th><th scope="col">endpoint B</th><th scope="col">frames</th><th scope="col">bytes</th><th scope="col">payload</th><th scope="col">start (s)</th><th scope="col">duration (s)</th><th scope="col"><span class="sr-only">open</span></th></tr></thead>`;
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const v of [r.stream, r.a, r.b, r.frames, r.bytes, r.payload, r.start.toFixed(6), r.duration.toFixed(4)]) tr.insertCell().textContent = String(v);
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `Open stream ${r.stream}`;
    button.addEventListener('click', () => {
      $('capture-state').textContent = `Importing stream ${r.stream}…`;
      send({ type: 'import', stream: r.stream });
    });
    tr.insertCell().append(button);
  }
  streamsBox.replaceChildren(byNumber, table);
}

function openCapture(file: File): void {
  streamsBox.replaceChildren();
  held = null;
  if (file.size <= MAX_HELD) {
    void file.arrayBuffer().then((b) => {
      held = { name: file.name, bytes: new Uint8Array(b) };
      if (/^\s*capture\b/im.test(state.text)) schedule(performance.now());
    });
  }
  $('capture-state').textContent = `Reading ${file.name}…`;
  send({ type: 'open', file, name: file.name });
}

const fileInput = $<HTMLInputElement>('capture-file');
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  if (f) openCapture(f);
});
const dropZone = $('drop-zone');
for (const t of ['dragenter', 'dragover']) {
  document.addEventListener(t, (e) => {
    e.preventDefault();
    dropZone.classList.add('over');
  });
}
document.addEventListener('dragleave', () => dropZone.classList.remove('over'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dropZone.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) openCapture(f);
});

// A link pasted into this tab's address bar changes only the fragment: restore it like a fresh load.
window.addEventListener('hashchange', () => {
  const next = decodeState(location.hash);
  if (!next || (next.text === state.text && next.language === state.language && next.theme === state.theme)) return;
  if (next.theme !== state.theme) {
    state = { ...state, theme: next.theme };
    applyTheme();
  }
  setText(next.text, next.language);
});

// ---- start -----------------------------------------------------------------------------------------------

applyTheme();
syncControls();
// The editor takes input from here on; the first picture follows when the renderer chunk has loaded.
stats.interactiveMs = performance.now();
void loading.then(() => {
  update();
  document.documentElement.dataset['ready'] = 'true';
});
