/** Options of the timing layouts, in a file of its own: layout.ts, finish.ts and flow.ts all read them. */
import type { ElideMode, TimingLayout } from '@wiregram/core';
import type { BudgetOptions } from '../budget.js';

export interface TimingLayoutOptions extends BudgetOptions {
  /** Overrides `timeline.options.layout`. */
  style?: TimingLayout;
  /** Base font size in px for labels (other sizes scale from it). Default 12. */
  fontSize?: number;
  /** Draw the title (default: when the timeline has one). */
  title?: boolean;
  /** px per abstract time unit before any stretching. Default 3.6 × the label line height. */
  unit?: number;
  /**
   * Stream graphs: the direction of data to draw — the sender's participant id, or `reverse`; overrides the
   * block's `option direction=…`. Default: the endpoint that sent more data.
   */
  direction?: string;
  /** Overrides `option elide=…`: fold runs of unremarkable segments into labelled gaps (elide.ts). */
  elide?: ElideMode;
}
