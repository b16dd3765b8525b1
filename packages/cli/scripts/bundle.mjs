#!/usr/bin/env node
// The `wiregram` command as a bundle (run after `tsc -b`): dist/bundle/wiregram.cjs is one CommonJS file holding
// the dispatcher and everything the commands run (CLI, core, layout, svg, the PDF backend's own code), so a command
// starts with one file instead of resolving ~90 dist files. The bin loads it through compile-cache.cjs with a V8
// code cache per command, made here by running each command once (scripts/train-cache.mjs): no parsing or
// compiling of the code a command runs. CommonJS because Node 20 can hand a code cache only to a vm.Script.
// Modules only some commands reach (watch, import, the PDF backend) are wrapped by esbuild and initialised on
// first use, through the dynamic imports already in the code. Source maps chain back to src/*.ts.
//
// Third-party code stays out of the file: what only PDF and watch need is loaded when used — pdfkit (required on
// the first PDF document), fontkit and the font files (on the first font), chokidar (--watch) — and yaml, which
// the core calls synchronously for Mermaid front matter only, is reached through a small stand-in that loads it
// on the first call: 255 KB that `render` and `check` would otherwise parse on every start. yaml is a bundle of its
// own (dist/bundle/yaml.cjs, with a code cache the `check` training run makes): required from node_modules, Node
// 20 resolved and compiled its ~60 files on every first front matter (≈ 65–190 ms, measured under load).
import { build } from 'esbuild';
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
// The loader's CommonJS wrapper, written around each bundle here (see compile-cache.cjs: V8 then compiles the
// file's text as read, not a 0.5 MB concatenation of it).
const { WRAPPER_HEAD, WRAPPER_TAIL } = createRequire(import.meta.url)('./compile-cache.cjs');
const outdir = join(here, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
// @resvg/resvg-js is a native binary (one platform package per OS), required on the first PNG; @wiregram/png also
// reads harfbuzzjs's hb-subset WebAssembly file, resolved from here: both are dependencies of this package.
const LAZY_EXTERNAL = new Set(['@embedpdf/fonts-sc', '@resvg/resvg-js', 'chokidar']);
// The names the core imports from yaml (core/src/header/parse.ts), each loading yaml.cjs on first use.
const YAML_SHIM = `const { loadCached } = require('./compile-cache.cjs');
let yaml;
const load = () => (yaml ??= loadCached(require('node:path').join(__dirname, 'yaml.cjs'), 'yaml'));
export function parseDocument(...args) { return load().parseDocument(...args); }
export function LineCounter(...args) { return new (load().LineCounter)(...args); }`;
const packageName = (path) => (path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]);
const PDF_DEPS_LOADER = `const { loadCached } = require('./compile-cache.cjs');
let deps;
const load = () => (deps ??= loadCached(require('node:path').join(__dirname, 'pdfkit.cjs'), 'pdf'));
export const loadPdfkit = () => load().PDFDocument;
export const loadFontkit = () => load().fontkit;`;

/**
 * dist/bundle/pdfkit.cjs: pdfkit and fontkit with their dependencies in one CommonJS file, required by the PDF
 * code on its first document (one file instead of ~60 to resolve and compile). Two stand-ins keep what wiregram
 * never uses unloaded, as far as pdfkit allows: its AES code (@noble/ciphers, for encrypted PDFs; it computes
 * tables when loaded) is evaluated on the first call, and every Unicode trie (fontkit's shaping data, linebreak's
 * classes — inflated when their modules load) is inflated on its first look-up; wiregram neither shapes nor wraps.
 * fontkit's WOFF2 decoder (brotli, with a 2 MB dictionary) is left out: wiregram refuses WOFF2 fonts itself.
 */
const CFF_INDEX_AT = `        let ret = [];
        let startPos = stream.pos + (count + 1) * offSize - 1;
        let start = offsetType.decode(stream);`;
