import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileSequence, formatLabel, formatState, type Timeline } from '@wiregram/core';
import { layoutSource, layoutTimeline, segmentHitsBox, textBox, type Scene, type SceneLine, type ScenePolygon, type SceneRect, type SceneText } from '@wiregram/layout';
import { describe, expect, it } from 'vitest';
import { ALL } from './fixtures/timelines.js';
import { labelsCrossedByOtherArrows, outOfBounds, overlappingBoxes, overlappingTexts, segmentLines, texts, textsStraddlingBoxes } from './helpers.js';

const STYLES = ['states', 'lifeline', 'flow'] as const;

// Real sources: every tcp-sequence block of the examples, compiled by the core.
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const sources: Array<[string, string]> = [];
for (const f of readdirSync(EXAMPLES).filter((f) => f.endsWith('.md')).sort()) {
  const md = readFileSync(EXAMPLES + f, 'utf8');
  [...md.matchAll(/```tcp-sequence\n([\s\S]*?)```/g)].forEach((m, i) => sources.push([`${f}#${i}`, m[1]!]));
}
const compiled: Array<[string, Timeline]> = [];
for (const [name, src] of sources) {
  try {
    compiled.push([name, compileSequence(src)]);
  } catch {
    /* a block that needs a capture file or is an error example: not a layout case */
  }
}
const CASES: Array<[string, Timeline]> = [...Object.entries(ALL).map(([n, t]) => [`fixture ${n}`, t] as [string, Timeline]), ...compiled];

function columnX(scene: Scene, label: string): number {
  const t = texts(scene, 'participant').find((p) => p.text === label);
  if (!t) throw new Error(`no participant text ${label}`);
  return t.x;
}

/** Where a segment may touch its endpoint at height y: the facing edge of the state box there, or the lifeline. */
function edgesAt(scene: Scene, cx: number, y: number): number[] {
  const boxes = scene.items.filter(
    (i): i is SceneRect => i.type === 'rect' && i.role === 'state-box' && Math.abs(i.x + i.width / 2 - cx) < 0.6 && i.y - 0.6 <= y && y <= i.y + i.height + 0.6,
  );
  if (boxes.length) return boxes.flatMap((b) => [b.x, b.x + b.width]);
  const lifelines = scene.items.filter(
    (i): i is SceneLine => i.type === 'line' && i.role === 'lifeline' && Math.abs(i.x1 - cx) < 0.6 && i.x1 === i.x2 && Math.min(i.y1, i.y2) - 0.6 <= y && y <= Math.max(i.y1, i.y2) + 0.6,
  );
  return lifelines.length ? [cx] : [];
}

const near = (a: number, b: number, tol = 0.6): boolean => Math.abs(a - b) <= tol;

