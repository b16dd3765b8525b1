/**
 * Text → Scene *and* the model it was drawn from, in one synchronous call. `layoutSource` returns only the
 * Scene, so a host that also wants the core's non-fatal findings (an override accepted and marked, a capture
 * frame skipped, …) had to parse the block a second time; this returns them from the same parse.
 *
 * `layoutSource` (source.ts) is `layoutSourceWithModel(...).scene`: the option mapping lives here only.
 */
import {
  compileSequence,
  ELIDE_MODES,
  FENCE_META_VALUES,
  HEADER_LIMITS,
  suggest,
  parsePacketHeader,
  WiregramError,
  withWiregramErrors,
  type CompileOptions,
  type TimingLayout,
  type DiagramLanguage,
  type Diagnostic,
  type HeaderModel,
  type ParsePacketHeaderOptions,
  type Timeline,
} from '@wiregram/core';
import { checkSceneBudget, DEFAULT_BUDGET, headerSurelyFits, timelineSurelyFits, type BudgetOptions } from './budget.js';
import { layoutHeader, type HeaderLayoutOptions } from './header/index.js';
import { attachSegmentHeaders } from './header/attach.js';
import { elideTimeline } from './timing/elide.js';
import type { Scene } from './scene.js';
import { layoutTimeline, type TimingLayoutOptions } from './timing/layout.js';

export interface LayoutSourceOptions
  extends CompileOptions,
    Omit<TimingLayoutOptions, 'style'>,
    Omit<HeaderLayoutOptions, 'fontSize'> {
  /** Default `tcp-sequence`. */
  language?: DiagramLanguage;
  /** Timing-diagram style; overrides the block's `option layout=…`. */
  style?: TimingLayout;
  /** Bits per row for `packet-header` when the block does not say. */
  rowBits?: ParsePacketHeaderOptions['rowBits'];
}

export type LayoutSourceResult =
  | { language: 'tcp-sequence'; scene: Scene; warnings: Diagnostic[]; model: Timeline }
  | { language: 'packet-header'; scene: Scene; warnings: Diagnostic[]; model: HeaderModel };

export function layoutSourceWithModel(source: string, options: LayoutSourceOptions = {}): LayoutSourceResult {
  return compileChecked(source, options, (compiled): LayoutSourceResult => {
    if (compiled.language === 'tcp-sequence') return { ...compiled, scene: drawTimeline(compiled.model, compiled.layout) };
    return { ...compiled, scene: layoutHeader(compiled.model, compiled.layout) };
  });
}

/**
 * For `wiregram check`: what `layoutSourceWithModel` would throw, and the warnings it would return, without
 * drawing what cannot fail. A timing diagram's Scene is built only when the model's estimate does not clear the
 * output budget by a wide margin (`timelineSurelyFits`, on the model after `elide`) or when it has `header`
 * statements; otherwise nothing past the model can fail. A header is laid out only when an upper bound of its
 * Scene (`headerSurelyFits`) does not clear the budget.
 */
export function checkSource(source: string, options: LayoutSourceOptions = {}): { warnings: Diagnostic[]; drawn: boolean } {
  return compileChecked(source, options, (compiled) => {
    if (compiled.language === 'packet-header') {
      // The budget is all a header's layout can refuse: skipped when the model's upper bound clears it.
      if (headerSurelyFits(compiled.model, compiled.layout)) return { warnings: compiled.warnings, drawn: false };
      layoutHeader(compiled.model, compiled.layout);
      return { warnings: compiled.warnings, drawn: true };
    }
    const timeline = compiled.model;
    // What layoutTimeline estimates and draws: the timeline after `elide` folded its long runs.
    const drawnTimeline = elideTimeline(timeline, compiled.layout.elide ?? timeline.options?.elide).timeline;
    if (timeline.headers?.length || !timelineSurelyFits(drawnTimeline, compiled.layout)) {
      drawTimeline(timeline, compiled.layout);
      return { warnings: compiled.warnings, drawn: true };
    }
    // No checkTimelineBudget here: it sums the very estimates timelineSurelyFits just found within the budget
    // (times SCENE_MARGIN, which is ≥ 1), so it cannot throw.
    return { warnings: compiled.warnings, drawn: false };
  });
}

