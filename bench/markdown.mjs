#!/usr/bin/env node
// A Markdown page of 100 diagrams (timing diagrams of several sizes and header layouts) through the real
// pipelines, built packages only: unified + remark-parse + remark-wiregram + remark-rehype + rehype-stringify
// (processSync), and markdown-it + markdown-it-wiregram. Prints ms per page and per diagram, and the ratio to
// the same page with the blocks left as plain code (what the Markdown pipeline itself costs).
// Run `npx -y pnpm@10 build` first.
import { loadavg } from 'node:os';
import { dist, median, medianOfRuns, printTable, record, ROOT } from './lib.mjs';

import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// `--baseline <checkout>`: also measure another built checkout's plugins (e.g. main's, in a second worktree) in
// the same process, alternating with this one round by round, and print the ratio of the shares.
// Each build is measured in a process of its own (two builds in one process disturb each other's JIT and GC):
// one child per build and round, alternating, each printing its shares as JSON (`--shares-of <checkout>`).
const argOf = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? resolve(process.argv[at + 1] ?? '') : null;
};
const baselineRoot = argOf('--baseline');
// `--warm <pages>`: run that many pages of each kind before the share's rounds (default 3): with ~100 the share is
// a warm process's (a dev server, a watch loop, a long docs build), without the JIT's tier-up in it.
const warmAt = process.argv.indexOf('--warm');
const warmPages = warmAt > 0 ? Number(process.argv[warmAt + 1]) : 3;
const sharesOf = argOf('--shares-of');
const distOf = (root, pkg) => (root ? pathToFileURL(join(root, 'packages', pkg, 'dist', 'index.js')).href : dist(pkg));

