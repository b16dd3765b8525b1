// The page of bench/markdown.mjs (100 diagrams of 5 kinds, prose between them) and markdown-it with and without
// the plugin of a build: what the tools in this folder measure. ROOT=<checkout>/packages picks another build.
import MarkdownIt from 'markdown-it';

const root = process.env.ROOT ?? new URL('../../packages/', import.meta.url).pathname;
const { default: markdownItWiregram } = await import(root + '/markdown-it-wiregram/dist/index.js');
const HANDSHAKE = `participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK`;
const DATA = `participant client\nparticipant server\nisn client=1000 server=5000\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nclient -> server: PSH, ACK len=200\nserver -> client: ACK`;
const CLOSE = `participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`;
const blocks = [['tcp-sequence', HANDSHAKE], ['tcp-sequence', DATA], ['tcp-sequence', CLOSE], ['packet-header', 'tcp'], ['packet-header', 'udp']];
let text = '# A page of 100 diagrams\n\n';
for (let i = 0; i < 100; i++) {
  const [lang, src] = blocks[i % blocks.length];
  text += `## Figure ${i + 1}\n\nSome prose about figure ${i + 1}.\n\n\`\`\`${lang} title="Figure ${i + 1}"\n${src}\n\`\`\`\n\n`;
}
export const page = text;
export const plainPage = page.replace(/```(tcp-sequence|packet-header)/g, '```text');
export const md = new MarkdownIt().use(markdownItWiregram);
export const plain = new MarkdownIt();
