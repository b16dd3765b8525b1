#!/usr/bin/env node
// Timing-diagram layout: warm time of Timeline → Scene for the seed figures in the three styles (the whole
// text → SVG budget is 1 ms; layout's share is ≲ 150 µs), the same with compileSequence included, and the cold
// start of importing @wiregram/layout and laying out a handshake in a fresh process vs `node -e 0` (the CLI
// target is within 3×; the font metrics are a generated table, no font file is parsed).
// Imports the built packages: run `npx tsc -b packages/layout/tsconfig.json` first (pnpm bench does).
import { bestOfRounds as time, coldStart as cold, dist, printTable, SEED_HANDSHAKE as HANDSHAKE, SEED_WAVEHAND as WAVEHAND } from './lib.mjs';

const layoutUrl = dist('layout');
const coreUrl = dist('core');
const { layoutTimeline } = await import(layoutUrl);
const { compileSequence } = await import(coreUrl);


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

printTable(
  ['diagram', 'layout µs/op:', 'layout ops/s:', 'compile+layout µs/op:', 'layout vs 150 µs budget:'],
  rows.map(([name, layout, both]) => [name, layout.toFixed(1), Math.round(1e6 / layout), both.toFixed(1), `${(layout / 150).toFixed(2)}×`]),
);

// Long transfers: label placement must stay near-linear (obstacles bucketed by y). One layout per round, best
// of a few rounds; the 10,000-segment rows are the ones a capture import produces.
function transfer(n) {
  let s = 'participant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';
  for (let i = 0; i < n - 3; i++) s += i % 2 ? 'server -> client: ACK\n' : 'client -> server: PSH, ACK len=100\n';
  return s;
}
console.log('');
const transfers = [];
for (const n of [300, 3000, 10000]) {
  const tl = compileSequence(transfer(n));
  for (const style of ['states', 'lifeline', 'flow']) {
    const ms = time(() => layoutTimeline(tl, { style }), { rounds: n > 3000 ? 2 : 3, n: 1, warmup: 0 }) / 1000;
    transfers.push([`${n} segments`, style, ms.toFixed(1), ((ms * 1000) / n).toFixed(1)]);
  }
}
printTable(['transfer', 'style', 'layout ms:', 'µs per segment:'], transfers);

// Cold start: a fresh process importing the layout and drawing one handshake, vs an empty Node process.
const script = `const {layoutTimeline}=await import(${JSON.stringify(layoutUrl)});const {compileSequence}=await import(${JSON.stringify(coreUrl)});layoutTimeline(compileSequence(${JSON.stringify(HANDSHAKE)}));`;
const empty = cold(['-e', '0']);
const ours = cold(['--input-type=module', '-e', script]);
console.log('');
printTable(['cold start', 'median ms:', 'ratio:'], [
  ['node -e 0', empty.toFixed(1), '1.00×'],
  ['import core+layout, compile+layout handshake', ours.toFixed(1), `${(ours / empty).toFixed(2)}×`],
]);
