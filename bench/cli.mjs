#!/usr/bin/env node
// Cold start of the `wiregram` command, measured like hyperfine: N fresh processes per command, median and
// min wall time. The floor is `node -e 0` (bare Node start-up); the competitor is mermaid-cli (`mmdc`, which
// drives headless Chromium) drawing the same handshake as a Mermaid sequenceDiagram. Targets (issue 18), as the
// median of per-round ratios to the floor (paired: each round runs every command once, so load drift cancels):
// render handshake SVG ≤ 1.5×, check of the examples ≤ 1.5×, deck handshake PDF ≤ 2.5× (Latin text) and ≤ 3.5×
// (CJK labels). Beside each wall-time ratio the same ratio in CPU time (user + system of the whole process, paired
// the same way): on a shared machine wall time also counts the wait for a core, CPU time only the work. Uses the
// built CLI (its bundle); run `npx -y pnpm@10 build` first.
//
// `--baseline <bin>` (another build's packages/cli/bin/wiregram.cjs, e.g. a worktree of main) runs each wiregram
// command with that bin too, in the same rounds, and prints this build against it (paired per round, wall and CPU):
// before/after figures from one run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBin, median, pairedRatio, printTable, record, ROOT, SEED_HANDSHAKE as handshake, timedNode } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = cliBin();
const baselineAt = process.argv.indexOf('--baseline');
const baselineBin = baselineAt > 0 ? process.argv[baselineAt + 1] : null;
if (baselineAt > 0 && (!baselineBin || !existsSync(baselineBin))) {
  console.error(`bench/cli.mjs: --baseline needs the path of another build's bin/wiregram.cjs (got ${baselineBin ?? 'nothing'})`);
  process.exit(2);
}
const N = Number(process.env.BENCH_RUNS ?? 15);
const N_SLOW = Number(process.env.BENCH_RUNS_SLOW ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'wg-bench-cli-'));
mkdirSync(join(dir, 'out'));
// The same figure for Mermaid: it cannot compute numbers or states, so the labels are written out by hand.
const mermaid = `sequenceDiagram
  title TCP 三次握手
  participant client as 客户端
  participant server as 服务端
  client->>server: SYN, seq=x
  server->>client: SYN, ACK, seq=y, ack=x+1
  client->>server: ACK, seq=x+1, ack=y+1
`;
writeFileSync(join(dir, 'handshake.tcpseq'), handshake);
// The same exchange with Latin text only: the PDF then never needs the CJK font.
const latin = handshake.replace('TCP 三次握手', 'TCP three-way handshake').replace('as 客户端', 'as client').replace('as 服务端', 'as server');
writeFileSync(join(dir, 'handshake-latin.tcpseq'), latin);
const examples = join(ROOT, 'examples', '*.md');
writeFileSync(join(dir, 'handshake.mmd'), mermaid);
writeFileSync(join(dir, 'puppeteer.json'), JSON.stringify({ args: ['--no-sandbox', '--disable-gpu'] }));

