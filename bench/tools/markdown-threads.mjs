// What bench/markdown.mjs's child measures for markdown-it (3 warm-up pages, then rounds of gc() + the page with
// diagrams, gc() + the plain page), with wall and CPU per round, and at the end the process's CPU split into the
// main thread and V8's worker threads (concurrent GC, background TurboFan compiles). Linux only (/proc).
// Usage: node --expose-gc bench/tools/markdown-threads.mjs [rounds]   (ROOT=<checkout>/packages for another build)
import { readdirSync, readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
const root = process.env.ROOT ?? new URL('../../packages/', import.meta.url).pathname;
const { default: mdw } = await import(root + '/markdown-it-wiregram/dist/index.js');
const HANDSHAKE = `participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK`;
const DATA = `participant client\nparticipant server\nisn client=1000 server=5000\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nclient -> server: PSH, ACK len=200\nserver -> client: ACK`;
const CLOSE = `participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`;
const blocks = [['tcp-sequence', HANDSHAKE],['tcp-sequence', DATA],['tcp-sequence', CLOSE],['packet-header', 'tcp'],['packet-header', 'udp']];
let page = '# A page of 100 diagrams\n\n';
for (let i = 0; i < 100; i++) { const [l, s] = blocks[i % 5]; page += `## Figure ${i + 1}\n\nSome prose about figure ${i + 1}.\n\n\`\`\`${l} title="Figure ${i + 1}"\n${s}\n\`\`\`\n\n`; }
const plainPage = page.replace(/```(tcp-sequence|packet-header)/g, '```text');
const md = new MarkdownIt().use(mdw);
const plain = new MarkdownIt();
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
