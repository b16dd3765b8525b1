/**
 * wiregram as npm users get it: every workspace package packed with `pnpm -r pack` (which turns `workspace:*`
 * into real versions), for tests that install it outside the monorepo — real host sites, the npm install of
 * the README's examples. Packed once per build: vitest runs test files in parallel workers, so a lock directory
 * keeps them from packing twice, and a fingerprint of every package's manifest and `dist/` lets later runs
 * reuse the tarballs until something is rebuilt.
 *
 *   const tgz = packedTarballs();            // { 'remark-wiregram': '/…/remark-wiregram-0.1.0.tgz', … }
 *   npmInstall(siteDir, [tgz['remark-wiregram']!]);
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-output', 'tarballs');
const LOCK = OUT + '.lock';
const STAMP = join(OUT, 'fingerprint.json');

/** Names of the packages under packages/ that are published (not `private`), with their folders. */
export function workspacePackages(): Array<{ name: string; dir: string; version: string }> {
  const base = join(ROOT, 'packages');
  const out: Array<{ name: string; dir: string; version: string }> = [];
  for (const entry of readdirSync(base).sort()) {
    const file = join(base, entry, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string; private?: boolean };
    if (!pkg.private) out.push({ name: pkg.name, dir: join(base, entry), version: pkg.version });
  }
  return out;
}

function walk(dir: string, into: string[]): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    into.push(dir);
    return;
  }
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, into);
    else into.push(p);
  }
}

/** Changes whenever a manifest, README, source or built file of any package changes (src/ is shipped too). */
function fingerprint(): string {
  const h = createHash('sha256');
  for (const { dir } of workspacePackages()) {
    const files: string[] = [];
    for (const name of readdirSync(dir)) if (!['node_modules', 'test'].includes(name)) walk(join(dir, name), files);
    for (const f of files.sort()) {
      const s = statSync(f);
      h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
    }
  }
  return h.digest('hex');
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn` while holding the pack lock (a directory: mkdir is atomic); a lock older than 5 min is stale. */
function locked<T>(fn: () => T): T {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited > 600_000) throw new Error(`timed out waiting for ${LOCK}`);
      sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Package name → absolute path of its tarball, packing first when the build changed since the last pack. */
export function packedTarballs(): Record<string, string> {
  return locked(() => {
    const print = fingerprint();
    const fresh = existsSync(STAMP) && JSON.parse(readFileSync(STAMP, 'utf8')).fingerprint === print;
    if (!fresh) {
      rmSync(OUT, { recursive: true, force: true });
      mkdirSync(OUT, { recursive: true });
      execFileSync('npx', ['-y', 'pnpm@10', '-r', '--filter', './packages/*', 'pack', '--pack-destination', OUT], { cwd: ROOT, stdio: 'pipe' });
    }
    const map: Record<string, string> = {};
    for (const { name, version } of workspacePackages()) {
      const file = join(OUT, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
      if (!existsSync(file)) throw new Error(`pnpm pack wrote no ${file}`);
      map[name] = file;
    }
    if (!fresh) writeFileSync(STAMP, JSON.stringify({ fingerprint: print }));
    return map;
  });
}

/**
 * `npm install` into `dir` (outside the workspace) with the given specs, quietly, failing with npm's own output.
 * `npm ci` is used first when the folder has a lockfile, so a host's versions stay those the lockfile pins.
 */
export function npmInstall(dir: string, specs: string[] = [], env: NodeJS.ProcessEnv = {}): void {
  const opts = { cwd: dir, stdio: 'pipe' as const, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...env }, maxBuffer: 64 * 1024 * 1024 };
  try {
    if (existsSync(join(dir, 'package-lock.json')) && !existsSync(join(dir, 'node_modules'))) {
      try {
        execFileSync('npm', ['ci', '--no-audit', '--no-fund'], opts);
      } catch (e) {
        // npm 11 leaves other platforms' optional binaries (@swc/html-darwin-arm64, …) out of a lockfile it
        // writes, and `npm ci` then calls the lockfile out of sync. `npm install` still takes the locked versions.
        if (!String((e as { stderr?: Buffer }).stderr ?? '').includes('EUSAGE')) throw e;
        execFileSync('npm', ['install', '--no-audit', '--no-fund'], opts);
      }
    }
    if (specs.length) execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', ...specs], opts);
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`npm install in ${dir} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}