const CFF_INDEX_FAST = `        if (this.type == null) {
            const buf = stream.buffer;
            const read = offSize === 1 ? (q)=>buf[q] : offSize === 2 ? (q)=>buf[q] << 8 | buf[q + 1] : offSize === 3 ? (q)=>buf[q] << 16 | buf[q + 1] << 8 | buf[q + 2] : (q)=>(buf[q] << 24 >>> 0) + (buf[q + 1] << 16 | buf[q + 2] << 8 | buf[q + 3]);
            let p = stream.pos;
            const startPos = p + (count + 1) * offSize - 1;
            const offsets = new Float64Array(count + 1);
            for(let i = 0; i <= count; i++, p += offSize)offsets[i] = read(p);
            stream.pos = startPos + offsets[count];
            // Each { offset, length } is made when first read: a PDF reads a few hundred of the 65,535.
            const item = (i)=>({
                    offset: startPos + offsets[i],
                    length: offsets[i + 1] - offsets[i]
                });
            const index = (key)=>{
                if (typeof key !== 'string' || key.length === 0 || key.length > 10 || key.charCodeAt(0) < 48 || key.charCodeAt(0) > 57) return -1;
                const i = Number(key);
                return Number.isInteger(i) && i < count && String(i) === key ? i : -1;
            };
            return new Proxy(new Array(count), {
                get (target, key, receiver) {
                    const i = index(key);
                    return i < 0 ? Reflect.get(target, key, receiver) : target[i] ??= item(i);
                },
                has (target, key) {
                    return index(key) >= 0 || Reflect.has(target, key);
                },
                getOwnPropertyDescriptor (target, key) {
                    const i = index(key);
                    if (i >= 0) target[i] ??= item(i);
                    return Reflect.getOwnPropertyDescriptor(target, key);
                }
            });
        }
`;

// fontkit's CFF charset of ranges (format 1 or 2: { first, nLeft } of uint16 and uint8 or uint16), read
// through restructure one Struct at a time — thousands in a CJK font, and read whenever a subset is embedded
// (its top dict is copied, charset getter included). Straight from the bytes, plain objects of the same fields.
const RANGE_ARRAY_AT = `        let count = 0;
        let res = [];
        while(count < length){
            let range = this.type.decode(stream, parent);`;
const RANGE_ARRAY_FAST = `        const fields = this.type.fields;
        const nLeftFn = fields && fields.first && fields.first.fn === 'UInt16BE' && Object.keys(fields).length === 2 && fields.nLeft ? fields.nLeft.fn : null;
        if (nLeftFn === 'UInt8' || nLeftFn === 'UInt16BE') {
            const buf = stream.buffer;
            const wide = nLeftFn === 'UInt16BE';
            let p = stream.pos;
            let count = 0;
            const res = [];
            while(count < length){
                const first = buf[p] << 8 | buf[p + 1];
                const nLeft = wide ? buf[p + 2] << 8 | buf[p + 3] : buf[p + 2];
                p += wide ? 4 : 3;
                res.push({ first, nLeft, offset: count });
                count += nLeft + 1;
            }
            stream.pos = p;
            return res;
        }
`;


/** What both bundles are: one CommonJS file for Node 20 with a linked source map. No comments or indentation (a
 * third of the bytes to read at every start); names are kept, and the source map leads back to src/*.ts. ASCII
 * only, so the loader makes a one-byte string without decoding UTF-8. Already inside the CommonJS function
 * wrapper, which only compile-cache.cjs's loadCached runs (nothing `require`s a bundle). */
const NODE_CJS = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minifyWhitespace: true,
  charset: 'ascii',
  logLevel: 'warning',
  metafile: true,
  banner: { js: WRAPPER_HEAD },
  footer: { js: WRAPPER_TAIL },
};

