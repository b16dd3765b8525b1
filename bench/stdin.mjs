#!/usr/bin/env node
// Bounded reading of stdin (issue 14): `head -c 1G /dev/zero | wiregram import -` must end at the capture magic,
// not read the gigabyte — target ≤ 1 s and ≤ 100 MB peak RSS. Also `render -` of the same stream (binary text
// input, refused at its first bytes) and of endless text (refused past 16 MiB). Each is a fresh process; wall time
// and peak RSS (the child's own process.resourceUsage().maxRSS, printed on exit by test/fixtures/inject.mjs) are
// printed beside `node -e 0` measured the same way, the floor any Node command pays.
// Uses the built CLI: run `npx tsc -b packages/cli/tsconfig.json` first (pnpm bench does).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliBin, median, printTable, record, ROOT } from './lib.mjs';

const bin = cliBin();
const inject = pathToFileURL(join(ROOT, 'packages/cli/test/fixtures/inject.mjs')).href;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** `producer | node …args`, timed from the shell's start to the pipeline's end (the producer dies of SIGPIPE). */
function once(producer, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `${producer} | "$0" "$@"`, process.execPath, '--import', inject, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WG_REPORT_RSS: '1', NO_COLOR: '1' },
    timeout: 120_000,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const kb = Number(/maxrss-kb=(\d+)/.exec(r.stderr ?? '')?.[1] ?? NaN);
  return { ms, mb: kb / 1024, status: r.status };
}

const cases = [
  { name: 'node -e 0 (floor)', producer: 'true', args: ['-e', '0'] },
  { name: 'head -c 1G /dev/zero | wiregram import -', producer: 'head -c 1073741824 /dev/zero', args: [bin, 'import', '-'] },
  { name: 'head -c 1G /dev/zero | wiregram render -', producer: 'head -c 1073741824 /dev/zero', args: [bin, 'render', '-'] },
  { name: "yes 'a -> b: ACK' | wiregram render - (16 MiB limit)", producer: "yes 'a -> b: ACK'", args: [bin, 'render', '-'] },
];
const results = new Map(cases.map((c) => [c, []]));
// Interleaved rounds, so every command sees the same machine load; round 0 warms the file cache.
for (let round = 0; round <= RUNS; round++) {
  for (const c of cases) {
    const r = once(c.producer, c.args);
    if (round > 0) results.get(c).push(r);
  }
}
const floor = results.get(cases[0]);
const floorMs = median(floor.map((r) => r.ms));
const floorMb = median(floor.map((r) => r.mb));
console.log(`fresh processes, median of ${RUNS} (load average ${loadavg()[0].toFixed(1)})\n`);
printTable(
  ['command', 'exit', 'median ms:', '× node floor:', 'peak RSS MB:', '× node floor RSS:'],
  cases.map((c) => {
    const rs = results.get(c);
    const ms = median(rs.map((r) => r.ms));
    const mb = median(rs.map((r) => r.mb));
    // A `|` inside a cell would end it in the Markdown table.
    return [c.name.replace(/\|/g, '\\|'), rs[0].status, ms.toFixed(0), `${(ms / floorMs).toFixed(2)}×`, mb.toFixed(1), `${(mb / floorMb).toFixed(2)}×`];
  }),
);
const imp = results.get(cases[1]);
const ms = median(imp.map((r) => r.ms));
const mb = Math.max(...imp.map((r) => r.mb));
console.log(`\nimport - of 1 GB of zeros: ${ms.toFixed(0)} ms (target ≤ 1000: ${ms <= 1000 ? 'met' : 'NOT met'}), peak RSS ${mb.toFixed(1)} MB (target ≤ 100: ${mb <= 100 ? 'met' : 'NOT met'})`);
record({ figure: '`head -c 1G /dev/zero | wiregram import -`: wall time', value: ms, unit: 'ms', yardstick: 'node -e 0', yardstickValue: floorMs, target: 1000, targetOn: 'value', note: `median of ${RUNS}, load ${loadavg()[0].toFixed(1)}` });
record({ figure: '`head -c 1G /dev/zero | wiregram import -`: peak RSS', value: mb, unit: 'MB', yardstick: 'node -e 0', yardstickValue: floorMb, target: 100, targetOn: 'value' });
