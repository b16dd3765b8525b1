/**
 * The output budget of one diagram: how many drawn elements and how many bytes of text a Scene may hold. A few
 * bytes of source can ask for a huge figure (`bits 1` + `0-65535: a` is 65,536 rows; a `loop` multiplies a
 * note), and a documentation build that renders a hundred of them runs out of memory. The budget is checked
 * from the model *before* any geometry is built (an estimate per statement, so the error names the line that
 * crosses it) and once more on the finished Scene.
 */
import { BudgetError, type HeaderField, type HeaderModel, type Position, type Timeline } from '@wiregram/core';
import type { Scene } from './scene.js';
import { ELIDE_AUTO_MIN } from '@wiregram/core';

export interface BudgetOptions {
  /**
   * Most drawn elements (shapes and texts) in one diagram. Default 60,000: a 10,000-segment transfer (the
   * language's limit) draws about 40,000.
   */
  maxElements?: number;
  /** Most bytes (UTF-8) of text in one diagram: labels, notes, title and the description. Default 4,000,000. */
  maxTextBytes?: number;
}

export const DEFAULT_BUDGET: Readonly<Required<BudgetOptions>> = Object.freeze({ maxElements: 60_000, maxTextBytes: 4_000_000 });

/** UTF-8 length without an encoder (layout runs in browsers too, and this runs over every label). */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return n;
}

function limits(options: BudgetOptions): Required<BudgetOptions> {
  return { maxElements: options.maxElements ?? DEFAULT_BUDGET.maxElements, maxTextBytes: options.maxTextBytes ?? DEFAULT_BUDGET.maxTextBytes };
}

const DRAW_LESS = 'draw less (split the diagram, shorten loops or notes)';

function overBudget(kind: 'elements' | 'text', used: number, limit: number, position: Position | null, what: string, advice = DRAW_LESS): BudgetError {
  const option = kind === 'elements' ? 'maxElements' : 'maxTextBytes';
  const unit = kind === 'elements' ? 'drawn elements' : 'bytes of text';
  return new BudgetError({
    reason: `the diagram needs more than ${limit.toLocaleString('en-US')} ${unit} (${option}); ${what} reaches ${used.toLocaleString('en-US')}`,
    position,
    expected: `at most ${limit.toLocaleString('en-US')} ${unit} in one diagram`,
    option,
    limit,
    advice,
  });
}

/** One statement's share of the diagram: its position, elements and text bytes (an estimate from the model). */
interface Cost {
  at: number;
  position: Position | null;
  elements: number;
  text: number;
  what: string;
}

/** Adds costs in source order and throws at the first statement past the budget. */
function charge(costs: Cost[], options: BudgetOptions, advice?: string): void {
  const { maxElements, maxTextBytes } = limits(options);
  costs.sort((a, b) => a.at - b.at);
  let elements = 0;
  let text = 0;
  for (const c of costs) {
    elements += c.elements;
    text += c.text;
    if (elements > maxElements) throw overBudget('elements', elements, maxElements, c.position, c.what, advice);
    if (text > maxTextBytes) throw overBudget('text', text, maxTextBytes, c.position, c.what, advice);
  }
}

const offsetOf = (p: Position | null, fallback: number): number => (p ? p.start.offset : fallback);

/**
 * Timing diagrams: a lower bound of what each statement draws (a segment: line, arrowhead, label and its
 * description; a note: box and a text per line; …), so a diagram past the budget is refused before layout.
 */
export function checkTimelineBudget(timeline: Timeline, options: BudgetOptions): void {
  // A long stream (a capture, most often) has an overview that fits: say so first.
  const overview = timeline.segments.length > ELIDE_AUTO_MIN && (timeline.options?.elide ?? 'off') === 'off';
  charge(timelineCosts(timeline), options, overview ? `draw an overview with option elide=auto (runs of plain segments folded), or ${DRAW_LESS}` : DRAW_LESS);
}

/**
 * Every statement's estimate (elements, text bytes), in source-list order, handed to `visit` with its position and
 * what it is (`index` numbers a segment): the one list of the statement kinds and their costs, for the budget's
 * costs and timelineSurelyFits' sums. Indexed loops, and no object per statement: `check` runs this for every
 * diagram, mostly in a cold process.
 */
