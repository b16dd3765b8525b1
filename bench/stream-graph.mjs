#!/usr/bin/env node
// A 55,000-segment stream (one TCP connection, a retransmission every 5,000 segments and one zero window; generated
// into /tmp at bench time, never committed) drawn as a tcptrace time-sequence graph by the real CLI, end to end from
// the pcap: `wiregram render graph.tcpseq` (option layout=tcptrace; capture ./big.pcap). Beside it, on the same
// capture, the yardsticks: tcptrace writing its own time-sequence graph (`tcptrace -S -zxy`) and tshark printing
// the fields such a graph is drawn from. Wall time, CPU time and peak RSS (/usr/bin/time), the SVG's size.
// Targets (issue 17): ≤ 1 s end to end, SVG ≤ 1 MB.
// Uses the built packages: run `pnpm build` first (pnpm bench does).
// Usage: node bench/stream-graph.mjs [segments]   (default 55000)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin, record, writeBulkCapture } from './lib.mjs';

const SEGMENTS = Number(process.argv[2] ?? 55_000);
const project = `/tmp/wg-bench-graph-${SEGMENTS}`;
const pcap = join(project, 'big.pcap');
mkdirSync(project, { recursive: true });
if (!existsSync(pcap)) writeBulkCapture(pcap, { segments: SEGMENTS, lossEvery: 5000, zeroWindow: true });
writeFileSync(join(project, 'graph.tcpseq'), 'option layout=tcptrace\ncapture ./big.pcap stream 0\n');

function measure(cmd, args, cwd = project) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`${cmd} failed: ${(r.stderr ?? '').slice(0, 500)}`);
  return { seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMB: Number(m[4]) / 1024 };
}
/** Best of three: the machine is shared; the least disturbed run is the tool's own speed. */
const best = (fn) => [fn(), fn(), fn()].sort((a, b) => a.seconds - b.seconds)[0];

const out = join(project, 'out');
const ours = best(() => measure(process.execPath, [cliBin(), 'render', 'graph.tcpseq', '-o', out, '--quiet']));
const svgBytes = statSync(join(out, 'graph.svg')).size;
const ttDir = mkdtempSync(join(tmpdir(), 'wg-bench-tcptrace-'));
const tcptrace = spawnSync('tcptrace', ['-v'], { stdio: 'ignore' }).status === 0 ? best(() => measure('tcptrace', ['-S', '-zxy', '--output_dir=' + ttDir, pcap])) : null;
const xplBytes = tcptrace ? readdirSync(ttDir).filter((f) => f.startsWith('a2b')).reduce((n, f) => n + statSync(join(ttDir, f)).size, 0) : 0;
rmSync(ttDir, { recursive: true, force: true });
const fields = ['-e', 'frame.time_relative', '-e', 'tcp.seq', '-e', 'tcp.len', '-e', 'tcp.ack', '-e', 'tcp.window_size', '-e', 'tcp.analysis.retransmission'];
const tshark = best(() => measure('tshark', ['-r', pcap, '-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields', ...fields]));

console.log(`capture: ${(statSync(pcap).size / 1e6).toFixed(1)} MB, one stream of ${SEGMENTS.toLocaleString('en-US')} segments`);
console.log('| tool | wall s | CPU s | peak RSS MB | output |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| \`wiregram render\` (layout=tcptrace), end to end | ${ours.seconds.toFixed(2)} | ${ours.cpu.toFixed(2)} | ${ours.rssMB.toFixed(0)} | SVG ${(svgBytes / 1e3).toFixed(0)} kB |`);
if (tcptrace) console.log(`| \`tcptrace -S -zxy\` | ${tcptrace.seconds.toFixed(2)} | ${tcptrace.cpu.toFixed(2)} | ${tcptrace.rssMB.toFixed(0)} | xplot ${(xplBytes / 1e6).toFixed(1)} MB |`);
console.log(`| \`tshark -T fields\` (the graph's fields) | ${tshark.seconds.toFixed(2)} | ${tshark.cpu.toFixed(2)} | ${tshark.rssMB.toFixed(0)} | text |`);
const what = `${SEGMENTS.toLocaleString('en-US')}-segment stream as a tcptrace graph, end to end from the pcap`;
record({ figure: `wiregram ${what}: wall time`, value: ours.seconds, unit: 's', yardstick: 'tcptrace -S -zxy', yardstickValue: tcptrace?.seconds ?? null, target: 1, targetOn: 'value' });
record({ figure: `wiregram ${what}: CPU time`, value: ours.cpu, unit: 's', yardstick: 'tshark -T fields (the graph fields)', yardstickValue: tshark.cpu });
record({ figure: `wiregram ${what}: SVG size`, value: svgBytes / 1e6, unit: 'MB', yardstick: 'tcptrace xplot file', yardstickValue: xplBytes ? xplBytes / 1e6 : null, target: 1, targetOn: 'value' });