async function bundlePdfkit() {
  const pdfRoot = join(here, '..', 'pdf');
  const lazy = {
    // The real module is required by absolute path from the stand-in, so each importer keeps its own version.
    'unicode-trie': (real) => `const load = () => require(${JSON.stringify(real)});
module.exports = class LazyUnicodeTrie {
  constructor(data) { this.data = data; this.trie = null; }
  get(codePoint) { return (this.trie ??= new (load())(this.data)).get(codePoint); }
};`,
    // WOFF2 only, which loadFontFile refuses before fontkit sees the bytes: its 2 MB dictionary stays out.
    'brotli/decompress.js': () => `module.exports = () => { throw new Error('WOFF2 fonts are not supported'); };`,
    '@noble/ciphers/aes': (real) => `const load = () => require(${JSON.stringify(real)});
exports.cbc = (...args) => load().cbc(...args);
exports.ecb = (...args) => load().ecb(...args);`,
  };
  return build({
    stdin: { contents: "module.exports = { PDFDocument: require('pdfkit'), fontkit: require('fontkit') };", resolveDir: pdfRoot, sourcefile: 'pdfkit-entry.cjs' },
    ...NODE_CJS,
    outfile: join(outdir, 'pdfkit.cjs'),
    legalComments: 'linked',
    plugins: [
      {
        name: 'lazy-stand-ins',
        setup(b) {
          // fontkit reads a CFF INDEX of plain ranges (a CJK font's 65,535 charstrings and 22,293 subroutines)
          // one offset at a time through restructure; read straight from the bytes into one array of offsets,
          // each range's object made when it is first read (an array that looks the same to fontkit). The pattern is fontkit 2.0.4's own code: if it changes, the build says so.
          b.onLoad({ filter: /[\\/]fontkit[\\/]dist[\\/]main\.cjs$/ }, async (args) => {
            const code = await readFile(args.path, 'utf8');
            if (!code.includes(CFF_INDEX_AT)) throw new Error(`bundle.mjs: fontkit's CFFIndex.decode changed (${args.path}); update CFF_INDEX_AT or drop the fast path`);
            if (code.split(RANGE_ARRAY_AT).length !== 2) throw new Error(`bundle.mjs: fontkit's RangeArray.decode changed (${args.path}); update RANGE_ARRAY_AT or drop the fast path`);
            return { contents: code.replace(CFF_INDEX_AT, CFF_INDEX_FAST + CFF_INDEX_AT).replace(RANGE_ARRAY_AT, RANGE_ARRAY_FAST + RANGE_ARRAY_AT), loader: 'js' };
          });
          b.onResolve({ filter: /^(unicode-trie|@noble\/ciphers\/aes|brotli\/decompress\.js)$/ }, async (args) => {
            if (args.pluginData?.real) return undefined; // the look-up below
            const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } });
            if (real.errors.length) return { errors: real.errors };
            return { path: real.path, namespace: 'lazy', pluginData: { name: args.path } };
          });
          b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: lazy[args.pluginData.name](args.path), loader: 'js', resolveDir: dirname(args.path) }));
        },
      },
    ],
  });
}

