/**
 * Step-by-step reveal of a diagram drawn with `steps` (fence flag, `steps: true`), for slide tools without
 * fragments of their own (Marp's HTML, a hand-written page). The SVG numbers its steps (`g.wg-step[data-wg-step]`,
 * the order of `wiregram deck --steps`) and hides nothing itself; the CSS hook is the custom property
 * `--wg-shown: k` on the diagram or any ancestor (steps above k get opacity 0). `steps()` sets it.
 *
 *   const control = steps(document.querySelector('figure.wiregram'), { keys: true });
 *   control.next();   // one more segment
 */

export interface StepOptions {
  /** Steps shown at first (default 0: only the participants and their first states). */
  start?: number;
  /**
   * Bind → / Space / PageDown (next) and ← / PageUp (previous) on the document, and a click on the diagram
   * (next). Default false: drive it with `next()` / `prev()` / `show()`.
   */
  keys?: boolean;
}

export interface StepControl {
  /** The diagram's last step (0 for a diagram drawn without `steps`). */
  readonly count: number;
  /** Steps shown now. */
  readonly shown: number;
  /** Show steps 1…k (clamped to 0…count). */
  show(k: number): void;
  /** One step more; false when all were shown already. */
  next(): boolean;
  /** One step fewer; false at 0. */
  prev(): boolean;
  /** Remove the key and click handlers and show every step again. */
  dispose(): void;
}

/**
 * The diagram's `<svg>` in `target` (the svg itself, its figure, or any element holding one): the stepped one if
 * drawn, else the first diagram — a figure a lazy `run()` has not drawn yet gets its steps when it is drawn.
 */
function stepped(target: Element | null): SVGSVGElement | null {
  if (!target || typeof target.matches !== 'function') return null;
  if (target.matches('svg.wg-diagram, svg[data-wg-steps]')) return target as SVGSVGElement;
  return target.querySelector('svg[data-wg-steps]') ?? target.querySelector('svg.wg-diagram');
}

/**
 * Step through the diagram in `target`. Call it once the diagram is drawn (after `run()` on a loaded page); a
 * target without a stepped diagram (null, or drawn without `steps`) gives a control with `count` 0.
 */
export function steps(target: Element | null, options: StepOptions = {}): StepControl {
  const svg = stepped(target);
  // Read when used: the drawing (and its data-wg-steps) may arrive after steps() was called (a lazy run()).
  const count = () => (svg ? Math.max(0, Math.floor(Number(svg.getAttribute('data-wg-steps')) || 0)) : 0);
  let shown = 0;
  const show = (k: number) => {
    // Before the drawing is there, the start step is kept as asked (it cannot be checked against the count).
    const last = count();
    const want = Math.max(0, Math.floor(Number.isFinite(k) ? k : last));
    shown = last > 0 ? Math.min(last, want) : want;
    svg?.style.setProperty('--wg-shown', String(shown));
  };
  show(options.start ?? 0);
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const moved = e.key === 'ArrowRight' || e.key === ' ' || e.key === 'PageDown' ? control.next() : e.key === 'ArrowLeft' || e.key === 'PageUp' ? control.prev() : false;
    if (moved) e.preventDefault();
  };
  const onClick = () => control.next();
  const doc = svg?.ownerDocument ?? null;
  if (options.keys && svg && doc) {
    doc.addEventListener('keydown', onKey);
    svg.addEventListener('click', onClick);
  }
  const control: StepControl = {
    get count() {
      return count();
    },
    get shown() {
      return shown;
    },
    show,
    next: () => (shown < count() ? (show(shown + 1), true) : false),
    prev: () => (shown > 0 ? (show(shown - 1), true) : false),
    dispose: () => {
      doc?.removeEventListener('keydown', onKey);
      svg?.removeEventListener('click', onClick);
      svg?.style.removeProperty('--wg-shown');
    },
  };
  return control;
}
