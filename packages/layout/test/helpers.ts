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
