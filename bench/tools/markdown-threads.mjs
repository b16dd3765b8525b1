// What bench/markdown.mjs's child measures for markdown-it (3 warm-up pages, then rounds of gc() + the page with
// diagrams, gc() + the plain page), with wall and CPU per round, and at the end the process's CPU split into the
// main thread and V8's worker threads (concurrent GC, background TurboFan compiles). Linux only (/proc).
// Usage: node --expose-gc bench/tools/markdown-threads.mjs [rounds]   (ROOT=<checkout>/packages for another build)
import { readdirSync, readFileSync } from 'node:fs';
import { md, page, plain, plainPage } from './page.mjs';
const rounds = Number(process.argv[2] ?? 27);
const cpu = (fn) => { const c = process.cpuUsage(); const t = performance.now(); fn(); const d = process.cpuUsage(c); return [(d.user + d.system) / 1000, performance.now() - t]; };
for (let i = 0; i < 3; i++) md.render(page), plain.render(plainPage);
const rows = [];
for (let i = 0; i < rounds; i++) {
  globalThis.gc?.(); const a = cpu(() => md.render(page));
  globalThis.gc?.(); const b = cpu(() => plain.render(plainPage));
  rows.push([a[0] - b[0], a[1] - b[1]]);
}
const med = (xs) => xs.slice().sort((p, q) => p - q)[xs.length >> 1];
console.log(`share/diagram cpu ${(med(rows.map((r) => r[0])) / 100).toFixed(3)} wall ${(med(rows.map((r) => r[1])) / 100).toFixed(3)} ms; per round cpu: ${rows.map((r) => r[0].toFixed(0)).join(' ')}`);
// Per-thread CPU of the whole process so far (main thread vs V8's workers: GC, TurboFan).
const byName = new Map();
for (const t of readdirSync('/proc/self/task')) {
  const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
  const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  const ms = (Number(f[11]) + Number(f[12])) * 10;
  const who = t === String(process.pid) ? 'main' : 'workers';
  byName.set(who, (byName.get(who) ?? 0) + ms);
}
console.log('thread CPU ms:', [...byName].map(([k, v]) => `${k}=${v}`).join(' '));