let remarkWiregram, markdownItWiregram;
try {
  ({ default: remarkWiregram } = await import(distOf(sharesOf, 'remark-wiregram')));
  ({ default: markdownItWiregram } = await import(distOf(sharesOf, 'markdown-it-wiregram')));
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
if (sharesOf) {
  const r = share(() => remarkPage(page, true), () => remarkPage(plainPage, false), runs);
  const m = share(() => mdPlugin.render(page), () => mdPlain.render(plainPage), runs);
  console.log(JSON.stringify({ remark: r.perDiagram, markdownIt: m.perDiagram, remarkWall: r.wallPerDiagram, markdownItWall: m.wallPerDiagram }));
  process.exit(0);
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
// the same page with plain code blocks, in pairs (one of each per round), median over rounds, counted two ways from
// the same calls:
// - CPU: process CPU time (user + system) of the call, all of the process's threads — so it includes V8's
//   background JIT compiles and concurrent GC marking the call causes, and excludes time the process waited
//   for a core (the column the target names: the machine is shared);
// - wall: elapsed time of the call (`performance.now`), as a user waiting for the page feels it and as the
//   issue's "Why" figures were taken — inflated when other processes hold the cores, smaller than CPU where
//   background threads run in parallel.
// A full GC runs before each call (with --expose-gc), outside both clocks.
function timed(fn) {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { cpu: (d.user + d.system) / 1000, wall };
}
function share(withPlugin, plain, rounds = Math.max(runs * 3, 15)) {
  for (let i = 0; i < warmPages; i++) withPlugin(), plain();
  const diffs = [];
  const wallDiffs = [];
  const plains = [];
  const wallPlains = [];
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    const a = timed(withPlugin);
    globalThis.gc?.();
    const b = timed(plain);
    diffs.push(a.cpu - b.cpu);
    plains.push(b.cpu);
    wallDiffs.push(a.wall - b.wall);
    wallPlains.push(b.wall);
  }
  return { perDiagram: median(diffs) / N, plain: median(plains), wallPerDiagram: median(wallDiffs) / N, wallPlain: median(wallPlains) };
}
const remarkShare = share(() => remarkPage(page, true), () => remarkPage(plainPage, false));
const mdShare = share(() => mdPlugin.render(page), () => mdPlain.render(plainPage));
console.log(`\nwiregram's share per diagram, paired with the plain page (median of rounds): remark ${remarkShare.perDiagram.toFixed(3)} ms CPU (${remarkShare.wallPerDiagram.toFixed(3)} ms wall), markdown-it ${mdShare.perDiagram.toFixed(3)} ms CPU (${mdShare.wallPerDiagram.toFixed(3)} ms wall); target ≤ 0.5 ms (CPU)`);
record({ figure: "wiregram's share of a 100-diagram page, remark", value: remarkShare.perDiagram, unit: 'ms/diagram', yardstick: 'remark page with plain code blocks (ms/page)', yardstickValue: remarkShare.plain, ratio: (remarkShare.perDiagram * N) / remarkShare.plain, target: 0.5, targetOn: 'value', note: `CPU time, median of paired rounds; wall ${remarkShare.wallPerDiagram.toFixed(3)} ms/diagram` });
record({ figure: "wiregram's share of a 100-diagram page, markdown-it", value: mdShare.perDiagram, unit: 'ms/diagram', yardstick: 'markdown-it page with plain code blocks (ms/page)', yardstickValue: mdShare.plain, ratio: (mdShare.perDiagram * N) / mdShare.plain, target: 0.5, targetOn: 'value', note: `CPU time, median of paired rounds; wall ${mdShare.wallPerDiagram.toFixed(3)} ms/diagram` });
console.log(`\noutput: ${(check.length / 1024).toFixed(0)} KiB of HTML per page; mermaid-cli needs ≈1.9 s per diagram (ANCHORS.md), ≈190 s for this page.`);

// Paired against another checkout: per round one child process of each build (the order alternating), each
// measuring its shares (its page minus the plain page, CPU time) in a fresh process; ratio per round, median.
if (baselineRoot) {
  const { spawnSync } = await import('node:child_process');
  const here = fileURLToPath(import.meta.url);
  const child = (root) => {
    const out = spawnSync(process.execPath, ['--expose-gc', here, '--shares-of', root, '--warm', String(warmPages)], { encoding: 'utf8', env: { ...process.env, BENCH_RUNS: '9' } });
    if (out.status !== 0) throw new Error(`bench/markdown child for ${root} failed: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').pop());
  };
  const ours = ROOT;
  const rounds = Number(process.env.BENCH_PAIRS ?? 7);
  const KEYS = ['remark', 'markdownIt', 'remarkWall', 'markdownItWall'];
  const got = Object.fromEntries(KEYS.map((k) => [k, [[], [], []]]));
  const loads = [loadavg()[0]];
  for (let r = 0; r < rounds; r++) {
    const [first, second] = r % 2 ? [baselineRoot, ours] : [ours, baselineRoot];
    const a = child(first);
    const b = child(second);
    const mine = first === ours ? a : b;
    const base = first === ours ? b : a;
    for (const k of KEYS) {
      got[k][0].push(mine[k]);
      got[k][1].push(base[k]);
      got[k][2].push(mine[k] / base[k]);
    }
  }
  loads.push(loadavg()[0]);
  console.log(`\npaired with ${baselineRoot}: ${rounds} rounds of one fresh process per build (alternating; ${warmPages} pages of each kind first), ms per diagram (each process's median share), medians over rounds; CPU = user + system of the process, wall = elapsed; load average ${loads.map((l) => l.toFixed(1)).join(' → ')}\n`);
  const cell = (k, i) => median(got[k][i]).toFixed(i === 2 ? 2 : 3);
  printTable(
    ['pipeline', 'this build, CPU (wall)', 'baseline, CPU (wall)', 'ratio CPU (wall), median of per-round ratios'],
    ['remark', 'markdownIt'].map((k) => [k === 'markdownIt' ? 'markdown-it' : k, `${cell(k, 0)} (${cell(k + 'Wall', 0)})`, `${cell(k, 1)} (${cell(k + 'Wall', 1)})`, `${cell(k, 2)} (${cell(k + 'Wall', 2)})`]),
  );
}
