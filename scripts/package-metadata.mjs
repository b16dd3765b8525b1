#!/usr/bin/env node
// Fills in what npm needs to publish every package under packages/ (idempotent; test/packages.test.ts checks
// the result on the packed tarballs): repository with its folder, homepage, bugs, keywords, engines, author,
// `files` with the sources (so source maps resolve) and without build leftovers, public access for scoped
// names, and a copy of the root LICENSE. Run after adding a package: `node scripts/package-metadata.mjs`.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = 'https://github.com/wiregram/wiregram';
const FIRST = ['name', 'version', 'description', 'keywords', 'homepage', 'bugs', 'repository', 'license', 'author'];

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (pkg.private) continue;
  const words = pkg.name.replace(/^@wiregram\//, '').split(/[-/]/).filter((w) => w !== 'wiregram');
  const meta = {
    keywords: pkg.keywords?.length >= 3 ? pkg.keywords : [...new Set(['wiregram', 'tcp', 'diagram', ...words])],
    homepage: `${REPO}/tree/main/packages/${dir}#readme`,
    bugs: { url: `${REPO}/issues` },
    repository: { type: 'git', url: `git+${REPO}.git`, directory: `packages/${dir}` },
    license: 'MIT',
    author: 'the wiregram authors',
  };
  const files = [...new Set([...(pkg.files ?? ['dist']).filter((f) => !f.startsWith('!')), 'dist', 'src', 'README.md', 'LICENSE'])];
  const out = {};
  for (const key of FIRST) if (key in meta || key in pkg) out[key] = meta[key] ?? pkg[key];
  for (const [key, value] of Object.entries(pkg)) if (!(key in out)) out[key] = value;
  out.files = [...files, '!dist/.tsbuildinfo', '!dist/**/*.tsbuildinfo'];
  out.engines = { node: '>=20', ...pkg.engines };
  if (pkg.name.startsWith('@')) out.publishConfig = { access: 'public', ...pkg.publishConfig };
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  copyFileSync(join(root, 'LICENSE'), join(root, 'packages', dir, 'LICENSE'));
}
