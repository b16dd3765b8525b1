/** Geometry checks shared by the timing-layout tests: what a reader would call a broken figure. */
import { itemBox, segmentHitsBox, textBox, type Box, type Scene, type SceneItem, type SceneLine, type SceneText } from '@wiregram/layout';

export const SEGMENT_ROLES = new Set(['segment', 'segment-lost', 'segment-retransmission', 'segment-override']);

export function texts(scene: Scene, role?: string): SceneText[] {
  return scene.items.filter((i): i is SceneText => i.type === 'text' && (!role || i.role === role));
}

export function segmentLines(scene: Scene): SceneLine[] {
  return scene.items.filter((i): i is SceneLine => i.type === 'line' && SEGMENT_ROLES.has(i.role));
}

function overlap(a: Box, b: Box, tol: number): boolean {
  return a.x1 < b.x2 - tol && b.x1 < a.x2 - tol && a.y1 < b.y2 - tol && b.y1 < a.y2 - tol;
}

/** Pairs of texts whose boxes overlap (by more than `tol` px). */
export function overlappingTexts(scene: Scene, tol = 0.5): Array<[string, string]> {
  const ts = texts(scene);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < ts.length; i++)
    for (let j = i + 1; j < ts.length; j++) if (overlap(textBox(ts[i]!), textBox(ts[j]!), tol)) out.push([ts[i]!.text, ts[j]!.text]);
  return out;
}

/** Items that stick out of the scene. */
export function outOfBounds(scene: Scene): SceneItem[] {
  return scene.items.filter((it) => {
    const b = itemBox(it);
    return b.x1 < -0.01 || b.y1 < -0.01 || b.x2 > scene.width + 0.01 || b.y2 > scene.height + 0.01;
  });
}

/** Segment lines that run through an arrow label of another segment. */
export function labelsCrossedByOtherArrows(scene: Scene): Array<[string, number]> {
  const lines = scene.items.filter((i): i is SceneLine => i.type === 'line' && SEGMENT_ROLES.has(i.role));
  const out: Array<[string, number]> = [];
  for (const t of texts(scene).filter((t) => t.role === 'label' || t.role === 'label-mark')) {
    const b = textBox(t);
    for (const l of lines) if (l.step !== t.step && segmentHitsBox(l.x1, l.y1, l.x2, l.y2, b)) out.push([t.text, l.step]);
  }
  return out;
}

export { itemBox, textBox };

/** Texts that straddle the edge of a box (state, note, participant): a text is either inside a box or clear of it. */
export function textsStraddlingBoxes(scene: Scene): Array<[string, string]> {
  const boxes = scene.items.filter(
    (i): i is Extract<SceneItem, { type: 'rect' }> => i.type === 'rect' && (i.role === 'state-box' || i.role === 'note-box' || i.role === 'participant-box'),
  );
  const out: Array<[string, string]> = [];
  const within = (b: Box, r: Extract<SceneItem, { type: 'rect' }>): boolean =>
    b.x1 >= r.x - 0.5 && b.x2 <= r.x + r.width + 0.5 && b.y1 >= r.y - 0.5 && b.y2 <= r.y + r.height + 0.5;
  for (const t of texts(scene)) {
    const b = textBox(t);
    // A note is drawn over the columns: its text only has to stay clear of other notes.
    const onNote = boxes.some((r) => r.role === 'note-box' && within(b, r));
    for (const r of boxes) {
      if (onNote && r.role !== 'note-box') continue;
      const x1 = r.x;
      const y1 = r.y;
      const x2 = r.x + r.width;
      const y2 = r.y + r.height;
      const disjoint = b.x2 <= x1 + 0.5 || b.x1 >= x2 - 0.5 || b.y2 <= y1 + 0.5 || b.y1 >= y2 - 0.5;
      const inside = b.x1 >= x1 - 0.5 && b.x2 <= x2 + 0.5 && b.y1 >= y1 - 0.5 && b.y2 <= y2 + 0.5;
      if (!disjoint && !inside) out.push([t.text, r.role]);
    }
  }
  return out;
}

/** Pairs of boxes (state, note, participant) of the same role that overlap. */
export function overlappingBoxes(scene: Scene): Array<[string, number, number]> {
  const boxes = scene.items.filter(
    (i): i is Extract<SceneItem, { type: 'rect' }> => i.type === 'rect' && (i.role === 'state-box' || i.role === 'participant-box' || i.role === 'note-box'),
  );
  const out: Array<[string, number, number]> = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.role !== b.role) continue;
      if (a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5) out.push([a.role, i, j]);
    }
  return out;
}
