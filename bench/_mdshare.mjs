import { dist } from '/work/wt-speed2/bench/lib.mjs';
const svg = await import(dist('svg'));
const { default: mdw } = await import(dist('markdown-it-wiregram'));
const { default: MarkdownIt } = await import('markdown-it');
const HANDSHAKE = `participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK`;
const DATA = `participant client\nparticipant server\nisn client=1000 server=5000\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nclient -> server: PSH, ACK len=200\nserver -> client: ACK`;
const CLOSE = `participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`;
const blocks = [['tcp-sequence', HANDSHAKE], ['tcp-sequence', DATA], ['tcp-sequence', CLOSE], ['packet-header', 'tcp'], ['packet-header', 'udp']];
const cpu = (fn, n) => { for (let i = 0; i < n; i++) fn(); const c = process.cpuUsage(); for (let i = 0; i < n; i++) fn(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000 / n; };
for (const [lang, src] of blocks) {
  console.log(lang, src.length, 'render string ms', cpu(() => svg.render(src, { language: lang }), 200).toFixed(3), 'tree', cpu(() => svg.render(src, { language: lang, output: 'tree' })?.tree, 200).toFixed(3));
}
let page = '';
for (let i = 0; i < 100; i++) { const [lang, src] = blocks[i % 5]; page += `## Figure ${i + 1}\n\nSome prose.\n\n\`\`\`${lang} title="Figure ${i + 1}"\n${src}\n\`\`\`\n\n`; }
const md = new MarkdownIt().use(mdw); const plain = new MarkdownIt();
const pp = page.replace(/```(tcp-sequence|packet-header)/g, '```text');
console.log('md-it per diagram', ((cpu(() => md.render(page), 10) - cpu(() => plain.render(pp), 10)) / 100).toFixed(3));