type Compiled =
  | { language: 'tcp-sequence'; model: Timeline; warnings: Diagnostic[]; layout: TimingLayoutOptions }
  | { language: 'packet-header'; model: HeaderModel; warnings: Diagnostic[]; layout: HeaderLayoutOptions };

/** The language and options checked, the source compiled to its model, then `then`: one mapping of options. */
function compileChecked<T>(source: string, options: LayoutSourceOptions, then: (compiled: Compiled) => T): T {
  const language = options.language ?? 'tcp-sequence';
  if (language !== 'tcp-sequence' && language !== 'packet-header') {
    throw new WiregramError({
      code: 'unknown-language',
      reason: `unknown diagram language ${JSON.stringify(String(language))}`,
      expected: '`tcp-sequence` or `packet-header`',
      hint: typeof language === 'string' && suggest(language, ['tcp-sequence', 'packet-header'])
        ? `did you mean language: '${suggest(language, ['tcp-sequence', 'packet-header'])}'?`
        : 'use a fenced block ```tcp-sequence or ```packet-header',
    });
  }
  checkLayoutOptions(options);
  // A bug of ours must still reach the user as a typed error, not a stack trace.
  return withWiregramErrors((): T => {
    if (language === 'tcp-sequence') {
      const compile: CompileOptions = {};
      if (options.labelStyle) compile.labelStyle = options.labelStyle;
      if (options.stateNames) compile.stateNames = options.stateNames;
      if (options.numbering) compile.numbering = options.numbering;
      if (options.layout) compile.layout = options.layout;
      if (options.readFile) compile.readFile = options.readFile;
      if (options.style) compile.drawAs = options.style;
      if (options.elide) compile.elide = options.elide;
      const timeline = compileSequence(source, compile);
      const lo: TimingLayoutOptions = {};
      const style = options.style ?? options.layout;
      if (style) lo.style = style;
      if (options.fontSize !== undefined) lo.fontSize = options.fontSize;
      if (options.title !== undefined) lo.title = options.title;
      if (options.unit !== undefined) lo.unit = options.unit;
      if (options.direction !== undefined) lo.direction = options.direction;
      if (options.elide !== undefined) lo.elide = options.elide;
      copyBudget(options, lo);
      return then({ language, model: timeline, warnings: timeline.warnings ?? [], layout: lo });
    }
    const po: ParsePacketHeaderOptions = {};
    if (options.rowBits !== undefined) po.rowBits = options.rowBits;
    if (options.readFile) (po as { readFile?: CompileOptions['readFile'] }).readFile = options.readFile;
    const model = parsePacketHeader(source, po);
    const ho: HeaderLayoutOptions = {};
    if (options.bitWidth !== undefined) ho.bitWidth = options.bitWidth;
    if (options.fontSize !== undefined) ho.fontSize = options.fontSize;
    if (options.ruler !== undefined) ho.ruler = options.ruler;
    if (options.offsets !== undefined) ho.offsets = options.offsets;
    copyBudget(options, ho);
    return then({ language, model, warnings: model.warnings ?? [], layout: ho });
  }, {
    code: 'layout-internal',
    reason: 'could not lay out the diagram',
    hint: 'this is a bug in wiregram; please report it with the block that triggers it',
  });
}

/** `header N` statements: the segment's header grid under the diagram (owner: header layout). */
function drawTimeline(timeline: Timeline, lo: TimingLayoutOptions): Scene {
  const scene = layoutTimeline(timeline, lo);
  const withHeaders = attachSegmentHeaders(scene, timeline);
  // layoutTimeline checked its own Scene; only header grids added to it need another look.
  return withHeaders === scene ? scene : checkSceneBudget(withHeaders, lo);
}

function copyBudget(from: BudgetOptions, to: BudgetOptions): void {
  if (from.maxElements !== undefined) to.maxElements = from.maxElements;
  if (from.maxTextBytes !== undefined) to.maxTextBytes = from.maxTextBytes;
}

/** The string options and the values each takes; the fence's table (core) is the single list of names. */
const CHOICES: Readonly<Record<string, readonly string[]>> = {
  style: FENCE_META_VALUES.style,
  layout: FENCE_META_VALUES.style,
  labelStyle: FENCE_META_VALUES.labelStyle,
  stateNames: FENCE_META_VALUES.stateNames,
  numbering: FENCE_META_VALUES.numbering,
  // Only a string theme is judged here (svg: auto/light/dark); the PDF backend takes a palette object too.
  theme: FENCE_META_VALUES.theme,
  elide: ELIDE_MODES,
};
const BOOLEANS = ['title', 'ruler', 'offsets'] as const;
/** Positive sizes in px and their sane upper bounds (a typo such as 1200 for 12 is refused, not drawn). */
const SIZES: Readonly<Record<string, number>> = { fontSize: 200, unit: 10000, bitWidth: 400 };

