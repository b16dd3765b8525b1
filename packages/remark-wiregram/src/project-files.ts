/**
 * File access for `capture ./x.pcap` statements, loaded only when a block actually reads a file.
 *
 * The safe reader lives in `@wiregram/core/node` (node:fs, node:path; refuses paths outside the project). A
 * static import of it would make every bundle of this plugin pull `node:` modules, so a browser build (an
 * editor preview, a playground) could not use the plugin at all. Instead the module is loaded synchronously —
 * the plugin must stay usable from `processSync` — on the first read: `process.getBuiltinModule('node:module')`
 * gives `createRequire`, and `require()` of an ES module works in Node ≥ 20.19 / ≥ 22.12. Elsewhere, or when
 * that fails, the block gets a `WiregramError` that says to pass a `readFile` option.
 *
 * (Kept in step with packages/markdown-it-wiregram/src/project-files.ts: the plugins do not depend on each
 * other.)
 */
import { WiregramError, type Position } from '@wiregram/core';

type NodeHelpers = typeof import('@wiregram/core/node');
type ModuleApi = typeof import('node:module');
/** A block's file reader, as `compileSequence`/`parsePacketHeader` call it. */
export type BlockFileReader = (path: string, position: Position) => Uint8Array;

let helpers: NodeHelpers | null = null;

function unavailable(position: Position | null, why: string): WiregramError {
  return new WiregramError({
    code: 'capture-unavailable',
    reason: `cannot read files here: ${why}`,
    position,
    expected: 'Node.js ≥ 20.19 or ≥ 22.12, or a `readFile` option',
    hint: 'pass the plugin a synchronous readFile(path, position, fromFile) option that returns the bytes',
  });
}

/** `@wiregram/core/node`, loaded on first use. */
function nodeHelpers(position: Position | null): NodeHelpers {
  if (helpers) return helpers;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const moduleApi = proc?.getBuiltinModule?.('node:module') as ModuleApi | undefined;
  if (!moduleApi?.createRequire) throw unavailable(position, 'this runtime is not Node.js (or older than 20.16)');
  try {
    helpers = moduleApi.createRequire(import.meta.url)('@wiregram/core/node') as NodeHelpers;
  } catch (e) {
    throw unavailable(position, `@wiregram/core/node could not be loaded (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  return helpers;
}

/** Whether the Node-only helpers have been loaded in this process (for tests and diagnostics). */
export function nodeFileAccessLoaded(): boolean {
  return helpers !== null;
}

// Two copies of @wiregram/core (a bundler duplicating it, or dist next to sources in tests) have two
// WiregramError classes: re-create the error in ours, so the core keeps its code, position and hint.
function sameRealm(e: unknown): unknown {
  if (e instanceof WiregramError || !e || typeof e !== 'object') return e;
  const o = e as Partial<WiregramError>;
  if (typeof o.code !== 'string' || typeof o.reason !== 'string') return e;
  return new WiregramError({ code: o.code, reason: o.reason, position: o.position ?? null, expected: o.expected ?? null, hint: o.hint ?? null });
}

/**
 * The default reader: paths relative to the Markdown file `fromFile`, refused outside `root()` (evaluated on
 * first read, so a default such as `process.cwd()` is never touched by documents without captures).
 */
export function lazyProjectReader(root: () => string, fromFile: string): BlockFileReader {
  let reader: ((path: string, position?: Position | null) => Uint8Array) | null = null;
  return (path, position) => {
    try {
      reader ??= nodeHelpers(position ?? null).projectFileReader(root(), fromFile);
      return reader(path, position);
    } catch (e) {
      throw sameRealm(e);
    }
  };
}
