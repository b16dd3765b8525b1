/**
 * Outputs follow their inputs: each output directory keeps a small manifest, `.wiregram-outputs.json`, of the
 * files wiregram wrote there — which input and which block each came from, and a hash of what was written.
 * `render --clean` and `--watch` use it to remove outputs whose input was deleted or renamed, or whose block is
 * gone (a file cut from 3 diagrams to 1 loses `-2` and `-3`). Only files listed in a manifest, still holding
 * exactly the bytes wiregram wrote, are ever removed: a file wiregram did not write, or one edited since, stays.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { canonicalPath, type FileWrite, sha256 } from './fsutil.js';

export const MANIFEST_NAME = '.wiregram-outputs.json';

export type OutputKind = 'svg' | 'pdf' | 'png' | 'markdown';

export interface ManifestEntry {
  /** The input, relative to the manifest's directory, `/`-separated. */
  input: string;
  /** 1-based block of a Markdown input; null for a diagram file or a rewritten Markdown file. */
  block: number | null;
  kind: OutputKind;
  sha256: string;
}

type Entries = Map<string, ManifestEntry>;

const KINDS: readonly string[] = ['svg', 'pdf', 'png', 'markdown'];

/** A plain file name: a manifest never points outside its own directory. */
function plainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/\0]/.test(name) && name !== MANIFEST_NAME;
}

/** The manifest of `dir`; anything unreadable or malformed counts as empty (nothing will be removed). */
export function readManifest(dir: string): Entries {
  const out: Entries = new Map();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8'));
  } catch {
    return out;
  }
  const outputs = (data as { outputs?: unknown })?.outputs;
  if (!outputs || typeof outputs !== 'object') return out;
  for (const [name, e] of Object.entries(outputs as Record<string, unknown>)) {
    const v = e as Partial<ManifestEntry> | null;
    if (!plainName(name) || !v || typeof v.input !== 'string' || !KINDS.includes(v.kind as string) || typeof v.sha256 !== 'string') continue;
    out.set(name, { input: v.input, block: typeof v.block === 'number' ? v.block : null, kind: v.kind as OutputKind, sha256: v.sha256 });
  }
  return out;
}

function serialize(entries: Entries): string {
  const outputs: Record<string, ManifestEntry> = {};
  for (const name of [...entries.keys()].sort()) outputs[name] = entries.get(name)!;
  return JSON.stringify({ generator: 'wiregram', note: 'files wiregram wrote here; render --clean and --watch remove them when their input is gone', outputs }, null, 2) + '\n';
}

function sameEntries(a: Entries, b: Entries): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.input !== v.input || w.block !== v.block || w.kind !== v.kind || w.sha256 !== v.sha256) return false;
  }
  return true;
}

/** Every directory below `base` (itself included) that holds a manifest; dot-directories and node_modules skipped. */
export function manifestDirsUnder(base: string, limit = 10_000): string[] {
  const found: string[] = [];
  const stack = [resolve(base)];
  let seen = 0;
  while (stack.length && seen++ < limit) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && e.name === MANIFEST_NAME) found.push(dir);
      else if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') stack.push(join(dir, e.name));
    }
  }
  return found;
}

export interface ProducedOutput {
  path: string;
  data: string | Uint8Array;
  input: string;
  block: number | null;
  kind: OutputKind;
}

export interface CleanPlan {
  /** Manifests to write (in the same commit as the outputs). */
  writes: FileWrite[];
  /** Stale outputs to remove, and manifests left empty. */
  remove: string[];
  /** Stale outputs, for the summary: path and why. */
  stale: Array<{ path: string; input: string; why: 'input-gone' | 'block-gone' }>;
  /** Listed files that changed since wiregram wrote them: kept, and no longer listed. */
  kept: string[];
}

/**
 * The manifests after this run and, with `clean`, the outputs to remove. `dirs` are the directories to look at
 * (where this run writes, and where earlier runs wrote); `inputs` the run's inputs (absolute) with the output
 * kinds the run produces for each — an output of one of them that the run does not produce again is stale.
 */
export function planManifests(produced: readonly ProducedOutput[], inputs: ReadonlyMap<string, ReadonlySet<OutputKind>>, dirs: Iterable<string>, clean: boolean): CleanPlan {
  const plan: CleanPlan = { writes: [], remove: [], stale: [], kept: [] };
  const byDir = new Map<string, ProducedOutput[]>();
  for (const p of produced) {
    const d = dirname(p.path);
    byDir.set(d, [...(byDir.get(d) ?? []), p]);
  }
  const canonicalInputs = new Map<string, ReadonlySet<OutputKind>>();
  for (const [path, kinds] of inputs) canonicalInputs.set(canonicalPath(path), kinds);
  const allDirs = new Set([...byDir.keys(), ...[...dirs].map((d) => resolve(d))]);
  for (const dir of allDirs) {
    const before = readManifest(dir);
    const after: Entries = new Map();
    const mine = byDir.get(dir) ?? [];
    const writtenHere = new Set(mine.map((p) => basename(p.path)));
    for (const [name, e] of before) {
      if (writtenHere.has(name)) continue;
      const inputAbs = resolve(dir, e.input.split('/').join(sep));
      const gone = !existsSync(inputAbs);
      const redone = !gone && canonicalInputs.get(canonicalPath(inputAbs))?.has(e.kind) === true;
      if (!clean || (!gone && !redone)) {
        after.set(name, e);
        continue;
      }
      const file = join(dir, name);
      let bytes: Buffer | null = null;
      try {
        bytes = readFileSync(file);
      } catch {
        continue; // already gone: forget it
      }
      if (sha256(bytes) !== e.sha256) {
        plan.kept.push(file);
        continue;
      }
      plan.remove.push(file);
      plan.stale.push({ path: file, input: inputAbs, why: gone ? 'input-gone' : 'block-gone' });
    }
    for (const p of mine) {
      const rel = relative(dir, p.input);
      after.set(basename(p.path), { input: isAbsolute(rel) ? p.input : rel.split(sep).join('/'), block: p.block, kind: p.kind, sha256: sha256(p.data) });
    }
    if (sameEntries(before, after)) continue;
    const manifest = join(dir, MANIFEST_NAME);
    if (after.size) plan.writes.push({ path: manifest, data: serialize(after) });
    else if (before.size) plan.remove.push(manifest);
  }
  return plan;
}
