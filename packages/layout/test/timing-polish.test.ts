/**
 * What a reader of a timing diagram sees, beyond the invariants of timing.test.ts: arrowheads coloured like their
 * segment, a lost segment's line visible up to its cross, crossing segments' labels each on its own side of the
 * crossing, the flow style's column headers clear of the host boxes, the passive open drawn as the seeds draw it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileSequence, timelineFromCapture, type Timeline } from '@wiregram/core';
import { layoutTimeline, lineCrossing, rolePaint, segmentHitsBox, textBox, themes, type Box, type Scene, type SceneLine, type ScenePolygon, type SceneRect, type SceneText } from '@wiregram/layout';
import { describe, expect, it } from 'vitest';
import { ALL } from './fixtures/timelines.js';
import { segmentLines, texts } from './helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const CAPTURE = fileURLToPath(new URL('../../../docs/captures/http.pcap', import.meta.url));

function example(name: string, block = 0): Timeline {
  const md = readFileSync(EXAMPLES + name + '.md', 'utf8');
  return compileSequence([...md.matchAll(/```tcp-sequence\n([\s\S]*?)```/g)][block]![1]!);
}

const CASES: Array<[string, Timeline]> = [...Object.entries(ALL).map(([n, t]) => [`fixture ${n}`, t] as [string, Timeline])];
for (const f of readdirSync(EXAMPLES).filter((f) => f.endsWith('.md')).sort()) {
  const md = readFileSync(EXAMPLES + f, 'utf8');
  [...md.matchAll(/```tcp-sequence\n([\s\S]*?)```/g)].forEach((m, i) => {
    try {
      CASES.push([`${f}#${i}`, compileSequence(m[1]!)]);
    } catch {
      /* needs a capture file, or an error example */
    }
  });
}
const STYLES = ['states', 'lifeline', 'flow'] as const;

/** The segment's line (one per segment) and its head (none for a lost one). */
function parts(scene: Scene, index: number): { line: SceneLine; head: ScenePolygon | undefined } {
  const line = segmentLines(scene).find((l) => l.step === index + 1)!;
  const head = scene.items.find(
    (i): i is ScenePolygon => i.type === 'polygon' && i.step === index + 1 && Math.hypot(i.points[0]![0] - line.x2, i.points[0]![1] - line.y2) < 10,
  );
  return { line, head };
}

/** Knock-out boxes: background rects other than the scene's own background. */
function knockouts(scene: Scene): Box[] {
  return scene.items
    .filter((i): i is SceneRect => i.type === 'rect' && i.role === 'background' && !(i.x === 0 && i.y === 0 && i.width === scene.width))
    .map((r) => ({ x1: r.x, y1: r.y, x2: r.x + r.width, y2: r.y + r.height }));
}

/** Fraction of the line (sampled) not hidden under any knock-out, and whether its last `tail` is all visible. */
function visible(line: SceneLine, boxes: Box[], tail: number): { fraction: number; tailVisible: boolean } {
  const n = 200;
  let shown = 0;
  let tailVisible = true;
  for (let k = 0; k <= n; k++) {
    const t = k / n;
    const x = line.x1 + (line.x2 - line.x1) * t;
    const y = line.y1 + (line.y2 - line.y1) * t;
    const hidden = boxes.some((b) => x > b.x1 && x < b.x2 && y > b.y1 && y < b.y2);
    if (!hidden) shown++;
    else if (t >= 1 - tail) tailVisible = false;
  }
  return { fraction: shown / (n + 1), tailVisible };
}

/** Shortest distance between a text box and a line (0 when the line runs through it), sampled along the line. */
function boxToLine(b: Box, l: SceneLine): number {
  let best = Infinity;
  for (let k = 0; k <= 400; k++) {
    const x = l.x1 + ((l.x2 - l.x1) * k) / 400;
    const y = l.y1 + ((l.y2 - l.y1) * k) / 400;
    const dx = Math.max(b.x1 - x, 0, x - b.x2);
    const dy = Math.max(b.y1 - y, 0, y - b.y2);
    best = Math.min(best, Math.hypot(dx, dy));
  }
  return best;
}

describe('arrowheads are painted like their segment', () => {
  const want: Record<string, string> = {
    segment: 'arrowhead',
    'segment-retransmission': 'arrowhead-retransmission',
    'segment-override': 'arrowhead-override',
  };
  it.each(CASES)('%s', (_name, timeline) => {
    for (const style of STYLES) {
      const scene = layoutTimeline(timeline, { style });
      for (const seg of timeline.segments) {
        const { line, head } = parts(scene, seg.index);
        if (seg.lost) {
          expect(head, `lost segment ${seg.index} has no arrowhead`).toBeUndefined();
          continue;
        }
        expect(head!.role, `${style}: head of segment ${seg.index} (${line.role})`).toBe(want[line.role]);
      }
    }
  });

  it('retransmitted and overridden heads take their segment colour in both themes', () => {
    const lost = layoutTimeline(example('lost-last-ack'));
    const roles = new Set(lost.items.filter((i) => i.type === 'polygon').map((i) => i.role));
    expect(roles).toContain('arrowhead-retransmission');
    for (const theme of ['light', 'dark'] as const) {
      const p = themes[theme];
      expect(rolePaint('arrowhead-retransmission', p).fill).toBe(rolePaint('segment-retransmission', p).stroke);
      expect(rolePaint('arrowhead-override', p).fill).toBe(rolePaint('segment-override', p).stroke);
      expect(rolePaint('arrowhead', p).fill).toBe(rolePaint('segment', p).stroke);
    }
  });
});

