/**
 * What replaces a block on the page: a `<figure class="wiregram wiregram-LANGUAGE">` holding the SVG, or a
 * `<div class="wiregram wiregram-error" role="alert">` (the classes the Markdown plugins use) with the same title, code frame and hint the Markdown plugins
 * show. Author text only ever reaches the page as text nodes (the SVG string is the renderer's own markup,
 * with every author string escaped).
 */
import type { DiagramLanguage, WiregramError } from '@wiregram/core';
import { ERROR_BOX_STYLE, ERROR_FRAME_STYLE, errorBoxParts } from '@wiregram/svg';

/** The figure for one rendered SVG. */
export function diagramElement(doc: Document, svg: string, language: DiagramLanguage): HTMLElement {
  const figure = doc.createElement('figure');
  figure.className = `wiregram wiregram-${language}`;
  figure.style.margin = '1em 0';
  // A template parses the markup without running anything and without attaching it to the page first.
  const template = doc.createElement('template');
  template.innerHTML = svg;
  const root = template.content.firstElementChild;
  if (root) {
    (root as SVGElement).style.maxWidth = '100%';
    (root as SVGElement).style.height = 'auto';
    figure.appendChild(root);
  }
  return figure;
}

/** The in-page error box for a block that could not be drawn. */
export function errorElement(doc: Document, error: WiregramError, language: DiagramLanguage, source: string): HTMLElement {
  const parts = errorBoxParts(error, language, source, { title: error.position, frame: null, text: null });
  const box = doc.createElement('div');
  box.className = 'wiregram wiregram-error';
  box.setAttribute('role', 'alert');
  box.setAttribute('style', ERROR_BOX_STYLE);
  const title = doc.createElement('strong');
  title.textContent = parts.title;
  const frame = doc.createElement('pre');
  frame.setAttribute('style', ERROR_FRAME_STYLE);
  frame.textContent = parts.frame;
  box.append(title, frame);
  if (parts.hint) {
    const hint = doc.createElement('div');
    hint.textContent = `hint: ${parts.hint}`;
    box.appendChild(hint);
  }
  return box;
}
