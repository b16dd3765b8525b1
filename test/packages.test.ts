/**
 * Every package under packages/ is publishable as is — checked on the tarball `pnpm pack` writes, which is
 * what npm users download: complete metadata pointing at the repository, the LICENSE and README inside, no
 * build leftovers, source maps whose sources are in the tarball, README links that work on npmjs.com, exactly
 * the dependencies the shipped JavaScript loads, and `npm publish --dry-run` accepting it without a warning.
 * Packages added later (host integrations) are checked by the same rules without listing them here;
 * `node scripts/package-metadata.mjs` fills in the metadata and LICENSE for a new one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownLinks, REPOSITORY, runtimeImports, typeImports, unpack, type PackedPackage } from './support/packages.js';
import { packedTarballs, ROOT, workspacePackages } from './support/tarballs.js';

const packages = workspacePackages();
const packed = new Map<string, PackedPackage>();

beforeAll(() => {
  const tarballs = packedTarballs();
  for (const { name } of packages) packed.set(name, unpack(name, tarballs[name]!));
}, 300_000);
afterAll(() => {
  for (const p of packed.values()) rmSync(dirname(p.dir), { recursive: true, force: true });
});

const LICENSE = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

it('the repository has an MIT LICENSE naming the year and the project', () => {
  expect(LICENSE).toMatch(/^MIT License/);
  expect(LICENSE).toMatch(/Copyright \(c\) 2026 the wiregram authors/);
});

it('every package under packages/ is published (none left private by accident)', () => {
  expect(packages.length).toBeGreaterThanOrEqual(7);
  expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['@wiregram/core', '@wiregram/svg', 'remark-wiregram', '@wiregram/cli']));
});

/** Files of a package matching a test, relative to its root. */
const filesOf = (p: PackedPackage, re: RegExp) => p.files.filter((f) => re.test(f));

