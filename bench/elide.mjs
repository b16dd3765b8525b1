#!/usr/bin/env node
// A 55,000-segment stream as an elided sequence diagram (issue 17, item 3; targets ≤ 1 s end to end from the pcap,
// ≤ 2 MB of SVG). The capture (generated into /tmp, never committed: writeBulkCapture in lib.mjs) is a bulk transfer
// with a loss every 2,500 data segments, each repaired by a fast retransmission after duplicate ACKs. Measured:
//  - the API in a fresh node: read the pcap → timelineFromCaptureFile → layoutTimeline (flow, elide=auto) → SVG;
//  - the real `wiregram render big.tcpseq` (a block `capture big.pcap stream 0` with `option elide=auto`), cold;
// beside tshark reading the same file with the same analysis (`-T fields -e _ws.col.Info`, desegmentation off).
// Uses the built packages: run `npx -y pnpm@10 build` first (pnpm bench does).
// Usage: node bench/elide.mjs [segments]   (default 55000)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin, dist, printTable, record, writeBulkCapture } from './lib.mjs';

if (process.argv[2] === '--child') {
  const t0 = process.hrtime.bigint();
  const { timelineFromCaptureFile } = await import(dist('core', 'node.js'));
  const { layoutTimeline } = await import(dist('layout'));
  const { sceneToSvg } = await import(dist('svg'));
  const t1 = process.hrtime.bigint();
  // Told the overview it will be drawn as: labels only for the segments it keeps.
  const timeline = timelineFromCaptureFile(process.argv[3], { stream: 0, elide: 'auto' });
  const t2 = process.hrtime.bigint();
  const scene = layoutTimeline(timeline, { style: 'flow', elide: 'auto' });
  const t3 = process.hrtime.bigint();
  const svg = sceneToSvg(scene, {});
  const t4 = process.hrtime.bigint();
  writeFileSync(process.argv[4], svg);
  const ms = (a, b) => Number(b - a) / 1e6;
  const gaps = (svg.match(/<text[^>]*>… [\d,]+ segments/g) ?? []).length;
  // CPU time of the whole process (start-up included): on a shared machine closer to an idle wall time than wall.
  const { user, system } = process.cpuUsage();
  console.log(JSON.stringify({ cpu: (user + system) / 1e3, drawn: scene.steps, segments: timeline.segments.length, gaps, load: ms(t0, t1), capture: ms(t1, t2), layout: ms(t2, t3), svg: ms(t3, t4), total: ms(t0, t4), bytes: Buffer.byteLength(svg) }));
  process.exit(0);
}

const SEGMENTS = Number(process.argv[2] ?? 55_000);

function wall(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${(r.stderr ?? '').slice(0, 800)}`);
  return { seconds, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The capture sits beside the diagram: a `capture` line reads only files inside the project.
const dir = mkdtempSync(join(tmpdir(), 'wg-bench-elide-'));
const file = join(dir, 'big.pcap');
try {
  writeBulkCapture(file, { segments: SEGMENTS, lossEvery: 2500 });
  writeFileSync(join(dir, 'big.tcpseq'), 'option elide=auto layout=flow labels=wireshark\ncapture big.pcap stream 0\n');
  const rounds = 3;
  const api = [];
  const cli = [];
  const tshark = [];
  let inner = null;
  for (let i = 0; i < rounds; i++) {
    const a = wall(process.execPath, [new URL(import.meta.url).pathname, '--child', file, join(dir, 'api.svg')]);
    api.push(a.seconds);
    inner = JSON.parse(a.stdout.trim().split('\n').at(-1));
    cli.push(wall(process.execPath, [cliBin(), 'render', 'big.tcpseq', '--root', '/', '-o', 'out', '--quiet'], { cwd: dir }).seconds);
    tshark.push(wall('tshark', ['-r', file, '-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info']).seconds);
  }
  const cliSvg = readFileSync(join(dir, 'out', 'big.svg'), 'utf8');
  const apiSvg = readFileSync(join(dir, 'api.svg'), 'utf8');
  const size = statSync(file).size / 1e6;
  console.log(`capture: ${size.toFixed(1)} MB, one stream of ${SEGMENTS.toLocaleString('en-US')} segments; drawn: ${inner.drawn} segments and ${inner.gaps} gaps`);
  console.log(`API in a fresh node: CPU ${inner.cpu.toFixed(0)} ms of which modules ${inner.load.toFixed(0)} ms, capture → Timeline ${inner.capture.toFixed(0)} ms, layout ${inner.layout.toFixed(0)} ms, SVG ${inner.svg.toFixed(0)} ms`);
  printTable(
    ['what', 'wall s:', 'SVG KB:'],
    [
      ['API: pcap → elided flow SVG (fresh node, wall)', median(api).toFixed(2), (Buffer.byteLength(apiSvg) / 1024).toFixed(0)],
      ['`wiregram render big.tcpseq` (cold CLI)', median(cli).toFixed(2), (Buffer.byteLength(cliSvg) / 1024).toFixed(0)],
      ['tshark -T fields -e _ws.col.Info (same file)', median(tshark).toFixed(2), '—'],
    ],
  );
  const yardstick = 'tshark -T fields -e _ws.col.Info, desegmentation off';
  const what = `${SEGMENTS.toLocaleString('en-US')}-segment stream as an elided sequence diagram`;
  record({ figure: `${what}: API wall time`, value: median(api), unit: 's', yardstick, yardstickValue: median(tshark), target: 1, targetOn: 'value' });
  record({ figure: `${what}: API process CPU time`, value: inner.cpu / 1e3, unit: 's', target: 1, targetOn: 'value', ratio: false });
  record({ figure: `${what}: wiregram render wall time`, value: median(cli), unit: 's', yardstick, yardstickValue: median(tshark), target: 1, targetOn: 'value' });
  record({ figure: `${what}: SVG size`, value: Buffer.byteLength(cliSvg) / 1e6, unit: 'MB', target: 2, targetOn: 'value', ratio: false });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