/** The CLI bundle `name`.cjs from dist/main.js; `plugins` go before the shared ones. */
const cliBundle = (name, plugins = []) =>
  build({
    entryPoints: { [name]: join(here, 'dist', 'main.js') },
    outdir,
    ...NODE_CJS,
    outExtension: { '.js': '.cjs' },
    legalComments: 'none',
    // The ES modules' import.meta.url, as the bundle's own URL (what a CommonJS file has is __filename). Strict
    // mode, as the ES modules it is made of ran in.
    define: { 'import.meta.url': '__wgImportMetaUrl' },
    banner: { js: `${WRAPPER_HEAD}'use strict';\nconst __wgImportMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
    plugins: [
      ...plugins,
      {
        name: 'lazy-externals',
        setup(b) {
          // @wiregram/pdf's only way to pdfkit and fontkit (packages/pdf/src/deps.ts): here, the one-file copy below.
          b.onLoad({ filter: /[\\/]packages[\\/]pdf[\\/]dist[\\/]deps\.js$/ }, () => ({ contents: PDF_DEPS_LOADER, loader: 'js', resolveDir: outdir }));
          b.onResolve({ filter: /^\.\/compile-cache\.cjs$/ }, () => ({ path: './compile-cache.cjs', external: true }));
          b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'lazy' }));
          // watch.ts's import('chokidar') as a require when --watch runs (its CommonJS build): no ES module
          // loader for a script the code cache runs.
          b.onResolve({ filter: /^chokidar$/ }, (args) => (args.namespace === 'lazy' ? { path: 'chokidar', external: true } : { path: 'chokidar', namespace: 'lazy' }));
          b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({ contents: args.path === 'yaml' ? YAML_SHIM : "module.exports = require('chokidar');", loader: 'js', resolveDir: here }));
          b.onResolve({ filter: /^[^./]/ }, (args) => (LAZY_EXTERNAL.has(packageName(args.path)) ? { path: args.path, external: true } : undefined));
        },
      },
    ],
  });

// `wiregram check` runs from its own bundle (wiregram-check.cjs): the same entry without the other commands'
// modules (render, deck, import, pandoc, and so the SVG, PDF and PNG packages), a quarter less to read and a
// smaller code cache to deserialise at every start (≈ 2 ms, measured). bin/wiregram.cjs loads it for `check` only
// (compile-cache.cjs's commandBundle), so the stand-ins below are never called.
const OTHER_COMMANDS = `const notHere = () => { throw new Error('wiregram-check.cjs runs only wiregram check (bin/wiregram.cjs loads wiregram.cjs for the others)'); };
export const runRender = notHere, runDeck = notHere, runImport = notHere, runPandoc = notHere;`;
const checkOnly = {
  name: 'check-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/(render|deck|import|pandoc)\.js$/ }, (args) => (/[\\/]cli[\\/]dist[\\/]main\.js$/.test(args.importer) ? { path: args.path, namespace: 'other-command' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'other-command' }, () => ({ contents: OTHER_COMMANDS, loader: 'js' }));
  },
};
const result = await cliBundle('wiregram');
const checkResult = await cliBundle('wiregram-check', [checkOnly]);
const pdfkitResult = await bundlePdfkit();
// dist/bundle/yaml.cjs: the yaml package in one file (see the top), the core's own dependency.
const yamlResult = await build({
  stdin: { contents: "module.exports = require('yaml');", resolveDir: join(here, '..', 'core'), sourcefile: 'yaml-entry.cjs' },
  ...NODE_CJS,
  outfile: join(outdir, 'yaml.cjs'),
  legalComments: 'linked',
});
// A dependency the bundle imports must be one the package declares, or an npm install would not find it.
const declared = new Set(Object.keys(pkg.dependencies ?? {}));
const missing = new Set();
for (const out of [result, checkResult, pdfkitResult, yamlResult].flatMap((r) => Object.values(r.metafile.outputs))) {
  for (const imp of out.imports) {
    if (!imp.external || imp.path === './compile-cache.cjs' || imp.path.startsWith('node:') || builtinModules.includes(imp.path)) continue;
    if (!declared.has(packageName(imp.path))) missing.add(packageName(imp.path));
  }
}
if (missing.size) {
  console.error(`packages/cli/scripts/bundle.mjs: the bundle imports ${[...missing].join(', ')}, which packages/cli/package.json does not list in dependencies`);
  process.exit(1);
}
// compile-cache.cjs reads a bundle that starts with its wrapper as one-byte text without looking at the bytes.
for (const file of ['wiregram.cjs', 'wiregram-check.cjs', 'pdfkit.cjs', 'yaml.cjs']) {
  if (!isAscii(readFileSync(join(outdir, file)))) {
    console.error(`packages/cli/scripts/bundle.mjs: dist/bundle/${file} is not ASCII (esbuild's charset: 'ascii' should make it so)`);
    process.exit(1);
  }
}
copyFileSync(join(here, 'scripts', 'compile-cache.cjs'), join(outdir, 'compile-cache.cjs'));
// One code cache per command, each from a fresh process running that command (scripts/train-cache.mjs).
for (const tag of ['main', 'render', 'check', 'deck']) {
  const r = spawnSync(process.execPath, [join(here, 'scripts', 'train-cache.mjs'), tag], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`packages/cli/scripts/bundle.mjs: the code-cache run of '${tag}' failed:\n${r.stderr || r.stdout}`);
    process.exit(1);
  }
}
if (process.env.WG_META) {
  const sizes = new Map();
  for (const [path, info] of Object.entries(result.metafile.outputs['packages/cli/dist/bundle/wiregram.cjs']?.inputs ?? Object.values(result.metafile.outputs)[0].inputs)) {
    const key = process.env.WG_META === 'files' ? path : path.replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, '$1').replace(/^packages\/([^/]+)\/.*/, 'wg:$1').replace(/^\.\.\/([^/]+)\/.*/, 'wg:$1');
    sizes.set(key, (sizes.get(key) ?? 0) + info.bytesInOutput);
  }
  console.log([...sizes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${(v / 1024).toFixed(0).padStart(6)} KB ${k}`).join('\n'));
}