describe('a lost segment stays visible up to its cross, its label beside it', () => {
  const lostCases = CASES.filter(([, t]) => t.segments.some((s) => s.lost));
  it('has cases', () => expect(lostCases.length).toBeGreaterThan(2));
  it.each(lostCases)('%s', (_name, timeline) => {
    for (const style of STYLES) {
      const scene = layoutTimeline(timeline, { style });
      const boxes = knockouts(scene);
      const lines = segmentLines(scene);
      for (const seg of timeline.segments.filter((s) => s.lost)) {
        const { line } = parts(scene, seg.index);
        const v = visible(line, boxes, 0.25);
        expect(v.fraction, `${style}: segment ${seg.index} visible fraction`).toBeGreaterThan(0.7);
        expect(v.tailVisible, `${style}: the quarter before the cross of segment ${seg.index} is visible`).toBe(true);
        // Its label: within a line or so of its own line, and nearer to it than to any other segment's line.
        // The label block: its text and the mark line under it (`lost`).
        const block = texts(scene).filter((t) => (t.role === 'label' || t.role === 'label-mark') && t.step === seg.index + 1);
        const label = block.find((t) => t.role === 'label')!;
        const bs = block.map(textBox);
        const b: Box = { x1: Math.min(...bs.map((x) => x.x1)), y1: Math.min(...bs.map((x) => x.y1)), x2: Math.max(...bs.map((x) => x.x2)), y2: Math.max(...bs.map((x) => x.y2)) };
        const own = boxToLine(b, line);
        expect(own, `${style}: label of lost segment ${seg.index} is beside its line`).toBeLessThan(label.fontSize);
        for (const o of lines) if (o !== line) expect(boxToLine(b, o), `${style}: nearer segment ${o.step - 1}`).toBeGreaterThan(own);
      }
    }
  });
});

