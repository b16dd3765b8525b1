import { dist } from './lib.mjs';
const { default: remarkWiregram } = await import(dist('remark-wiregram'));
const { unified } = await import('unified');
const { default: remarkParse } = await import('remark-parse');
const { default: remarkRehype } = await import('remark-rehype');
const { default: rehypeStringify } = await import('rehype-stringify');
const HANDSHAKE = `participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK`;
const DATA = `participant client\nparticipant server\nisn client=1000 server=5000\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nclient -> server: PSH, ACK len=200\nserver -> client: ACK`;
const CLOSE = `participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`;
const blocks = [['tcp-sequence', HANDSHAKE], ['tcp-sequence', DATA], ['tcp-sequence', CLOSE], ['packet-header', 'tcp'], ['packet-header', 'udp']];
let page = '';
for (let i = 0; i < 100; i++) { const [lang, src] = blocks[i % 5]; page += `## Figure ${i + 1}\n\nSome prose.\n\n\`\`\`${lang} title="Figure ${i + 1}"\n${src}\n\`\`\`\n\n`; }
const p = unified().use(remarkParse).use(remarkWiregram).use(remarkRehype).use(rehypeStringify);
for (let i = 0; i < 30; i++) String(p.processSync(page));
