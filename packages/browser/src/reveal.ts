/**
 * `RevealWiregram`: the reveal.js plugin, as reveal.js-mermaid-plugin is for Mermaid.
 *
 *   import Reveal from 'reveal.js';
 *   import Markdown from 'reveal.js/plugin/markdown';
 *   import { RevealWiregram } from '@wiregram/browser';
 *   Reveal.initialize({ plugins: [Markdown, RevealWiregram], wiregram: { theme: 'dark' } });
 *
 * It draws every `tcp-sequence` / `packet-header` block of the deck when reveal.js starts (after the Markdown
 * plugin, which must come first in `plugins`). A block with the `steps` flag — the fence's info string
 * (```` ```tcp-sequence steps ````, which reveal's Markdown plugin keeps as a class), a `steps` class or
 * `data-steps` attribute on the `<code>`/`<pre>`, or `wiregram: { steps: true }` for every block — becomes
 * fragments: one key press per segment (with its label and the state changes it causes), in the order of
 * `wiregram deck --steps`. Without script the slide shows every step.
 */
import { DIAGRAM_LANGUAGES, parseFenceMeta, toWiregramError, type DiagramLanguage } from '@wiregram/core';
import { checkDarkSelector } from '@wiregram/svg';
import { renderInto, type PageOptions } from './draw.js';
import { defineElement, onElementDraw, refreshElements } from './element.js';
import { findBlocks } from './find.js';

/** `wiregram:` in reveal.js's config: the page options of `run()`, and `steps` for every block. */
export interface RevealWiregramOptions extends PageOptions {
  /** Every timing diagram in steps (default: only blocks that ask for it). */
  steps?: boolean;
  /** Languages to draw (default both). */
  languages?: readonly DiagramLanguage[];
}

/** The parts of reveal.js's API the plugin uses (reveal.js 4–6). */
export interface RevealLike {
  getConfig(): object;
  getSlidesElement?(): HTMLElement | null;
  getRevealElement?(): HTMLElement | null;
}

export interface RevealPlugin {
  id: 'wiregram';
  init(deck: RevealLike): void;
}

/** Fence options a block carries on its `<code>` (reveal's Markdown plugin writes the info string as its class). */
function blockMeta(block: Element, language: DiagramLanguage) {
  const code = block.matches('code') ? block : (block.querySelector('code') ?? block);
  const words: string[] = [];
  for (const el of [block, code]) for (const c of Array.from(el.classList)) if (c !== language && !c.endsWith('-' + language) && c !== 'hljs') words.push(c);
  const meta = parseFenceMeta(words.join(' '));
  if (code.hasAttribute('data-steps') || block.hasAttribute('data-steps')) meta.options.steps = (code.getAttribute('data-steps') ?? block.getAttribute('data-steps')) !== 'false';
  return meta.options;
}

/** Each step group of a drawn diagram becomes a reveal.js fragment, numbered with its step. */
function toFragments(figure: Element): number {
  const groups = Array.from(figure.querySelectorAll('g.wg-step[data-wg-step]'));
  for (const g of groups) {
    g.classList.add('fragment');
    g.setAttribute('data-fragment-index', g.getAttribute('data-wg-step')!);
  }
  return groups.length;
}

// The decks drawDeck() has seen: their <wire-gram> elements make their steps fragments whenever they draw. An
// element may draw after the plugin ran — the bundle's <wire-gram> waits for DOMContentLoaded when defined while
// the page is parsed, and reveal.js's Markdown plugin can have fetched its file before that — or redraw later (an
// attribute changed): either way its steps would show at once and no key press would reveal them.
const decks = new Set<ParentNode>();
let hooked = false;

function inDeck(el: Element): boolean {
  for (const root of decks) if (root === el.ownerDocument || (root as Node).contains(el)) return true;
  return false;
}

/**
 * Steps of a redrawn element keep reveal.js's state: its fragment numbers (reveal renumbers fragments from 0) and
 * which are revealed (the `visible` class, from which reveal reads where the slide is).
 */
function elementDrawn(el: HTMLElement, content: HTMLElement, previous: Element | null): void {
  if (!inDeck(el)) return;
  toFragments(content);
  if (!previous) return;
  const before = new Map<string, Element>();
  for (const old of Array.from(previous.querySelectorAll('g.wg-step.fragment[data-wg-step]'))) before.set(old.getAttribute('data-wg-step')!, old);
  for (const g of Array.from(content.querySelectorAll('g.wg-step[data-wg-step]'))) {
    const old = before.get(g.getAttribute('data-wg-step')!);
    if (!old) continue;
    const index = old.getAttribute('data-fragment-index');
    if (index !== null) g.setAttribute('data-fragment-index', index);
    for (const c of ['visible', 'current-fragment']) if (old.classList.contains(c)) g.classList.add(c);
  }
}

/** Draw the blocks under `root` (a deck), steps as fragments. Returns how many were drawn and how many failed. */
export function drawDeck(root: ParentNode, options: RevealWiregramOptions = {}): { rendered: number; failed: number } {
  const { steps: all, languages = DIAGRAM_LANGUAGES, ...page } = options;
  const result = { rendered: 0, failed: 0 };
  const doc = (root as Node).ownerDocument ?? (root as Document);
  if (page.darkSelector !== undefined) checkDarkSelector(page.darkSelector);
  // <wire-gram> elements on the slides draw themselves, with the same page options (redrawn if the bundle drew
  // them already with others); `<wire-gram steps>` becomes fragments as a block does — now if drawn, else when
  // it draws (elementDrawn).
  decks.add(root);
  if (!hooked) {
    onElementDraw(elementDrawn);
    hooked = true;
  }
  if (defineElement(page)) refreshElements(root);
  for (const el of Array.from(root.querySelectorAll('wire-gram'))) toFragments(el);
  for (const block of findBlocks(root, languages)) {
    const fence = blockMeta(block.element, block.language);
    const stepped = block.language === 'tcp-sequence' && (fence.steps ?? all === true);
    const { element, error } = renderInto(doc, block.element, block.source, block.language, { ...page, ...fence, steps: stepped });
    block.element.replaceWith(element);
    if (error) result.failed++;
    else {
      result.rendered++;
      if (stepped) toFragments(element);
    }
  }
  return result;
}

/** The reveal.js plugin (pass the function itself, as with reveal's own plugins: `plugins: [RevealWiregram]`). */
export function RevealWiregram(): RevealPlugin {
  return {
    id: 'wiregram',
    init(deck) {
      const config = (deck.getConfig() as { wiregram?: RevealWiregramOptions }).wiregram ?? {};
      const root = deck.getRevealElement?.() ?? deck.getSlidesElement?.() ?? document;
      try {
        drawDeck(root, config);
      } catch (e) {
        // A bad option (a darkSelector that could leave its rule) is one console line, never a broken deck.
        console.error(`wiregram: ${toWiregramError(e).message}`);
      }
    },
  };
}
