#!/usr/bin/env node
// One-command release, run by a maintainer on a clean, up-to-date `main`:
//
//   npx -y pnpm@10 release             # version (from .changeset/*.md), test, commit, publish, tag, push
//   npx -y pnpm@10 release --dry-run   # the same up to `npm publish --dry-run` of every package; nothing leaves
//
// Steps: pending changesets become versions and CHANGELOGs (`changeset version`, all packages at one version),
// the lockfile follows, the full test suite runs (it packs every package and dry-runs its publish), the version
// commit is made, `changeset publish` publishes every package whose version is not on npm yet and tags it,
// and the commit and tags are pushed. Any failing step stops the release before anything is published.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: pnpm release [--dry-run]\n  version from .changeset/, test, commit, publish to npm, tag and push (--dry-run: stop before publishing)');
  process.exit(0);
}
const dryRun = args.includes('--dry-run');
const unknown = args.filter((a) => a !== '--dry-run');
if (unknown.length) fail(`unknown argument ${unknown[0]} (try --help)`);

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

function run(cmd, cmdArgs, { capture = false } = {}) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return (r.stdout ?? '').trim();
}

const pnpm = (...a) => run('npx', ['-y', 'pnpm@10', ...a]);
const changeset = (...a) => run(join(root, 'node_modules', '.bin', 'changeset'), a);

const branch = run('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { capture: true });
const dirty = run('git', ['status', '--porcelain'], { capture: true });
if (!dryRun && branch !== 'main') fail(`releases are made from main, this is ${branch}`);
if (!dryRun && dirty) fail('the work tree has uncommitted changes; commit or stash them first');

const pending = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
if (pending.length) {
  changeset('version');
  pnpm('install', '--lockfile-only');
} else console.log('no pending changesets: publishing the current versions (those already on npm are skipped)');

pnpm('test');

if (dryRun) {
  pnpm('-r', '--filter', './packages/*', 'publish', '--dry-run', '--no-git-checks');
  if (pending.length) console.log('\n--dry-run: versions were bumped in the work tree; `git checkout .` undoes it');
  process.exit(0);
}

if (run('git', ['status', '--porcelain'], { capture: true })) {
  const { version } = JSON.parse(run('node', ['-p', 'JSON.stringify(require("./packages/core/package.json"))'], { capture: true }));
  run('git', ['add', '-A']);
  run('git', ['commit', '-m', `release: v${version}`]);
}
changeset('publish');
run('git', ['push', '--follow-tags']);
