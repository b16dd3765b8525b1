// Preloaded (`node -r bench/cpu-report.cjs …`) into each process bench/cli.mjs times: at exit, appends the
// process's CPU time (user + system since it started, µs: Node's start-up included) to the file named by
// WG_CPU_REPORT. On a shared machine CPU time is what the work costs; wall time also counts waiting for a core.
'use strict';
const file = process.env.WG_CPU_REPORT;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    require('node:fs').appendFileSync(file, `${user + system}\n`);
  });
}