const env = { ...process.env, NO_COLOR: '1' };
const node = process.execPath;
const commands = [
  { name: 'node -e 0 (floor)', cmd: node, args: ['-e', '0'], runs: N },
  { name: 'wiregram --version', cmd: node, args: [bin, '--version'], runs: N },
  { name: 'wiregram check handshake', cmd: node, args: [bin, 'check', 'handshake.tcpseq', '-q'], runs: N },
  { name: 'wiregram render handshake (svg)', cmd: node, args: [bin, 'render', 'handshake.tcpseq', '-o', 'out', '-q'], runs: N },
  { name: 'wiregram render handshake (pdf)', cmd: node, args: [bin, 'render', 'handshake.tcpseq', '-o', 'out', '-q', '--format', 'pdf'], runs: N },
  { name: 'wiregram check examples/*.md', cmd: node, args: [bin, 'check', examples, '-q'], runs: N, target: 1.5, figure: '`wiregram check` of the examples' },
  // The check code cache is trained on examples/ (scripts/train-cache.mjs): docs/ is a folder it never saw, so a
  // gain that holds only for what it was trained on shows here.
  // Run from the repository: its `capture` lines read files under docs/, which must be inside the project (cwd).
  { name: 'wiregram check docs/**/*.md (untrained)', cmd: node, args: [bin, 'check', 'docs/**/*.md', '-q'], runs: N, cwd: ROOT },
  { name: 'wiregram deck handshake (pdf, Latin)', cmd: node, args: [bin, 'deck', 'handshake-latin.tcpseq', '-o', 'out/deck-latin.pdf', '-q'], runs: N, target: 2.5, figure: '`wiregram deck` handshake PDF, Latin' },
  { name: 'wiregram deck handshake (pdf, CJK labels)', cmd: node, args: [bin, 'deck', 'handshake.tcpseq', '-o', 'out/deck-cjk.pdf', '-q'], runs: N, target: 3.5, figure: '`wiregram deck` handshake PDF, CJK labels' },
];
// The baseline's twin of each wiregram command (its own output folder), run right after it in every round.
const baselines = new Map();
if (baselineBin) {
  mkdirSync(join(dir, 'out-baseline'));
  for (const c of commands.filter((x) => x.args[0] === bin)) {
    const twin = { name: `baseline: ${c.name}`, cmd: node, args: [baselineBin, ...c.args.slice(1).map((a) => a.replace(/^out(?=$|\/)/, 'out-baseline'))], runs: c.runs, cwd: c.cwd };
    baselines.set(c, twin);
    commands.splice(commands.indexOf(c) + 1, 0, twin);
  }
}
commands.find((c) => c.name === 'wiregram render handshake (svg)').target = 1.5;
commands.find((c) => c.name === 'wiregram render handshake (svg)').figure = '`wiregram render` handshake SVG';
const mmdc = join(here, 'node_modules/.bin/mmdc');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const skipped = [];
if (existsSync(mmdc) && chromium) {
  commands.push({
    name: 'mermaid-cli (mmdc) handshake (svg)',
    cmd: mmdc,
    args: ['-q', '-i', 'handshake.mmd', '-o', 'out/mermaid.svg', '-p', 'puppeteer.json'],
    runs: N_SLOW,
    env: { PUPPETEER_EXECUTABLE_PATH: chromium },
  });
} else {
  skipped.push({ name: 'mermaid-cli (mmdc)', failed: `not installed (${existsSync(mmdc) ? 'no chromium' : 'run npm install in bench/'})` });
}

function once(c) {
  if (c.cmd === node) {
    const r = timedNode(c.args, { cwd: c.cwd ?? dir, env: { ...env, ...(c.env ?? {}) } });
    if (r.status !== 0) c.failed = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(0, 3).join(' | ');
    return r;
  }
  // mermaid-cli: its work is in Chromium's processes, so only wall time means anything.
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, { cwd: dir, env: { ...env, ...(c.env ?? {}) }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) c.failed = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(0, 3).join(' | ');
  return { ms, cpuMs: null };
}
// Round-robin, so every command sees the same machine load (a shared machine drifts a lot between batches).
// Round 0 is a warm-up (file cache) and is not counted.
const times = new Map(commands.map((c) => [c, []]));
const cpuTimes = new Map(commands.map((c) => [c, []]));
const rounds = Math.max(...commands.map((c) => c.runs));
for (let round = 0; round <= rounds; round++) {
  for (const c of commands) {
    if (c.failed || round > c.runs) continue;
    const { ms, cpuMs } = once(c);
    if (round > 0) {
      times.get(c).push(ms);
      cpuTimes.get(c).push(cpuMs);
    }
  }
}
const rows = commands.map((c) => {
  if (c.failed) return { name: c.name, failed: c.failed };
  const t = times.get(c);
  const cpu = cpuTimes.get(c);
  const hasCpu = cpu.every((x) => x !== null) && cpuTimes.get(commands[0]).every((x) => x !== null);
  return {
    name: c.name,
    median: median(t),
    min: Math.min(...t),
    runs: t.length,
    paired: pairedRatio(t, times.get(commands[0])),
    cpu: hasCpu ? median(cpu) : null,
    cpuPaired: hasCpu ? pairedRatio(cpu, cpuTimes.get(commands[0])) : null,
  };
});
rows.push(...skipped);

