// Which functions lose their optimized code at a full GC between pages: V8 drops code whose embedded hidden
// classes died ("weak objects"). Usage: node --expose-gc --trace-deopt bench/tools/gc-deopts.mjs | grep -E '^@@|weak objects'
import { md, page } from './page.mjs';
for (let i = 0; i < 12; i++) { md.render(page); console.log('@@ round', i); gc(); }
