#!/usr/bin/env node
// A Markdown page of 100 diagrams (timing diagrams of several sizes and header layouts) through the real
// pipelines, built packages only: unified + remark-parse + remark-wiregram + remark-rehype + rehype-stringify
// (processSync), and markdown-it + markdown-it-wiregram. Prints ms per page and per diagram, and the ratio to
// the same page with the blocks left as plain code (what the Markdown pipeline itself costs).
// Run `npx -y pnpm@10 build` first.
import { loadavg } from 'node:os';
import { dist, median, medianOfRuns, printTable, record } from './lib.mjs';

import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// `--baseline <checkout>`: also measure another built checkout's plugins (e.g. main's, in a second worktree) in
// the same process, alternating with this one round by round, and print the ratio of the shares.
const baselineAt = process.argv.indexOf('--baseline');
const baselineRoot = baselineAt > 0 ? resolve(process.argv[baselineAt + 1] ?? '') : null;
const distOf = (root, pkg) => (root ? pathToFileURL(join(root, 'packages', pkg, 'dist', 'index.js')).href : dist(pkg));

let remarkWiregram, markdownItWiregram, baseRemark, baseMarkdownIt;
try {
  ({ default: remarkWiregram } = await import(distOf(null, 'remark-wiregram')));
  ({ default: markdownItWiregram } = await import(distOf(null, 'markdown-it-wiregram')));
  if (baselineRoot) {
    ({ default: baseRemark } = await import(distOf(baselineRoot, 'remark-wiregram')));
    ({ default: baseMarkdownIt } = await import(distOf(baselineRoot, 'markdown-it-wiregram')));
  }
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

const remarkPage = (md, withPlugin, plugin = remarkWiregram) => {
  const p = unified().use(remarkParse);
  if (withPlugin) p.use(plugin);
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
const cpu = (fn) => {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
function share(withPlugin, plain, rounds = Math.max(runs * 3, 15)) {
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

// Paired against another checkout: per round, this build's page, the baseline's page and the plain page (the
// order rotating), so a burst of load hits all three alike; the share of each is its page minus the plain one.
if (baselineRoot) {
  const baseMd = new MarkdownIt().use(baseMarkdownIt);
  const pairs = [
    ['remark', () => remarkPage(page, true), () => remarkPage(page, true, baseRemark), () => remarkPage(plainPage, false)],
    ['markdown-it', () => mdPlugin.render(page), () => baseMd.render(page), () => mdPlain.render(plainPage)],
  ];
  const rounds = Math.max(runs * 3, 15);
  const rowsPaired = [];
  for (const [name, ours, theirs, plainFn] of pairs) {
    for (let i = 0; i < 3; i++) ours(), theirs(), plainFn();
    const a = [];
    const b = [];
    const ratios = [];
    for (let r = 0; r < rounds; r++) {
      const fns = [ours, theirs, plainFn];
      const t = [0, 0, 0];
      for (let k = 0; k < 3; k++) {
        const j = (k + r) % 3;
        globalThis.gc?.();
        t[j] = cpu(fns[j]);
      }
      a.push((t[0] - t[2]) / N);
      b.push((t[1] - t[2]) / N);
      ratios.push((t[0] - t[2]) / (t[1] - t[2]));
    }
    rowsPaired.push([name, median(a).toFixed(3), median(b).toFixed(3), median(ratios).toFixed(2)]);
  }
  console.log(`\npaired with ${baselineRoot} (${rounds} rounds, CPU ms per diagram, median; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  printTable(['pipeline', 'this build', 'baseline', 'ratio (median of rounds)'], rowsPaired);
}