const floor = rows[0].median;
const render = rows.find((r) => r.name.startsWith('wiregram render handshake (svg)'));
console.log(`cold start, wall time per process: median of N fresh spawns, commands interleaved (load average ${loadavg()[0].toFixed(1)})\n`);
printTable(
  ['command', 'runs:', 'median ms:', 'min ms:', '× node floor (paired):', 'CPU ms:', '× node floor, CPU (paired):', 'ops/s:'],
  rows.map((r) =>
    r.failed
      ? [r.name, '–', `failed: ${r.failed}`, '', '', '', '', '']
      : [r.name, r.runs, r.median.toFixed(1), r.min.toFixed(1), `${r.paired.toFixed(2)}×`, r.cpu === null ? '–' : r.cpu.toFixed(1), r.cpuPaired === null ? '–' : `${r.cpuPaired.toFixed(2)}×`, (1000 / r.median).toFixed(1)],
  ),
);
if (baselines.size) {
  console.log(`\nthis build against the baseline (${baselineBin}), paired per round: ratio < 1 is faster\n`);
  printTable(
    ['command', 'baseline median ms:', 'this build ms:', 'wall ratio:', 'baseline CPU ms:', 'this build CPU ms:', 'CPU ratio:'],
    [...baselines].flatMap(([c, twin]) => {
      if (c.failed || twin.failed) return [[c.name, '–', `failed: ${c.failed ?? twin.failed}`, '', '', '', '']];
      const [t, tb, cpu, cpuB] = [times.get(c), times.get(twin), cpuTimes.get(c), cpuTimes.get(twin)];
      const hasCpu = cpu.every((x) => x !== null) && cpuB.every((x) => x !== null);
      return [[c.name, median(tb).toFixed(1), median(t).toFixed(1), `${pairedRatio(t, tb).toFixed(3)}×`, hasCpu ? median(cpuB).toFixed(1) : '–', hasCpu ? median(cpu).toFixed(1) : '–', hasCpu ? `${pairedRatio(cpu, cpuB).toFixed(3)}×` : '–']];
    }),
  );
}
for (const c of commands) {
  const r = rows.find((x) => x.name === c.name);
  if (!c.figure || !r || r.failed) continue;
  record({ figure: c.figure, value: r.median, unit: 'ms', yardstick: 'node -e 0', yardstickValue: floor, ratio: r.paired, cpuRatio: r.cpuPaired, target: c.target, note: `median of ${r.runs} paired rounds, load ${loadavg()[0].toFixed(1)}; CPU ${r.cpu?.toFixed(1)} ms vs ${rows[0].cpu?.toFixed(1)} ms` });
}
const mm = rows.find((r) => r.name.startsWith('mermaid-cli') && !r.failed);
console.log('');
if (render && !render.failed) {
  const ratio = render.paired;
  console.log(`wiregram render vs node -e 0: ${ratio.toFixed(2)}× wall, ${render.cpuPaired?.toFixed(2)}× CPU (target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'} on wall time)`);
  if (mm) {
    console.log(`mermaid-cli vs wiregram render: ${(mm.median / render.median).toFixed(1)}× slower`);
    record({ figure: 'mermaid-cli handshake SVG (cold)', value: mm.median, unit: 'ms', yardstick: '`wiregram render` handshake', yardstickValue: render.median, note: 'how many times slower mermaid-cli is' });
  }
}
