// Which functions lose their optimized code at a full GC between pages: V8 drops code whose embedded hidden
// classes died ("weak objects"). Usage: node --expose-gc --trace-deopt bench/tools/gc-deopts.mjs | grep -E '^@@|weak objects'
import MarkdownIt from 'markdown-it';
const root = process.env.ROOT ?? new URL('../../packages/', import.meta.url).pathname;
const { default: mdw } = await import(root + '/markdown-it-wiregram/dist/index.js');
const HANDSHAKE = `participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK`;
const DATA = `participant client\nparticipant server\nisn client=1000 server=5000\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nclient -> server: PSH, ACK len=200\nserver -> client: ACK`;
const CLOSE = `participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`;
const blocks = [['tcp-sequence', HANDSHAKE],['tcp-sequence', DATA],['tcp-sequence', CLOSE],['packet-header', 'tcp'],['packet-header', 'udp']];
let page = '';
for (let i = 0; i < 100; i++) { const [l, s] = blocks[i % 5]; page += `## Figure ${i + 1}\n\n\`\`\`${l} title="Figure ${i + 1}"\n${s}\n\`\`\`\n\n`; }
const md = new MarkdownIt().use(mdw);
for (let i = 0; i < 12; i++) { md.render(page); console.log('@@ round', i); gc(); }