describe('crossing segments: each label on its own side of the crossing, nearer its sender', () => {
  const cases: Array<[string, Timeline]> = [
    ['simultaneous-open', example('simultaneous-open')],
    ['simultaneous-close', example('simultaneous-close')],
    ['fixture simultaneousOpen', ALL.simultaneousOpen!],
  ];
  it.each(cases)('%s', (_name, timeline) => {
    for (const style of ['states', 'lifeline'] as const) {
      const scene = layoutTimeline(timeline, { style });
      const lines = segmentLines(scene);
      let checked = 0;
      for (const a of lines) {
        for (const o of lines) {
          if (o === a) continue;
          const x = crossing(a, o);
          if (x === null) continue;
          const label = texts(scene, 'label').find((t) => t.step === a.step)!;
          const b = textBox(label);
          // wholly between the sender and the crossing (the sender is at x1)
          if (a.x1 < x) expect(b.x2, `${style}: label of segment ${a.step - 1}`).toBeLessThan(x);
          else expect(b.x1, `${style}: label of segment ${a.step - 1}`).toBeGreaterThan(x);
          // and the other arrow does not pass through it
          expect(segmentHitsBox(o.x1, o.y1, o.x2, o.y2, b)).toBe(false);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(4);
    }
  });
});

/** The x where two drawn segments cross well inside both (not at a shared end), or null. */
function crossing(a: SceneLine, b: SceneLine): number | null {
  const c = lineCrossing(a, b);
  return c && c.t > 0.05 && c.t < 0.95 && c.u > 0.05 && c.u < 0.95 ? a.x1 + (a.x2 - a.x1) * c.t : null;
}

describe('flow style as a Wireshark Flow Graph', () => {
  const capture = timelineFromCapture(new Uint8Array(readFileSync(CAPTURE)), { stream: 0 });
  const flowCases: Array<[string, Timeline]> = [...CASES, ['docs/captures/http.pcap stream 0', capture]];

  it.each(flowCases)('%s: column headers are not clipped by a host box', (_name, timeline) => {
    const scene = layoutTimeline(timeline, { style: 'flow' });
    const boxes = scene.items.filter((i): i is SceneRect => i.type === 'rect' && i.role === 'participant-box');
    const heads = texts(scene).filter((t) => t.step === 0 && t.role === 'time' && t.fontWeight === 'bold');
    expect(heads.map((t) => t.text)).toContain(timeline.segments.some((s) => s.time != null) ? 'Time' : 'No.');
    for (const t of heads) {
      const b = textBox(t);
      for (const r of boxes) {
        const apart = b.x2 <= r.x - 2 || b.x1 >= r.x + r.width + 2 || b.y2 <= r.y || b.y1 >= r.y + r.height;
        expect(apart, `header ${t.text} touches a host box`).toBe(true);
      }
    }
  });

  it('a host named by its address is not subtitled with the same address', () => {
    const scene = layoutTimeline(capture, { style: 'flow' });
    const names = texts(scene, 'participant').map((t) => t.text);
    expect(names).toEqual(['127.0.0.1:50762', '127.0.0.1:18080']);
    const small = texts(scene, 'time').filter((t) => t.step === 0 && t.fontWeight === 'normal');
    for (const t of small) expect(names).not.toContain(t.text);
  });

  it('a renamed host keeps its address under the name', () => {
    const tl: Timeline = { ...capture, participants: capture.participants.map((p, i) => ({ ...p, label: i ? 'server' : 'client' })) };
    const scene = layoutTimeline(tl, { style: 'flow' });
    expect(texts(scene, 'participant').map((t) => t.text)).toEqual(['client', 'server']);
    expect(texts(scene, 'time').map((t) => t.text)).toEqual(expect.arrayContaining(['127.0.0.1:50762', '127.0.0.1:18080']));
  });

  it('marks go in a Comment column right of the last host, on their segment row', () => {
    const tl = example('lost-last-ack');
    const scene = layoutTimeline(tl, { style: 'flow' });
    const comment = texts(scene, 'time').find((t) => t.text === 'Comment')!;
    expect(comment).toBeDefined();
    const lastX = Math.max(...scene.items.filter((i): i is SceneLine => i.type === 'line' && i.role === 'lifeline').map((l) => l.x1));
    expect(comment.x).toBeGreaterThan(lastX);
    const lost = tl.segments.find((s) => s.lost)!;
    const mark = texts(scene, 'label-mark').find((t) => t.step === lost.index + 1)!;
    expect(mark.text).toMatch(/lost/);
    expect(mark.x).toBe(comment.x);
    const line = parts(scene, lost.index).line;
    const mb = textBox(mark);
    expect(mb.y1 < line.y1 && line.y1 < mb.y2).toBe(true);
  });

  it('the Comment column repeats none of the label prefix, and keeps marks the prefix does not name', () => {
    const tl = example('lost-last-ack');
    const retx = tl.segments.find((s) => s.retransmission)!;
    // A retransmission that is also a duplicate ACK and an override: the label spells out both analysis prefixes in
    // tshark's order; the comment keeps only the override, which no prefix names.
    const both: Timeline = {
      ...tl,
      options: { ...tl.options, labelStyle: 'wireshark' },
      segments: tl.segments.map((s) => (s === retx ? { ...s, marks: [...s.marks, { kind: 'duplicate-ack', text: 'duplicate ACK' }, { kind: 'override', text: 'seq overridden' }] } : s)),
    };
    const scene = layoutTimeline(both, { style: 'flow' });
    const label = texts(scene, 'label').find((t) => t.step === retx.index + 1)!;
    expect(label.text).toMatch(/^\[TCP Dup ACK\] \[TCP Retransmission\] /);
    const mark = texts(scene, 'label-mark').find((t) => t.step === retx.index + 1)!;
    expect(mark.text).toMatch(/seq overridden/);
    expect(mark.text).not.toMatch(/duplicate ACK|retransmission/i);
  });
});

describe('seed proportions', () => {
  it('a passive open is drawn on the row where the first segment leaves (the seed handshake)', () => {
    const tl = example('three-way-handshake');
    const scene = layoutTimeline(tl, { style: 'states' });
    const listen = texts(scene, 'state').find((t) => t.text === 'LISTEN')!;
    const box = scene.items.find((i): i is SceneRect => i.type === 'rect' && i.role === 'state-box' && i.y < listen.y && listen.y < i.y + i.height)!;
    const syn = parts(scene, 0).line;
    expect(box.y).toBeCloseTo(syn.y1, 1);
    // both CLOSED boxes are equally tall
    const closed = texts(scene, 'state')
      .filter((t) => t.text === 'CLOSED' && t.step === 0)
      .map((t) => scene.items.find((i): i is SceneRect => i.type === 'rect' && i.role === 'state-box' && i.y < t.y && t.y < i.y + i.height && i.x < t.x && t.x < i.x + i.width)!);
    expect(closed).toHaveLength(2);
    expect(closed[0]!.height).toBeCloseTo(closed[1]!.height, 1);
  });

  it('state names are set larger than arrow labels, as in the seeds', () => {
    const scene = layoutTimeline(example('three-way-handshake'));
    const state: SceneText = texts(scene, 'state')[0]!;
    const label: SceneText = texts(scene, 'label')[0]!;
    expect(state.fontSize / label.fontSize).toBeGreaterThanOrEqual(1.15);
  });
});
