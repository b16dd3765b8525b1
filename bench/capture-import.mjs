#!/usr/bin/env node
// Importing one TCP stream of a 75 MB single-stream capture (generated into /tmp at bench time, never committed):
// the real `wiregram import FILE -o OUT` and the API it calls, `captureFileToSequenceText` (scan, Wireshark
// analysis, text, engine check), beside tshark reading the same file with the same analysis (`-T fields -e
// frame.number -e _ws.col.Info`, TCP desegmentation off). Time and peak RSS (/usr/bin/time -v), as ratios; the
// CLI's output is checked to be the API's text.
// Uses the built packages: run `npx tsc -b packages/cli/tsconfig.json` first (pnpm bench does).
// Usage: node bench/capture-import.mjs [megabytes]   (default 75)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { cliBin, dist, record, writeBulkCapture } from './lib.mjs';

if (process.argv[2] === '--child') {
  const { captureFileToSequenceText } = await import(dist('core', 'node.js'));
  const t0 = process.hrtime.bigint();
  const text = captureFileToSequenceText(process.argv[3], { stream: 0, source: basename(process.argv[3]) });
  const tooLong = text.startsWith('# note: this stream is too long');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = text.split('\n').filter((l) => l.includes(' -> ')).length;
  writeFileSync(process.argv[4], text);
  console.log(JSON.stringify({ seconds, lines, refused: text.startsWith('# note') && !tooLong, tooLong }));
  process.exit(0);
}

const MB = Number(process.argv[2] ?? 75);
const file = `/tmp/wg-bench-import-${MB}mb.pcap`;
function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr ?? '');
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${(r.stderr ?? '').slice(0, 500)}`);
  return { rssMB: rss ? Number(rss[1]) / 1024 : NaN, seconds, stdout: r.stdout };
}

if (!existsSync(file)) writeBulkCapture(file, { megabytes: MB });
const size = statSync(file).size / 1e6;
const apiOut = `/tmp/wg-bench-import-${MB}mb.api.txt`;
const cliOut = `/tmp/wg-bench-import-${MB}mb.cli.txt`;
const cli = measure(process.execPath, [cliBin(), 'import', file, '-o', cliOut, '--quiet']);
const ours = measure(process.execPath, [new URL(import.meta.url).pathname, '--child', file, apiOut]);
const inner = JSON.parse(ours.stdout.trim().split('\n').at(-1));
const same = readFileSync(cliOut, 'utf8') === readFileSync(apiOut, 'utf8');
rmSync(cliOut);
rmSync(apiOut);
if (!same) throw new Error('`wiregram import` wrote other text than captureFileToSequenceText');
const theirs = measure('tshark', ['-r', file, '-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info']);
const rows = [
  ['`wiregram import FILE -o OUT` (the CLI)', cli.seconds, cli.rssMB],
  ['captureFileToSequenceText (the API, in a bare node)', ours.seconds, ours.rssMB],
  ['tshark -T fields -e _ws.col.Info', theirs.seconds, theirs.rssMB],
];
const checked = inner.refused ? 'the engine refused the text!' : inner.tooLong ? 'longer than one diagram (10,000 segments), so the engine check stops at its bound' : 'checked by the engine';
console.log(`capture: ${size.toFixed(1)} MB, one stream, ${inner.lines} segments imported (${checked})`);
console.log('| tool | wall s | peak RSS MB |');
console.log('| --- | ---: | ---: |');
for (const [name, s, m] of rows) console.log(`| ${name} | ${s.toFixed(2)} | ${m.toFixed(0)} |`);
const ratio = (r) => `time ${(r.seconds / theirs.seconds).toFixed(2)}, peak RSS ${(r.rssMB / theirs.rssMB).toFixed(2)}`;
console.log(`ratios (wiregram / tshark): CLI ${ratio(cli)}; API ${ratio(ours)} (target: peak RSS ≤ 1)`);
const yardstick = 'tshark -T fields -e _ws.col.Info, desegmentation off';
const what = `import of a ${size.toFixed(0)} MB single-stream capture (${inner.lines} segments)`;
record({ figure: `wiregram ${what}: peak RSS`, value: cli.rssMB, unit: 'MB', yardstick, yardstickValue: theirs.rssMB, target: 1 });
record({ figure: `captureFileToSequenceText ${what}: peak RSS`, value: ours.rssMB, unit: 'MB', yardstick, yardstickValue: theirs.rssMB, target: 1 });
record({ figure: `wiregram ${what}: wall time`, value: cli.seconds, unit: 's', yardstick, yardstickValue: theirs.seconds });
