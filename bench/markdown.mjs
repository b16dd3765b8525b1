#!/usr/bin/env node
// A Markdown page of 100 diagrams (timing diagrams of several sizes and header layouts) through the real
// pipelines, built packages only: unified + remark-parse + remark-wiregram + remark-rehype + rehype-stringify
// (processSync), and markdown-it + markdown-it-wiregram. Prints ms per page and per diagram, and the ratio to
// the same page with the blocks left as plain code (what the Markdown pipeline itself costs).
// Run `npx -y pnpm@10 build` first.
import { dist, median, medianOfRuns, printTable, record } from './lib.mjs';

let remarkWiregram, markdownItWiregram;
try {
  ({ default: remarkWiregram } = await import(dist('remark-wiregram')));
  ({ default: markdownItWiregram } = await import(dist('markdown-it-wiregram')));
} catch (error) {
  console.error(`bench/markdown: built packages missing (${error.message}); run \`npx -y pnpm@10 build\` first`);
  process.exit(1);
}
const { unified } = await import('unified');
const { default: remarkParse } = await import('remark-parse');
const { default: remarkRehype } = await import('remark-rehype');
const { default: rehypeStringify } = await import('rehype-stringify');
const { default: MarkdownIt } = await import('markdown-it');

const HANDSHAKE = `participant client\nparticipant server\nisn client=x server=y\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK`;
const DATA = `participant client\nparticipant server\nisn client=1000 server=5000\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=100\nserver -> client: ACK\nclient -> server: PSH, ACK len=200\nserver -> client: ACK`;
const CLOSE = `participant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=u server=v\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`;
const blocks = [
  ['tcp-sequence', HANDSHAKE],
  ['tcp-sequence', DATA],
  ['tcp-sequence', CLOSE],
  ['packet-header', 'tcp'],
  ['packet-header', 'udp'],
];
const N = 100;
let page = '# A page of 100 diagrams\n\n';
for (let i = 0; i < N; i++) {
  const [lang, src] = blocks[i % blocks.length];
  page += `## Figure ${i + 1}\n\nSome prose about figure ${i + 1}.\n\n\`\`\`${lang} title="Figure ${i + 1}"\n${src}\n\`\`\`\n\n`;
}
const plainPage = page.replace(/```(tcp-sequence|packet-header)/g, '```text');

const remarkPage = (md, withPlugin) => {
  const p = unified().use(remarkParse);
  if (withPlugin) p.use(remarkWiregram);
  return String(p.use(remarkRehype).use(rehypeStringify).processSync(md));
};
const mdPlugin = new MarkdownIt().use(markdownItWiregram);
const mdPlain = new MarkdownIt();

const runs = Number(process.env.BENCH_RUNS ?? 7);
const measure = (label, fn) => ({ label, ...medianOfRuns(fn, runs) });
const check = remarkPage(page, true);
const svgs = (check.match(/<svg /g) ?? []).length;
if (svgs !== N) {
  console.error(`bench/markdown: expected ${N} diagrams in the output, got ${svgs} (broken blocks?)`);
  process.exit(1);
}
const rows = [
  measure('remark page, 100 diagrams', () => remarkPage(page, true)),
  measure('remark page, plain code blocks', () => remarkPage(plainPage, false)),
  measure('markdown-it page, 100 diagrams', () => mdPlugin.render(page)),
  measure('markdown-it page, plain code blocks', () => mdPlain.render(plainPage)),
];

console.log(`bench/markdown — one page, ${N} diagrams (${blocks.length} kinds), ${runs} runs, median (min)\n`);
const plain = { remark: rows[1].median, 'markdown-it': rows[3].median };
printTable(
  ['pipeline', 'ms / page:', 'ms / diagram:', 'pages/s:', '× plain:'],
  rows.map((r) => {
    const kind = r.label.startsWith('remark') ? 'remark' : 'markdown-it';
    const diagrams = r.label.includes('plain') ? null : N;
    return [r.label, `${r.median.toFixed(1)} (${r.min.toFixed(1)})`, diagrams ? (r.median / N).toFixed(3) : '–', (1000 / r.median).toFixed(1), `${(r.median / plain[kind]).toFixed(1)}×`];
  }),
);
// wiregram's share of the page (issue 18: ≤ 0.5 ms per diagram on both pipelines): the page with the plugin minus
// the same page with plain code blocks, in pairs (one of each per round) of process CPU time, median over rounds.
function share(withPlugin, plain, rounds = Math.max(runs * 3, 15)) {
  const cpu = (fn) => {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1000;
  };
  for (let i = 0; i < 3; i++) withPlugin(), plain();
  const diffs = [];
  const plains = [];
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    const a = cpu(withPlugin);
    globalThis.gc?.();
    const b = cpu(plain);
    diffs.push(a - b);
    plains.push(b);
  }
  return { perDiagram: median(diffs) / N, plain: median(plains) };
}
const remarkShare = share(() => remarkPage(page, true), () => remarkPage(plainPage, false));
const mdShare = share(() => mdPlugin.render(page), () => mdPlain.render(plainPage));
console.log(`\nwiregram's share per diagram (CPU, paired with the plain page): remark ${remarkShare.perDiagram.toFixed(3)} ms, markdown-it ${mdShare.perDiagram.toFixed(3)} ms (target ≤ 0.5 ms)`);
record({ figure: "wiregram's share of a 100-diagram page, remark", value: remarkShare.perDiagram, unit: 'ms/diagram', yardstick: 'remark page with plain code blocks (ms/page)', yardstickValue: remarkShare.plain, ratio: (remarkShare.perDiagram * N) / remarkShare.plain, target: 0.5, targetOn: 'value', note: 'CPU time, median of paired rounds' });
record({ figure: "wiregram's share of a 100-diagram page, markdown-it", value: mdShare.perDiagram, unit: 'ms/diagram', yardstick: 'markdown-it page with plain code blocks (ms/page)', yardstickValue: mdShare.plain, ratio: (mdShare.perDiagram * N) / mdShare.plain, target: 0.5, targetOn: 'value', note: 'CPU time, median of paired rounds' });
console.log(`\noutput: ${(check.length / 1024).toFixed(0)} KiB of HTML per page; mermaid-cli needs ≈1.9 s per diagram (ANCHORS.md), ≈190 s for this page.`);
