/**
 * Files a diagram may read (`capture ./handshake.pcap stream 0`): resolved relative to the Markdown file that
 * names them and refused outside the project root, symlinks included — a diagram from an untrusted pull
 * request must not be able to pull /etc/passwd or ~/.ssh into a published figure.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Position } from '@wiregram/core';
import type { CoreApi, ReadFile } from './engine.js';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function makeReadFile(core: CoreApi, root: string, fromFile: string | null, cwd: string): ReadFile {
  const rootReal = (() => {
    try {
      return realpathSync.native(resolve(cwd, root));
    } catch {
      return resolve(cwd, root);
    }
  })();
  const base = fromFile ? dirname(fromFile) : cwd;
  return (path: string, position: Position | null) => {
    const fail = (reason: string, hint: string) => {
      throw new core.WiregramError({ code: 'file-not-allowed', reason, position, hint });
    };
    const target = resolve(base, path);
    let real: string;
    try {
      real = realpathSync.native(target);
    } catch {
      if (!inside(rootReal, target)) fail(`'${path}' is outside the project root`, `keep captures inside ${rootReal} (or pass --root)`);
      throw new core.WiregramError({ code: 'file-not-found', reason: `cannot read '${path}': no such file`, position, hint: `paths are relative to ${base}` });
    }
    if (!inside(rootReal, real)) fail(`'${path}' is outside the project root`, `keep captures inside ${rootReal} (or pass --root)`);
    try {
      return new Uint8Array(readFileSync(real));
    } catch (e) {
      throw new core.WiregramError({ code: 'file-unreadable', reason: `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? 'error'}`, position, hint: null });
    }
  };
}
