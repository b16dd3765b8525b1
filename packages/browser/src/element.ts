/**
 * `<wire-gram>`: a diagram written by hand into HTML.
 *
 *   <wire-gram>
 *   client -> server: SYN
 *   server -> client: SYN, ACK
 *   client -> server: ACK
 *   </wire-gram>
 *   <wire-gram language="packet-header">tcp</wire-gram>
 *
 * Attributes: `language` (`tcp-sequence` by default, or `packet-header`), and the fence options `style`,
 * `label-style`, `state-names`, `numbering`, `theme`, `steps` (the same names and values as in a fence's info
 * string; `steps` also bare).
 * The diagram is drawn into the element itself (light DOM), so the page's dark-mode selector reaches it.
 * Changing an attribute or calling `refresh()` redraws it from the source first written inside.
 */
import { DIAGRAM_LANGUAGES, parseFenceMeta, WiregramError, type DiagramLanguage } from '@wiregram/core';
import { errorElement } from './place.js';
import { renderInto, type PageOptions } from './draw.js';

const OPTION_ATTRIBUTES = ['style', 'label-style', 'state-names', 'numbering', 'theme', 'steps'];

/** Page-wide options for every `<wire-gram>` (dark-mode selector, …), set by `defineElement(options)`. */
let elementOptions: PageOptions = {};
/** Set when the page options change, so the next run() redraws the elements already drawn. */
let optionsChanged = false;

/**
 * Called with every `<wire-gram>`'s new content just before it replaces the old (`previous`, null on the first
 * drawing) — whenever the element draws: on connection, at DOMContentLoaded, on an attribute change, refresh().
 * The reveal.js plugin turns the steps into fragments here, so a redraw (or a first drawing after the deck
 * started) never leaves a step that is not a fragment.
 */
export type ElementDrawHook = (element: HTMLElement, content: HTMLElement, previous: Element | null) => void;
const drawHooks = new Set<ElementDrawHook>();
export function onElementDraw(hook: ElementDrawHook): void {
  drawHooks.add(hook);
}

// HTMLElement does not exist in Node (a server build importing this module): the class is made on demand.
type WireGramConstructor = new () => HTMLElement & { refresh(): void; readonly source: string };
let elementClass: WireGramConstructor | null = null;

function makeClass(): WireGramConstructor {
  return class WireGram extends HTMLElement {
    static get observedAttributes(): string[] {
      return ['language', ...OPTION_ATTRIBUTES];
    }
    #source: string | null = null;

    /** The diagram text, as first written inside the element (or set with `source = …`). */
    get source(): string {
      return this.#source ?? this.textContent ?? '';
    }
    set source(text: string) {
      this.#source = String(text);
      this.refresh();
    }

    connectedCallback(): void {
      // Connected while the parser is still inside the element: its text is not there yet.
      if (this.#source === null && this.ownerDocument.readyState === 'loading') {
        this.ownerDocument.addEventListener('DOMContentLoaded', () => this.refresh(), { once: true });
        return;
      }
      this.refresh();
    }

    attributeChangedCallback(): void {
      if (this.#source !== null) this.refresh();
    }

    refresh(): void {
      this.#source ??= (this.textContent ?? '').replace(/^\n/, '').replace(/\n\s*$/, '');
      const source = dedent(this.#source);
      const language = (this.getAttribute('language') ?? 'tcp-sequence') as DiagramLanguage;
      let element: HTMLElement;
      if (!DIAGRAM_LANGUAGES.includes(language)) {
        element = errorElement(this.ownerDocument, new WiregramError({ code: 'unknown-language', reason: `<wire-gram language="${language}"> is not a diagram language`, expected: DIAGRAM_LANGUAGES.join(' or '), hint: 'leave language out for tcp-sequence, or write language="packet-header"' }), 'tcp-sequence', source);
      } else {
        // `steps` may be written bare (`<wire-gram steps>`), as the fence flag is.
        const attribute = (a: string) => (a === 'steps' && this.getAttribute(a) === '' ? 'steps=true' : `${a}=${JSON.stringify(this.getAttribute(a))}`);
        const meta = parseFenceMeta(OPTION_ATTRIBUTES.filter((a) => this.hasAttribute(a)).map(attribute).join(' '));
        const problem = meta.problems[0];
        element = problem
          ? errorElement(this.ownerDocument, new WiregramError({ code: problem.code, reason: `<wire-gram ${problem.key}="${problem.value}">: ${problem.reason}`, expected: problem.expected, hint: problem.hint }), language, source)
          : renderInto(this.ownerDocument, this, source, language, { ...elementOptions, ...meta.options }).element;
      }
      for (const hook of drawHooks) hook(this, element, this.firstElementChild);
      this.replaceChildren(element);
    }
  };
}

/** Hand-written HTML is indented with the page: remove the indentation the lines share. */
function dedent(text: string): string {
  const lines = text.split('\n');
  let cut = Infinity;
  for (const l of lines) if (l.trim()) cut = Math.min(cut, /^[ \t]*/.exec(l)![0].length);
  if (cut === Infinity) cut = 0;
  return cut ? lines.map((l) => l.slice(cut)).join('\n') : text;
}

/** What identifies a set of page options (functions by identity), to redraw elements only when it changes. */
function optionsKey(options: PageOptions): string {
  return JSON.stringify(Object.keys(options).sort().map((k) => [k, typeof options[k] === 'function' ? 'fn' : options[k]]));
}
let elementOptionsKey = optionsKey(elementOptions);

/**
 * Register `<wire-gram>` (once; later calls only update the page-wide options). Does nothing outside a
 * browser. Returns the element class, or null where there are no custom elements.
 */
export function defineElement(options: PageOptions = {}): WireGramConstructor | null {
  if (options.readFile !== elementOptions.readFile || optionsKey(options) !== elementOptionsKey) {
    elementOptions = options;
    elementOptionsKey = optionsKey(options);
    optionsChanged = true;
  }
  if (typeof customElements === 'undefined' || typeof HTMLElement === 'undefined') return null;
  const existing = customElements.get('wire-gram') as WireGramConstructor | undefined;
  if (existing) return existing;
  elementClass ??= makeClass();
  customElements.define('wire-gram', elementClass);
  return elementClass;
}

/** Redraw the `<wire-gram>` elements under `root` that were drawn already, if the page options changed since. */
export function refreshElements(root: ParentNode): void {
  if (!optionsChanged) return;
  optionsChanged = false;
  for (const el of Array.from(root.querySelectorAll('wire-gram'))) {
    const wg = el as HTMLElement & { refresh?: () => void };
    if (wg.firstElementChild && typeof wg.refresh === 'function') wg.refresh();
  }
}
