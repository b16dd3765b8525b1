// Copied to dist/bundle/compile-cache.cjs by scripts/bundle.mjs. Loads the CLI's CommonJS bundles
// (wiregram.cjs, pdfkit.cjs) with a V8 code cache made at build time, so a command starts without parsing and
// compiling ~1.6 MB of JavaScript: the cache holds the bytecode of every function a typical run of that command
// compiled (scripts/train-cache.mjs). Node 20 has no module compile cache (module.enableCompileCache is Node ≥
// 22.1), and a cache written here at run time would land in a shared or read-only place; one made at build time
// sits beside the code it belongs to, as trusted as that code. V8 checks each cache against its own version,
// flags and the source, and compiles normally when it does not match (another Node, --cpu-prof, an edited
// bundle): the cache only ever saves time.
'use strict';
const { isAscii } = require('node:buffer');
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

// Node's CommonJS Module class (wrap, createRequire) as this file's own module has it: `require('node:module')`
// would also load Node's ES module loader (≈ 0.6 ms) for nothing.
const Module = module.constructor;

/**
 * bundle.mjs writes each bundle already inside the CommonJS function wrapper, from this head to `})`: V8 then
 * compiles the file's text as read. `Module.wrap(text)` would make a concatenated string of 0.5–0.7 MB that V8
 * reads ≈ 5 ms slower (measured on Node 20, with or without a code cache). A file without it is wrapped here.
 */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';
const WRAPPER_BYTES = Buffer.from(WRAPPER_HEAD, 'latin1');

/** The scripts this process loaded: file → { script, tag } (for writeCaches). */
const loaded = new Map();

/** One cache per bundle and command (`tag`): each command's run compiles other functions. */
const cacheFile = (file, tag) => `${file}.${tag}.v8cache`;

/** A CommonJS file's text as the function V8 compiles: the file as read when bundle.mjs wrapped it already. */
function scriptSource(file) {
  const bytes = readFileSync(file);
  // What bundle.mjs wrote is ASCII (esbuild's charset: 'ascii', checked there): one-byte text as read, neither
  // decoded as UTF-8 nor scanned for other bytes (≈ 1 ms for 0.5 MB at every start). Anything else is decoded.
  if (bytes.length >= WRAPPER_BYTES.length && WRAPPER_BYTES.equals(bytes.subarray(0, WRAPPER_BYTES.length))) return bytes.latin1Slice(0, bytes.length);
  const text = isAscii?.(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8');
  return text.startsWith(WRAPPER_HEAD) ? text : Module.wrap(text);
}

/**
 * Runs a CommonJS file as Node's loader would (the module wrapper; its own `require`), with the code cache
 * `tag` if it fits; returns its exports. Each file is loaded once per process.
 */
function loadCached(file, tag) {
  const seen = loaded.get(file);
  if (seen) return seen.module.exports;
  const source = scriptSource(file);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile(file, tag));
  } catch {
    cachedData = undefined; // not built, or another command's run: compile as usual
  }
  const options = { filename: file, cachedData };
  // A bundle's import() of an ES module (none today) goes through Node's own loader (Node ≥ 20.12).
  if (vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER) options.importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(source, options);
  const module = { exports: {}, filename: file, id: file, loaded: false };
  loaded.set(file, { script, tag, module });
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/**
 * The bundle and code cache a command runs with (bin/wiregram.cjs; the build trains each cache the same way):
 * `check` from its own bundle (wiregram-check.cjs, without the other commands' code), render and deck from
 * wiregram.cjs with their own caches, anything else (--version, help, import, pandoc) with the 'main' cache.
 */
function commandBundle(bundleDir, command) {
  if (command === 'check') return { file: join(bundleDir, 'wiregram-check.cjs'), tag: 'check' };
  return { file: join(bundleDir, 'wiregram.cjs'), tag: command === 'render' || command === 'deck' ? command : 'main' };
}

/** For the build's training runs: writes each loaded file's cache under the tag it was loaded with. */
function writeCaches() {
  const written = [];
  for (const [file, { script, tag }] of loaded) {
    const path = cacheFile(file, tag);
    writeFileSync(path, script.createCachedData());
    written.push(path);
  }
  return written;
}

/** Per loaded file: `true` V8 used its cache, `false` rejected it, `null` there was none (tests ask). */
function cacheStatus() {
  return [...loaded].map(([file, { tag, script }]) => ({ file, tag, accepted: script.cachedDataRejected === undefined ? null : !script.cachedDataRejected }));
}

module.exports = { loadCached, commandBundle, writeCaches, cacheStatus, scriptSource, WRAPPER_HEAD, WRAPPER_TAIL };