describe.each(CASES)('%s', (_name, timeline) => {
  it.each(STYLES)('%s: texts do not overlap, all inside the scene', (style) => {
    const scene = layoutTimeline(timeline, { style });
    expect(overlappingTexts(scene), JSON.stringify(overlappingTexts(scene))).toEqual([]);
    expect(outOfBounds(scene)).toEqual([]);
    expect(textsStraddlingBoxes(scene), JSON.stringify(textsStraddlingBoxes(scene))).toEqual([]);
    expect(overlappingBoxes(scene)).toEqual([]);
    expect(scene.width).toBeGreaterThan(0);
    expect(scene.height).toBeGreaterThan(0);
  });

  it.each(STYLES)('%s: every label is present with its exact text, on its step, and no other arrow runs through it', (style) => {
    const scene = layoutTimeline(timeline, { style });
    const labels = texts(scene, 'label');
    for (const seg of timeline.segments) {
      const want = style === 'flow' ? formatLabel(seg, timeline, 'wireshark') : seg.label;
      const got = labels.filter((l) => l.text === want && l.step === seg.index + 1);
      expect(got, `label of segment ${seg.index}: ${want}`).toHaveLength(1);
    }
    expect(labelsCrossedByOtherArrows(scene), JSON.stringify(labelsCrossedByOtherArrows(scene))).toEqual([]);
  });

  it.each(STYLES)('%s: arrows start and end on their endpoints (or at the cross), labels clear of arrow ends', (style) => {
    const scene = layoutTimeline(timeline, { style });
    const polys = scene.items.filter((i): i is ScenePolygon => i.type === 'polygon' && i.role.startsWith('arrowhead'));
    const crosses = scene.items.filter((i): i is SceneLine => i.type === 'line' && i.role === 'loss-cross');
    const labelBoxes = texts(scene).filter((t) => t.role === 'label' || t.role === 'label-mark').map(textBox);
    const name = new Map(timeline.participants.map((p) => [p.id, p.label]));
    for (const seg of timeline.segments) {
      const lines = segmentLines(scene).filter((l) => l.step === seg.index + 1);
      expect(lines, `line of segment ${seg.index}`).toHaveLength(1);
      const line = lines[0]!;
      const fromX = columnX(scene, name.get(seg.from)!);
      const toX = columnX(scene, name.get(seg.to)!);
      expect(edgesAt(scene, fromX, line.y1).some((x) => near(x, line.x1)), `segment ${seg.index} starts on ${seg.from}`).toBe(true);
      let end: [number, number];
      if (seg.lost) {
        const cr = crosses.filter((c) => c.step === seg.index + 1);
        expect(cr).toHaveLength(2);
        const cx = (cr[0]!.x1 + cr[0]!.x2) / 2;
        const cy = (cr[0]!.y1 + cr[0]!.y2) / 2;
        expect(near(cx, line.x2) && near(cy, line.y2)).toBe(true);
        // before the receiver
        expect(Math.abs(line.x2 - toX)).toBeGreaterThan(10);
        end = [cx, cy];
      } else {
        const heads = polys.filter((p) => p.step === seg.index + 1 && Math.hypot(p.points[0]![0] - line.x2, p.points[0]![1] - line.y2) < 10);
        expect(heads).toHaveLength(1);
        const tip = heads[0]!.points[0]!;
        expect(edgesAt(scene, toX, tip[1]).some((x) => near(x, tip[0])), `segment ${seg.index} ends on ${seg.to}`).toBe(true);
        expect(Math.hypot(tip[0] - line.x2, tip[1] - line.y2)).toBeLessThan(10);
        end = tip;
      }
      for (const b of labelBoxes) {
        const inside = (p: [number, number]): boolean => p[0] > b.x1 && p[0] < b.x2 && p[1] > b.y1 && p[1] < b.y2;
        expect(inside(end), `a label covers the end of segment ${seg.index}`).toBe(false);
        expect(inside([line.x1, line.y1]), `a label covers the start of segment ${seg.index}`).toBe(false);
      }
    }
  });

  it.each(['states', 'lifeline'] as const)('%s: states appear in order beside each endpoint', (style) => {
    const scene = layoutTimeline(timeline, { style });
    const states = texts(scene, 'state');
    const cols = timeline.participants.map((p) => ({ id: p.id, x: columnX(scene, p.label) }));
    for (const c of cols) {
      const mine = states
        .filter((t) => {
          const x = t.anchor === 'middle' ? t.x : t.anchor === 'end' ? t.x + 6 : t.x - 6;
          return near(x, c.x, 1);
        })
        .sort((a, b) => a.y - b.y)
        .map((t) => t.text);
      const want = timeline.states.filter((s) => s.participant === c.id).map((s) => formatState(s.to, timeline.options.stateNames));
      expect(mine, `states of ${c.id}`).toEqual(want);
    }
  });

  it('is deterministic and steps follow the segments', () => {
    const a = layoutTimeline(timeline);
    const b = layoutTimeline(structuredClone(timeline));
    expect(a).toEqual(b);
    expect(a.steps).toBe(timeline.segments.length);
    for (const it of a.items) expect(it.step).toBeLessThanOrEqual(a.steps);
    for (const seg of timeline.segments) expect(a.description).toContain(seg.label);
    // A state caused by segment i appears with it (step i + 1); initial states are always there (step 0).
    const stateTexts = texts(a, 'state');
    for (const st of timeline.states) {
      const name = formatState(st.to, timeline.options.stateNames);
      const want = st.cause !== null ? st.cause + 1 : st.from === null ? 0 : undefined;
      if (want !== undefined) expect(stateTexts.some((t) => t.text === name && t.step === want), `${st.participant} ${name} on step ${want}`).toBe(true);
    }
    expect(a.items[0]).toMatchObject({ type: 'rect', role: 'background', x: 0, y: 0, width: a.width, height: a.height });
  });
});