function eachEstimate(timeline: Timeline, visit: (elements: number, text: number, position: Position | null, what: string, index: number) => void): void {
  const { segments, states, timers, notes, dividers } = timeline;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    let text = utf8Bytes(s.label) * 2; // the label, and the segment in words in the description
    for (let k = 0; k < s.marks.length; k++) text += utf8Bytes(s.marks[k]!.text);
    if (s.note) text += utf8Bytes(s.note);
    visit(3 + s.marks.length, text, s.position, 'segment', s.index);
  }
  for (let i = 0; i < states.length; i++) visit(2, 2 * states[i]!.to.length, states[i]!.position, 'a state change', i);
  for (let i = 0; i < timers.length; i++) visit(3, utf8Bytes(timers[i]!.label), timers[i]!.position, 'a timer', i);
  for (let i = 0; i < notes.length; i++) {
    const note = notes[i]!;
    // A note's box and a text per line.
    let lines = 1;
    for (let k = note.text.indexOf('\n'); k !== -1; k = note.text.indexOf('\n', k + 1)) lines++;
    visit(1 + lines, utf8Bytes(note.text), note.position, 'a note', i);
  }
  for (let i = 0; i < dividers.length; i++) visit(2, utf8Bytes(dividers[i]!.text), dividers[i]!.position, 'a divider', i);
}

function timelineCosts(timeline: Timeline): Cost[] {
  const costs: Cost[] = [];
  const n = Number.MAX_SAFE_INTEGER;
  eachEstimate(timeline, (elements, text, position, what, index) => {
    costs.push({ at: offsetOf(position, n), position, elements, text, what: what === 'segment' ? `segment ${index + 1}` : what });
  });
  return costs;
}

/** The sums of timelineCosts, without a list. */
function timelineTotals(timeline: Timeline): { elements: number; text: number } {
  const sum = { elements: 0, text: 0 };
  eachEstimate(timeline, (elements, text) => {
    sum.elements += elements;
    sum.text += text;
  });
  return sum;
}

/**
 * How far a Scene may exceed the model's estimate before `timelineSurelyFits` stops vouching for it. On every
 * timing diagram of the docs, examples and tests, in every style, the Scene holds at most ~8× the estimated
 * elements and ~12× the estimated text (what the estimate leaves out: participant headers, lifelines, the title,
 * the description's framing); layout-budget.test.ts keeps that so. Per participant: header box, name, lifeline,
 * first state box and text.
 */
export const SCENE_MARGIN = { factor: 32, perParticipant: 16, elements: 200, text: 4096 } as const;

/**
 * True when the timeline's Scene cannot reach the budget: its estimate (a lower bound of what is drawn, see
 * checkTimelineBudget) times SCENE_MARGIN is still within both limits. `wiregram check` then skips building a
 * Scene whose only possible error is the budget; anything closer is laid out and checked for real.
 */
export function timelineSurelyFits(timeline: Timeline, options: BudgetOptions): boolean {
  const { maxElements, maxTextBytes } = limits(options);
  const { elements, text } = timelineTotals(timeline);
  let names = 0;
  for (let i = 0; i < timeline.participants.length; i++) names += utf8Bytes(timeline.participants[i]!.label);
  const m = SCENE_MARGIN;
  const parts = timeline.participants.length;
  return (
    elements * m.factor + parts * m.perParticipant + m.elements <= maxElements &&
    (text + names) * m.factor + utf8Bytes(timeline.title ?? '') * m.factor + m.text <= maxTextBytes
  );
}

/**
 * Header layouts: every row draws at least its cells' frame, and every field its box and name. `rows` is the
 * row count the layout computed from the bit offsets; the field that starts the first row past the budget is
 * the one named.
 */
export function checkHeaderBudget(model: HeaderModel, rowOf: (index: number) => number, rowBits: number, options: BudgetOptions): void {
  const costs: Cost[] = [];
  let lastRow = -1;
  model.fields.forEach((f, i) => {
    const row = rowOf(i);
    // Rows this field opens (a long field spans many), each drawn with its frame and separators.
    const newRows = Math.max(0, row + Math.ceil((f.bits ?? rowBits) / rowBits) - 1 - lastRow);
    lastRow = Math.max(lastRow, row + Math.ceil((f.bits ?? rowBits) / rowBits) - 1);
    costs.push({ at: i, position: f.position, elements: 2 + newRows, text: utf8Bytes(f.name) + (f.value ? utf8Bytes(f.value) : 0), what: `field "${f.name.slice(0, 40)}"` });
  });
  charge(costs, options);
}

/**
 * Per header field, the most layoutHeader (header/index.ts) draws: ≤ 3 outlines (a field crossing rows has at most
 * three pieces: the rest of its first row, its whole rows merged, the start of its last row); ≤ 5 texts per piece
 * (stacked flag letters — at most 4 — and a value; otherwise name and value, or one rotated name and a value);
 * and on each inner row boundary of the field one dashed line cut around the field's own texts (≤ 15 of them),
 * so ≤ 16 lines. Any text is a candidate (name, short name, value, raw value, `name: value`, `name (cont.)`) or
 * a prefix of one plus an ellipsis. Number texts (raw values, offsets, ruler labels) are at most 24 bytes
 * (`String` of any double).
 */
