// Allocation profile: sampled allocations of warm markdown-it pages (objects already collected included),
// aggregated by function. Usage: node bench/tools/alloc.mjs [pages]   (ROOT=<checkout>/packages for another build)
import { Session } from 'node:inspector/promises';
import { md, page } from './page.mjs';
for (let i = 0; i < 20; i++) md.render(page);
const pages = Number(process.argv[2] ?? 10);
const s = new Session();
s.connect();
await s.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (let i = 0; i < pages; i++) md.render(page);
const { profile } = await s.post('HeapProfiler.stopSampling');
const self = new Map(); let total = 0;
(function walk(n) { const v = n.selfSize; total += v; const cf = n.callFrame; const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`; self.set(k, (self.get(k) || 0) + v); for (const c of n.children) walk(c); })(profile.head);
console.log(`allocated ≈ ${(total / pages / 1e3).toFixed(0)} KB per page (${(total / pages / 100 / 1e3).toFixed(1)} KB per diagram)`);
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 40)).map(([k, v]) => `${(v / pages / 1e3).toFixed(1).padStart(8)} KB ${k}`).join('\n'));