describe('seed figures', () => {
  it('handshake: labels, states and description as the seed draws them', () => {
    const src = 'title TCP 三次握手\nparticipant client as 客户端\nparticipant server as 服务端\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
    const scene = layoutSource(src);
    expect(texts(scene, 'label').map((t) => t.text)).toEqual(['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1']);
    expect(texts(scene, 'title').map((t) => t.text)).toEqual(['TCP 三次握手']);
    const byX = (label: string) => {
      const x = columnX(scene, label);
      return texts(scene, 'state').filter((t) => near(t.x, x)).sort((a, b) => a.y - b.y).map((t) => t.text);
    };
    expect(byX('客户端')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
    expect(byX('服务端')).toEqual(['CLOSED', 'LISTEN', 'SYN_RCVD', 'ESTABLISHED']);
    expect(scene.description).toContain('客户端 sends SYN, seq=x to 服务端');
    expect(scene.description).toContain('服务端 enters SYN_RCVD');
    // Slanted: time runs down while the segment travels.
    for (const l of segmentLines(scene)) expect(Math.abs(l.y2 - l.y1)).toBeGreaterThan(10);
  });

  it('crossing segments cross (simultaneous open)', () => {
    const scene = layoutTimeline(ALL.simultaneousOpen!);
    const [a, b] = segmentLines(scene).filter((l) => l.step <= 2);
    const box = { x1: Math.min(b!.x1, b!.x2), y1: Math.min(b!.y1, b!.y2), x2: Math.max(b!.x1, b!.x2), y2: Math.max(b!.y1, b!.y2) };
    expect(segmentHitsBox(a!.x1, a!.y1, a!.x2, a!.y2, box)).toBe(true);
    // the two lines really intersect: their directions in y are opposite at the two ends
    const side = (l: SceneLine, x: number) => l.y1 + ((l.y2 - l.y1) * (x - l.x1)) / (l.x2 - l.x1);
    const xl = Math.max(Math.min(a!.x1, a!.x2), Math.min(b!.x1, b!.x2));
    const xr = Math.min(Math.max(a!.x1, a!.x2), Math.max(b!.x1, b!.x2));
    expect(Math.sign(side(a!, xl) - side(b!, xl))).not.toBe(Math.sign(side(a!, xr) - side(b!, xr)));
  });

  it('timers are brackets with their label; retransmissions and overrides are marked', () => {
    const scene = layoutTimeline(ALL.lostAck!);
    const brackets = scene.items.filter((i) => i.type === 'polyline' && i.role === 'timer');
    expect(brackets).toHaveLength(3);
    expect(texts(scene, 'timer-label').map((t) => t.text).sort()).toEqual(['2MSL', '2MSL (restarted)', 'RTO']);
    expect(texts(scene, 'label-mark').map((t) => t.text)).toEqual(expect.arrayContaining(['lost', 'retransmission']));
    expect(segmentLines(scene).find((l) => l.step === 5)!.role).toBe('segment-retransmission');
    const data = layoutTimeline(ALL.dataTransfer!);
    expect(segmentLines(data).find((l) => l.step === 5)!.role).toBe('segment-override');
    expect(texts(data, 'label-mark').map((t) => t.text)).toContain('win overridden');
  });

  it('many endpoints fit (SYN flood), notes and dividers span endpoints', () => {
    const scene = layoutTimeline(ALL.synFlood!, { style: 'lifeline' });
    expect(texts(scene, 'participant')).toHaveLength(7);
    expect(texts(scene, 'note').map((t) => t.text)).toEqual(['SYN 队列逐渐被填满']);
    const data = layoutTimeline(ALL.dataTransfer!);
    const note = data.items.find((i): i is SceneRect => i.type === 'rect' && i.role === 'note-box')!;
    const xs = ['客户端', '服务端'].map((l) => columnX(data, l));
    expect(note.x).toBeLessThan(xs[0]!);
    expect(note.x + note.width).toBeGreaterThan(xs[1]!);
    expect(texts(data, 'divider-label').map((t) => t.text)).toEqual(['数据传输']);
  });

  it('flow style: time column from real timestamps, Wireshark labels', () => {
    const scene = layoutTimeline(ALL.dataTransfer!, { style: 'flow' });
    expect(texts(scene, 'time').map((t) => t.text)).toEqual(expect.arrayContaining(['0.000123', '0.010456', '0.225100']));
    for (const l of segmentLines(scene)) expect(l.y1).toBe(l.y2);
    expect(texts(scene, 'label')[0]!.text).toMatch(/Seq=\d+ Ack=\d+ .*Len=100/);
  });

  it.each([9, 18])('font size %i: still no overlaps, everything inside', (fontSize) => {
    for (const tl of [ALL.wavehand!, ALL.lostAck!, ALL.synFlood!])
      for (const style of STYLES) {
        const scene = layoutTimeline(tl, { style, fontSize });
        expect(overlappingTexts(scene)).toEqual([]);
        expect(outOfBounds(scene)).toEqual([]);
        expect(labelsCrossedByOtherArrows(scene)).toEqual([]);
        expect(texts(scene, 'label')[0]!.fontSize).toBe(fontSize);
      }
  });

  it('CJK is measured as full-width', () => {
    const scene = layoutTimeline(ALL.handshake!);
    const t = texts(scene, 'participant').find((p) => p.text === '客户端') as SceneText;
    expect(t.width).toBeCloseTo(3 * t.fontSize, 5);
  });
});
