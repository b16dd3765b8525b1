#!/usr/bin/env node
// Timing-diagram layout: warm time of Timeline → Scene for the seed figures in the three styles (the whole
// text → SVG budget is 1 ms; layout's share is ≲ 150 µs), the same with compileSequence included, and the cold
// start of importing @wiregram/layout and laying out a handshake in a fresh process vs `node -e 0` (the CLI
// target is within 3×; the font metrics are a generated table, no font file is parsed).
// Imports the built packages: run `npx tsc -b packages/layout/tsconfig.json` first (pnpm bench does).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const layoutUrl = pathToFileURL(join(root, 'packages/layout/dist/index.js')).href;
const coreUrl = pathToFileURL(join(root, 'packages/core/dist/index.js')).href;
const { layoutTimeline } = await import(layoutUrl);
const { compileSequence } = await import(coreUrl);

const HANDSHAKE = `title TCP 三次握手
participant client as 客户端
participant server as 服务端
isn client=x server=y
client -> server: SYN
server -> client: SYN, ACK
client -> server: ACK
`;
const WAVEHAND = `title TCP 四次挥手
participant client as 客户端
participant server as 服务端
state client=ESTABLISHED server=ESTABLISHED
seq client=u server=v
client -> server: FIN, ACK
server -> client: ACK
server -> client: FIN, ACK
client -> server: ACK
`;

/** Best of several rounds (the machine is shared): µs per call. */
function time(fn, rounds = 15, n = 300) {
  for (let i = 0; i < n * 3; i++) fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  return best;
}

const rows = [];
for (const [name, src] of [
  ['handshake', HANDSHAKE],
  ['wavehand', WAVEHAND],
]) {
  const tl = compileSequence(src);
  for (const style of ['states', 'lifeline', 'flow']) {
    const layout = time(() => layoutTimeline(tl, { style }));
    const both = time(() => layoutTimeline(compileSequence(src), { style }));
    rows.push([`${name} ${style}`, layout, both]);
  }
}

console.log('| diagram | layout µs/op | layout ops/s | compile+layout µs/op | layout vs 150 µs budget |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, layout, both] of rows)
  console.log(`| ${name} | ${layout.toFixed(1)} | ${Math.round(1e6 / layout)} | ${both.toFixed(1)} | ${(layout / 150).toFixed(2)}× |`);

// Long transfers: label placement must stay near-linear (obstacles bucketed by y). One layout per round, best
// of a few rounds; the 10,000-segment rows are the ones a capture import produces.
function transfer(n) {
  let s = 'participant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
  for (let i = 0; i < n - 3; i++) s += i % 2 ? 'server -> client: ACK\n' : 'client -> server: PSH, ACK len=100\n';
  return s;
}
function once(fn, rounds = 3) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}
console.log('');
console.log('| transfer | style | layout ms | µs per segment |');
console.log('| --- | --- | ---: | ---: |');
for (const n of [300, 3000, 10000]) {
  const tl = compileSequence(transfer(n));
  for (const style of ['states', 'lifeline', 'flow']) {
    const ms = once(() => layoutTimeline(tl, { style }), n > 3000 ? 2 : 3);
    console.log(`| ${n} segments | ${style} | ${ms.toFixed(1)} | ${((ms * 1000) / n).toFixed(1)} |`);
  }
}

// Cold start: a fresh process importing the layout and drawing one handshake, vs an empty Node process.
function cold(args, runs = 7) {
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`cold run failed: ${args.join(' ')}`);
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}
const script = `const {layoutTimeline}=await import(${JSON.stringify(layoutUrl)});const {compileSequence}=await import(${JSON.stringify(coreUrl)});layoutTimeline(compileSequence(${JSON.stringify(HANDSHAKE)}));`;
const empty = cold(['-e', '0']);
const ours = cold(['--input-type=module', '-e', script]);
console.log('');
console.log('| cold start | median ms | ratio |');
console.log('| --- | ---: | ---: |');
console.log(`| node -e 0 | ${empty.toFixed(1)} | 1.00× |`);
console.log(`| import core+layout, compile+layout handshake | ${ours.toFixed(1)} | ${(ours / empty).toFixed(2)}× |`);