// The tables as lists once: this check runs for every diagram drawn.
const CHOICE_LIST = Object.entries(CHOICES);
const SIZE_LIST = Object.entries(SIZES);
const BUDGET_NAMES = ['maxElements', 'maxTextBytes'] as const;

function optionError(option: string, value: unknown, expected: string, hint: string): WiregramError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new WiregramError({ code: 'invalid-option', reason: `option ${option}: ${shown} is not a valid value`, expected, hint });
}

/**
 * Every option value is checked here, where they are mapped, so renderSvg, renderPdf, the Markdown plugins and
 * the CLI refuse `style: 'zigzag'` alike instead of silently drawing the default. (A fence's own values are
 * checked by core's parseFenceMeta and reported as warnings; only valid ones reach this point.)
 */
export function checkLayoutOptions(options: object): void {
  const o = options as Record<string, unknown>;
  // Indexed loops, no destructuring: this runs for every diagram, mostly in a cold process where for…of and
  // array patterns allocate an iterator and a result per step.
  for (let i = 0; i < CHOICE_LIST.length; i++) {
    const name = CHOICE_LIST[i]![0];
    const allowed = CHOICE_LIST[i]![1];
    const value = o[name];
    if (value === undefined) continue;
    if (name === 'theme' && typeof value === 'object' && value !== null) continue;
    if (typeof value === 'string' && allowed.includes(value)) continue;
    const near = typeof value === 'string' ? suggest(value, allowed) : null;
    throw optionError(
      name,
      value,
      allowed.join(', '),
      near ? `did you mean ${name}: '${near}'?` : `use one of ${allowed.map((a) => `'${a}'`).join(', ')}, or leave ${name} out for the default`,
    );
  }
  for (let i = 0; i < BOOLEANS.length; i++) {
    const name = BOOLEANS[i]!;
    const value = o[name];
    // The PDF backend's `title` is a page title (string); it never reaches here, but a string is harmless.
    if (value === undefined || typeof value === 'boolean' || (name === 'title' && typeof value === 'string')) continue;
    throw optionError(name, value, 'true or false', `e.g. ${name}: true`);
  }
  for (let i = 0; i < SIZE_LIST.length; i++) {
    const name = SIZE_LIST[i]![0];
    const max = SIZE_LIST[i]![1];
    const value = o[name];
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max) continue;
    throw optionError(name, value, `a number of px greater than 0 and at most ${max}`, `e.g. ${name}: ${name === 'fontSize' ? 12 : name === 'bitWidth' ? 20 : 40}`);
  }
  for (let i = 0; i < BUDGET_NAMES.length; i++) {
    const name = BUDGET_NAMES[i]!;
    const value = o[name];
    if (value === undefined || (typeof value === 'number' && Number.isInteger(value) && value > 0)) continue;
    throw optionError(name, value, 'a whole number greater than 0', `e.g. ${name}: ${DEFAULT_BUDGET[name] * 2} (default ${DEFAULT_BUDGET[name]})`);
  }
  if (o.direction !== undefined && (typeof o.direction !== 'string' || !/^[\p{L}\p{N}_.-]{1,64}$/u.test(o.direction))) {
    throw optionError('direction', o.direction, 'a participant id (the data sender) or reverse', 'e.g. direction: "client"');
  }
  const rowBits = o.rowBits;
  if (rowBits !== undefined && !(typeof rowBits === 'number' && Number.isInteger(rowBits) && rowBits >= 1 && rowBits <= HEADER_LIMITS.maxRowBits)) {
    throw optionError('rowBits', rowBits, `a whole number of bits from 1 to ${HEADER_LIMITS.maxRowBits}`, 'e.g. rowBits: 32');
  }
  if (o.readFile !== undefined && typeof o.readFile !== 'function') {
    throw optionError('readFile', typeof o.readFile, 'a function (path, position) => Uint8Array', 'leave readFile out unless the host supplies file access');
  }
}
