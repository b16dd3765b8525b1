import { readdirSync, readFileSync } from 'node:fs';
const core = await import('../packages/core/dist/index.js');
const layout = await import('../packages/layout/dist/index.js');
const cli = await import('../packages/cli/dist/inputs.js');
const u8 = (s) => Buffer.byteLength(s);
function est(t) {
  let e = 0, x = 0;
  for (const s of t.segments) { e += 3 + s.marks.length; x += u8(s.label) * 2 + s.marks.reduce((a, m) => a + u8(m.text), 0) + (s.note ? u8(s.note) : 0); }
  for (const st of t.states) { e += 2; x += 2 * st.to.length; }
  for (const tm of t.timers) { e += 3; x += u8(tm.label); }
  for (const n of t.notes) { e += 1 + n.text.split('\n').length; x += u8(n.text); }
  for (const d of t.dividers) { e += 2; x += u8(d.text); }
  return { e, x };
}
const files = [];
const walk = (d) => { for (const f of readdirSync(d, { withFileTypes: true })) { if (f.name === 'node_modules' || f.name === 'dist') continue; const p = d + '/' + f.name; if (f.isDirectory()) walk(p); else if (/\.(md|tcpseq|seq|tcp)$/.test(f.name)) files.push(p); } };
walk('examples'); walk('docs'); walk('packages'); walk('test');
let maxE = 0, maxX = 0, n = 0, worst;
for (const p of files) {
  let units;
  try { units = cli.unitsOf(cli.loadInput({ path: p, display: p }, null, undefined)); } catch { continue; }
  for (const u of units) {
    if (u.lang !== 'tcp-sequence') continue;
    for (const style of ['states', 'lifeline', 'flow']) {
      let r; try { r = layout.layoutSourceWithModel(u.source, { language: u.lang, style }); } catch { continue; }
      if (r.scene.items.length < 0) continue;
      const { e, x } = est(r.model);
      const items = r.scene.items.length;
      let text = u8(r.scene.title) + u8(r.scene.description); for (const it of r.scene.items) if (it.type === 'text') text += u8(it.text);
      n++;
      const re = items / Math.max(e, 1), rx = text / Math.max(x, 1);
      if (re > maxE) { maxE = re; worst = [p, style, items, e]; }
      if (rx > maxX) maxX = rx;
      if (e < 3 && items > 60) console.log('small est big scene', p, items, e);
    }
  }
}
console.log({ n, maxE, maxX, worst });
