#!/usr/bin/env node
// Warm parse + simulate time of the protocol core (text → Timeline): the seed handshake, the seed wavehand, and a
// 10,000-segment transfer (µs per segment). Mermaid's sequenceDiagram parser is measured on the same handshake in
// the same run for scale — it only parses (the author types every number), wiregram also runs the TCP engine.
// Imports the built package: run `npx tsc -b packages/core/tsconfig.json` first (pnpm bench does).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR as here, dist, printTable, runFor, runForAsync, SEED_HANDSHAKE } from './lib.mjs';

const core = await import(dist('core'));

const HANDSHAKE = SEED_HANDSHAKE;
// The handshake, then the close (the seed wavehand's sequence numbers, after a handshake to start from).
const WAVEHAND = `${HANDSHAKE.replace('三次握手', '四次挥手')}== 数据传输 ==
seq client=u server=v
client -> server: FIN
server -> client: ACK
seq server=w
server -> client: FIN, ACK
client -> server: ACK
`;
const lines = ['participant client', 'participant server', 'isn client=1000 server=5000', 'client -> server: SYN', 'server -> client: SYN, ACK', 'client -> server: ACK'];
while (lines.length < 4 + 9_998) {
  lines.push('client -> server: PSH, ACK len=1460');
  lines.push('server -> client: ACK');
}
const BULK = lines.join('\n');
const bulkSegments = core.compileSequence(BULK).segments.length;

const cpuOf = new Map();
/** Wall µs per call over ~`ms` after a warm-up of ms/2 (the JIT); the CPU µs per call is kept for the table. */
function measure(fn, ms = 700) {
  const { us, cpuUs } = runFor(fn, { ms, warmupMs: ms / 2 });
  cpuOf.set(us, cpuUs);
  return us;
}

const rows = [];
const hs = measure(() => core.compileSequence(HANDSHAKE));
rows.push(['handshake (3 segments)', hs, 3]);
const wh = measure(() => core.compileSequence(WAVEHAND));
rows.push(['handshake + wavehand (7 segments)', wh, 7]);
const parseOnly = measure(() => core.parseSequence(WAVEHAND));
rows.push(['  of which parse only', parseOnly, 7]);
const bulk = measure(() => core.compileSequence(BULK), 3000);
rows.push([`transfer (${bulkSegments} segments)`, bulk, bulkSegments]);

let mermaidUs = null;
const mermaidPath = join(here, 'node_modules/mermaid/dist/mermaid.core.mjs');
if (existsSync(mermaidPath)) {
  try {
    const mermaid = (await import(pathToFileURL(mermaidPath).href)).default;
    const M = 'sequenceDiagram\nparticipant client as 客户端\nparticipant server as 服务端\nclient->>server: SYN, seq=x\nserver->>client: SYN, ACK, seq=y, ack=x+1\nclient->>server: ACK, seq=x+1, ack=y+1\n';
    mermaidUs = await runForAsync(() => mermaid.parse(M), { ms: 1000 });
  } catch (e) {
    console.log(`(mermaid not measured: ${e.message})`);
  }
}

const f = (n, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const table = rows.map(([name, us, segs]) => [name, f(1e6 / us, 0), f(us), f(cpuOf.get(us) ?? NaN), f(us / segs, 3)]);
if (mermaidUs !== null) table.push(['mermaid.parse, same handshake (numbers typed by hand)', f(1e6 / mermaidUs, 0), f(mermaidUs), '–', f(mermaidUs / 3, 3)]);
printTable(['case', 'diagrams/s:', 'µs / diagram (wall):', 'µs / diagram (CPU):', 'µs / segment (wall):'], table);
if (mermaidUs !== null) {
  console.log(`\nwiregram parse+simulate of the handshake is ${f(mermaidUs / hs, 0)}× faster than mermaid.parse of the same diagram.`);
}
console.log(`machine load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).availableParallelism?.() ?? '?'} cores (timings scale with it).`);
console.log(`budget: a warm handshake must stay well under 100 µs — measured ${f(hs)} µs wall, ${f(cpuOf.get(hs))} µs CPU.`);
