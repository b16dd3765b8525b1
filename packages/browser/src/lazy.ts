/**
 * Drawing figures when they near the viewport. run() over a long page spends about half its time creating SVG
 * elements (≈ 130 per diagram); a reader sees two or three diagrams at first. So run() renders every block
 * (errors and sizes are known at once), puts each figure in place with its outer `<svg>` at its final size, and
 * draws here:
 * - at once, before run() returns, every figure within half a viewport height of the visible area (nearViewport,
 *   read from the placed figures) — what the reader sees first is not blank;
 * - the others when an IntersectionObserver sees them come within that distance while scrolling;
 * - all that are left on `beforeprint` (printing and "save as PDF" show every diagram), and on `drawPending()`.
 * Without IntersectionObserver (or with `run({ lazy: false })`) everything is drawn before run() returns.
 */

interface Waiting {
  element: HTMLElement;
  fill: () => void;
}

/** How far from the visible area (in viewport heights) a figure is drawn ahead of being seen. */
const AHEAD = 0.5;

// The flush of every lazy run() on the page that still has figures waiting (for drawPending()).
const flushes = new Set<() => void>();

/** Whether this page can draw lazily (an IntersectionObserver and a window). */
export function canDefer(doc: Document): boolean {
  return !!doc.defaultView && typeof doc.defaultView.IntersectionObserver === 'function';
}

/**
 * Which of `elements` are within AHEAD viewport heights of the visible area: every position read in one batch
 * after all figures are placed and before any is drawn, so the page is laid out once, with empty figures (the
 * outer `<svg>`s at their final sizes: cheap), and the places are exact — a diagram is usually several times
 * taller than its code block, so judging from the blocks drew three times the figures the reader can see.
 * Elements not laid out (display: none, a detached root) count as near: there is no position to wait for.
 */
export function nearViewport(doc: Document, elements: Element[]): boolean[] {
  const view = doc.defaultView;
  if (!view) return elements.map(() => true);
  return elements.map((el) => isNear(view, el.getBoundingClientRect()));
}

/** nearViewport's test for one box already read. */
function isNear(view: Window, r: DOMRect): boolean {
  const h = view.innerHeight;
  return (r.width === 0 && r.height === 0) || (r.bottom >= -AHEAD * h && r.top <= (1 + AHEAD) * h && r.right >= 0 && r.left <= view.innerWidth);
}

/** Draw the figures near the viewport now and the others as they come near (see above); returns how many wait. */
export function drawWhenNear(doc: Document, items: Waiting[]): number {
  const view = doc.defaultView;
  const later = new Map<Element, () => void>();
  // All reads first, then the drawing (writes): one layout, none forced between figures.
  const near = view ? nearViewport(doc, items.map((it) => it.element)) : [];
  items.forEach((it, i) => {
    if (!view || near[i]) it.fill();
    else later.set(it.element, it.fill);
  });
  if (!later.size || !view) return 0;
  const flush = (): void => {
    for (const fill of later.values()) fill();
    later.clear();
    done();
  };
  const done = (): void => {
    observer.disconnect();
    view.removeEventListener('beforeprint', flush);
    flushes.delete(flush);
  };
  const observer = new view.IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const fill = later.get(e.target);
        if (!fill) continue;
        later.delete(e.target);
        observer.unobserve(e.target);
        fill();
      }
      if (!later.size) done();
    },
    { rootMargin: `${AHEAD * 100}% 0px` },
  );
  for (const el of later.keys()) observer.observe(el);
  view.addEventListener('beforeprint', flush);
  flushes.add(flush);
  return later.size;
}

/**
 * Draw every figure now (`run({ lazy: false })`), and let the browser style and lay out only those near the
 * viewport: the others get `content-visibility: auto` with their measured size as `contain-intrinsic-size`
 * (read in one batch while the figures are empty, as nearViewport), so their text is in the page (find-in-page,
 * copy) and their boxes keep exactly the size they will have, while the browser's style and layout of their
 * ≈ 130 elements each waits until they are scrolled near — that work was as much as all of run()'s own. The
 * size is the one measured at run(): a figure never shown keeps it if the window is later resized (it then
 * settles when scrolled near, as any `content-visibility: auto` box). Without `content-visibility` (or a
 * window), simply everything is drawn.
 */
export function drawAll(doc: Document, items: Waiting[]): void {
  const view = doc.defaultView;
  const sizes = view && view.CSS?.supports?.('content-visibility', 'auto') ? farSizes(view, items.map((it) => it.element)) : [];
  items.forEach((it, i) => {
    const size = sizes[i];
    if (size) {
      it.element.style.setProperty('content-visibility', 'auto');
      it.element.style.setProperty('contain-intrinsic-size', `auto ${size[0]}px auto ${size[1]}px`);
    }
    it.fill();
  });
}

/**
 * For each element away from the viewport, its content box's width and height; null for those near it, and for
 * those under a transform (a scaled slide: the on-screen box is not the layout size, so none is guessed).
 */
function farSizes(view: Window, elements: HTMLElement[]): Array<[number, number] | null> {
  // One box read per element, all before any figure is drawn (as nearViewport).
  return elements.map((el) => {
    const r = el.getBoundingClientRect();
    if (isNear(view, r)) return null;
    if (Math.abs(r.width - el.offsetWidth) > 1 || Math.abs(r.height - el.offsetHeight) > 1) return null;
    const cs = view.getComputedStyle(el);
    const px = (v: string) => parseFloat(v) || 0;
    const w = r.width - px(cs.paddingLeft) - px(cs.paddingRight) - px(cs.borderLeftWidth) - px(cs.borderRightWidth);
    const h = r.height - px(cs.paddingTop) - px(cs.paddingBottom) - px(cs.borderTopWidth) - px(cs.borderBottomWidth);
    return [Math.max(0, w), Math.max(0, h)];
  });
}

/** Draw every figure a lazy run() left waiting (e.g. before taking a screenshot or measuring the page). */
export function drawPending(): void {
  for (const flush of [...flushes]) flush();
}