describe.each(packages.map((p) => [p.name, p]))('%s', (name, { dir }) => {
  const pkg = () => packed.get(name)!;

  it('has complete metadata pointing at the repository', () => {
    const m = pkg().manifest;
    const folder = relative(ROOT, dir);
    expect(m.description?.length).toBeGreaterThan(20);
    expect(m.license).toBe('MIT');
    expect(m.keywords).toEqual(expect.arrayContaining(['wiregram']));
    expect(m.keywords!.length).toBeGreaterThanOrEqual(3);
    expect(m.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: folder });
    expect(m.homepage).toBe(`${REPOSITORY}/tree/main/${folder}#readme`);
    expect(m.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    // Node 20 for everything; a host integration may ask more (Astro 6 needs ≥ 22.12).
    expect(m.engines?.node).toMatch(/^>=\s*(2\d|[3-9]\d)(\.\d+){0,2}$/);
    if (name.startsWith('@')) expect((m as { publishConfig?: { access?: string } }).publishConfig?.access).toBe('public');
    // pnpm pack rewrites workspace:* to real versions; anything left would not install from npm.
    expect(JSON.stringify(m)).not.toMatch(/workspace:|link:|file:/);
  });

  it('ships its LICENSE and README, and no build leftovers', () => {
    const p = pkg();
    expect(p.files).toContain('LICENSE');
    expect(readFileSync(join(p.dir, 'LICENSE'), 'utf8')).toBe(LICENSE);
    expect(p.files).toContain('README.md');
    expect(filesOf(p, /tsbuildinfo$|(^|\/)test\/|\.test\.[jt]s$|(^|\/)node_modules\//)).toEqual([]);
  });

  it('ships every file its exports, main, types and bin point to', () => {
    const m = pkg().manifest as unknown as Record<string, unknown>;
    const targets: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(m.exports);
    collect(m.main);
    collect(m.types);
    collect(m.bin);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(pkg().files, `${t} is not in the tarball`).toContain(normalize(t));
  });

  it('has source maps whose sources are in the tarball', () => {
    const p = pkg();
    const maps = filesOf(p, /\.map$/);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(p.dir, file), 'utf8')) as { sources: string[]; sourceRoot?: string; sourcesContent?: Array<string | null> };
      expect(map.sources.length, file).toBeGreaterThan(0);
      for (const [i, source] of map.sources.entries()) {
        // A bundle's map carries the sources of other packages itself (sourcesContent): nothing to find on disk.
        if (typeof map.sourcesContent?.[i] === 'string') continue;
        const target = normalize(join(dirname(file), map.sourceRoot ?? '', source));
        expect(p.files, `${file} points to ${source}`).toContain(target);
      }
    }
  });

  it('has README links that work on npmjs.com (absolute, into the repository where they lead there)', () => {
    const readme = readFileSync(join(pkg().dir, 'README.md'), 'utf8');
    for (const link of markdownLinks(readme)) {
      if (link.startsWith('#')) continue;
      expect(link, 'relative links are dead on npmjs.com').toMatch(/^(https:\/\/|mailto:)/);
      const inRepo = link.match(new RegExp(`^${REPOSITORY.replace(/[./]/g, '\\$&')}/(?:blob|tree)/main/([^#?]*)`));
      if (link.startsWith(REPOSITORY + '/') && !link.startsWith(`${REPOSITORY}/issues`)) expect(inRepo, `${link}: link to /blob/main/ or /tree/main/`).not.toBeNull();
      if (inRepo) expect(existsSync(join(ROOT, decodeURIComponent(inRepo[1]!))), `${link} points to a missing file`).toBe(true);
    }
  });

  it('declares exactly what its shipped JavaScript loads', () => {
    const p = pkg();
    const m = p.manifest;
    const runtime = new Set<string>();
    for (const f of filesOf(p, /^(?!src\/).*\.(m|c)?js$/)) for (const s of runtimeImports(readFileSync(join(p.dir, f), 'utf8'))) runtime.add(s);
    const types = new Set<string>();
    for (const f of filesOf(p, /^dist\/.*\.d\.ts$/)) for (const s of typeImports(readFileSync(join(p.dir, f), 'utf8'))) types.add(s);
    runtime.delete(m.name);
    const deps = Object.keys(m.dependencies ?? {});
    const peers = Object.keys(m.peerDependencies ?? {});
    const declared = new Set([...deps, ...peers, ...Object.keys(m.optionalDependencies ?? {})]);
    expect([...runtime].filter((s) => !declared.has(s)), 'imported but not declared').toEqual([]);
    // A runtime dependency must be loaded by shipped code; `@types/x` only when the shipped declarations use `x`.
    const unused = deps.filter((d) => {
      const typesOf = d.match(/^@types\/(.+)$/);
      if (typesOf) return !types.has(typesOf[1]!.includes('__') ? '@' + typesOf[1]!.replace('__', '/') : typesOf[1]!);
      return !runtime.has(d);
    });
    expect(unused, 'declared dependencies no shipped file loads').toEqual([]);
    // Peer dependencies are not checked for use: a host integration names the host it works with (Docusaurus,
    // Astro, …) as a peer without importing it. None may also be a runtime dependency, though (two copies).
    expect(peers.filter((d) => deps.includes(d)), 'both a dependency and a peer').toEqual([]);
  });

  it('passes npm publish --dry-run without warnings', () => {
    const p = pkg();
    // Outside the workspace, so no workspace .npmrc or lockfile is involved; nothing is sent with --dry-run.
    const cwd = mkdtempSync(join(tmpdir(), 'wg-publish-'));
    const run = spawnSync('npm', ['publish', '--dry-run', '--json', p.tarball], {
      cwd,
      encoding: 'utf8',
      // Without the npm_config_* variables `pnpm test` exports (pnpm's own settings, unknown to npm, warn).
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k))), npm_config_update_notifier: 'false', npm_config_loglevel: 'warn' },
    });
    rmSync(cwd, { recursive: true, force: true });
    expect(run.status, run.stderr).toBe(0);
    // The one expected note: a dry run without an npm login says a real publish would need one.
    const complaints = run.stderr.split('\n').filter((l) => /npm (warn|error|ERR)/i.test(l) && !/requires you to be logged in/.test(l));
    expect(complaints, 'npm publish complained').toEqual([]);
    type Report = { id: string; files: Array<{ path: string }> };
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as Report | Record<string, Report>;
    const info = (typeof report.id === 'string' ? report : Object.values(report)[0]) as Report;
    expect(info.id).toBe(`${name}@${p.manifest.version}`);
    expect(info.files.map((f) => f.path).sort()).toEqual(p.files);
  });
});

it('the release flow is one command: changesets config and a release script', () => {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(root.scripts.release).toBeTruthy();
  const config = JSON.parse(readFileSync(join(ROOT, '.changeset', 'config.json'), 'utf8')) as { access: string; baseBranch: string; fixed: string[][] };
  expect(config.access).toBe('public');
  expect(config.baseBranch).toBe('main');
  const fixed = config.fixed.flat();
  for (const { name } of packages) expect(fixed.some((g) => g === name || (g.endsWith('*') && name.startsWith(g.slice(0, -1)))), `${name} not in the fixed group`).toBe(true);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'release.mjs'), '--help'], { cwd: ROOT });
});
