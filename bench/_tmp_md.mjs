import { pathToFileURL } from 'node:url';
const dist = (p) => pathToFileURL(`/work/wt-speed/packages/${p}/dist/index.js`).href;
const { default: remarkWiregram } = await import(dist('remark-wiregram'));
const { default: markdownItWiregram } = await import(dist('markdown-it-wiregram'));
const { unified } = await import('unified');
const { default: remarkParse } = await import('remark-parse');
const { default: remarkRehype } = await import('remark-rehype');
const { default: rehypeStringify } = await import('rehype-stringify');
const { default: MarkdownIt } = await import('markdown-it');
const HANDSHAKE = `participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK`;
const DATA = `participant client\nparticipant server\nisn client=1000 server=5000\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nclient -> server: PSH, ACK len=200\nserver -> client: ACK`;
const CLOSE = `participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`;
const blocks = [['tcp-sequence', HANDSHAKE], ['tcp-sequence', DATA], ['tcp-sequence', CLOSE], ['packet-header', 'tcp'], ['packet-header', 'udp']];
let page = '# p\n\n';
for (let i = 0; i < 100; i++) { const [l, s] = blocks[i % 5]; page += `## F ${i}\n\nprose ${i}.\n\n\`\`\`${l} title="Figure ${i + 1}"\n${s}\n\`\`\`\n\n`; }
const plain = page.replace(/```(tcp-sequence|packet-header)/g, '```text');
const rp = (md, w) => { const p = unified().use(remarkParse); if (w) p.use(remarkWiregram); return String(p.use(remarkRehype).use(rehypeStringify).processSync(md)); };
const mdw = new MarkdownIt().use(markdownItWiregram); const mdp = new MarkdownIt();
const mode = process.argv[2] ?? 'all';
const cpu = (fn, n = 15) => { for (let i = 0; i < 3; i++) fn(); const ts = []; for (let i = 0; i < n; i++) { const c = process.cpuUsage(); fn(); const d = process.cpuUsage(c); ts.push((d.user + d.system) / 1000); } ts.sort((a, b) => a - b); return ts[n >> 1]; };
if (mode === 'none') { if (process.argv[3]) { const { writeFileSync } = await import('node:fs'); writeFileSync(process.argv[3] + '.remark.html', rp(page, true)); writeFileSync(process.argv[3] + '.mdit.html', mdw.render(page)); } process.exit(0); }
if (mode === 'count') { globalThis.__n=0; rp(page,true); console.log('remark', globalThis.__n); globalThis.__n=0; mdw.render(page); console.log('mdit', globalThis.__n); process.exit(0); }
if (mode === 'prof-mdit') { for (let i = 0; i < 200; i++) mdw.render(page); process.exit(0); }
if (mode === 'prof-remark') { for (let i = 0; i < 40; i++) rp(page, true); process.exit(0); }
const r1 = cpu(() => rp(page, true)), r0 = cpu(() => rp(plain, false)), m1 = cpu(() => mdw.render(page)), m0 = cpu(() => mdp.render(plain));
console.log(`remark ${r1.toFixed(1)} plain ${r0.toFixed(1)} share/diag ${((r1 - r0) / 100).toFixed(3)} | md-it ${m1.toFixed(1)} plain ${m0.toFixed(1)} share/diag ${((m1 - m0) / 100).toFixed(3)}`);
import { writeFileSync } from 'node:fs';
if (process.argv[3]) { writeFileSync(process.argv[3] + '.remark.html', rp(page, true)); writeFileSync(process.argv[3] + '.mdit.html', mdw.render(page)); }