const HEADER_BOUND = { piecesPerField: 3, textsPerPiece: 5, dashesPerSeparator: 16, numberBytes: 24 } as const;

/**
 * True when a header's Scene cannot reach the budget: an upper bound — not an estimate — of every item and text
 * byte layoutHeader can draw, from the model alone, is within both limits (it also bounds checkHeaderBudget's
 * sums, which count fewer). The budget is all layoutHeader refuses and it adds no warnings, so `wiregram check`
 * then skips the layout. Rows are bounded without placing the fields: a fixed field ends by its offset plus the
 * shift every variable-length field before it adds, and each such field adds at most the largest offset and a row
 * (so the grid ends by (variable fields + 1) × (largest offset + row) + the sum of the fields' widths).
 * header-bound.test.ts compares it with real layouts, generated ones included.
 */
export function headerSurelyFits(model: HeaderModel, options: BudgetOptions): boolean {
  const { maxElements, maxTextBytes } = limits(options);
  const rowBits = Math.max(1, Math.floor(model.rowBits || 32));
  const b = HEADER_BOUND;
  const textsPerField = b.piecesPerField * b.textsPerPiece;
  // A field object listed twice would have its row boundaries cut twice: never from the parser, but not bounded.
  const seen = new Set<HeaderField>();
  let maxOffset = 0;
  let widths = 0;
  let variable = 0;
  let elements = 0;
  let text = 0;
  for (const f of model.fields) {
    if (seen.has(f) || !(f.offset >= 0 && f.offset <= Number.MAX_SAFE_INTEGER)) return false;
    seen.add(f);
    const bits = f.bits === null ? rowBits : Math.max(1, Math.ceil(f.bits));
    if (!(bits <= Number.MAX_SAFE_INTEGER)) return false;
    if (f.bits === null) variable++;
    if (f.offset > maxOffset) maxOffset = f.offset;
    widths += bits;
    const name = utf8Bytes(f.name);
    const value = f.value === null ? 0 : utf8Bytes(f.value);
    // Each inner row boundary (≤ rows the field crosses) is one separator.
    elements += b.piecesPerField + textsPerField + b.dashesPerSeparator * Math.ceil(bits / rowBits);
    // Every text at most all the candidates' parts together, plus an ellipsis; the field's part of the description.
    text += textsPerField * (name + (f.short === null ? 0 : utf8Bytes(f.short)) + value + b.numberBytes + 16) + name + value + 2 * b.numberBytes + 32;
  }
  const rows = Math.ceil(((variable + 1) * (maxOffset + rowBits) + widths) / rowBits);
  // Background and title; the ruler (a label and a tick per bit, one more tick); an offset label per row.
  elements += 2 + 2 * rowBits + 1 + rows;
  text += (rowBits + rows) * b.numberBytes;
  for (const g of model.groups ?? []) {
    // A flag group's caption (box and text), a bracket (line and text): a caption is a candidate (`name: value`, …),
    // a bracket's text a name, an upper-cased short name (≤ 3 bytes per byte) or `name (raw bytes)`, elided.
    elements += 4;
    const name = utf8Bytes(g.name);
    const short = g.short === null ? 0 : utf8Bytes(g.short);
    text += 2 * name + (g.value === null ? 0 : utf8Bytes(g.value)) + 4 * short + b.numberBytes + 40;
  }
  // The title drawn (elided at worst), the Scene's title and the description's name (the protocol upper-cased
  // when there is no title); an author's description, or the generated one's fixed parts (the fields' are above).
  const title = (model.title === null ? 0 : utf8Bytes(model.title)) + 3 * (model.protocol === null ? 0 : utf8Bytes(model.protocol)) + 16;
  text += 3 * title + (model.description ? utf8Bytes(model.description) : 0) + b.numberBytes + 32;
  return elements <= maxElements && text <= maxTextBytes;
}

/** The finished Scene (what the estimates cannot see: wrapped labels, repeated marks, …). */
export function checkSceneBudget(scene: Scene, options: BudgetOptions): Scene {
  const { maxElements, maxTextBytes } = limits(options);
  if (scene.items.length > maxElements) throw overBudget('elements', scene.items.length, maxElements, null, 'the laid-out diagram');
  let text = utf8Bytes(scene.title) + utf8Bytes(scene.description);
  for (const item of scene.items) if (item.type === 'text') text += utf8Bytes(item.text);
  if (text > maxTextBytes) throw overBudget('text', text, maxTextBytes, null, 'the laid-out diagram');
  return scene;
}
