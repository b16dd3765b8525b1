/**
 * Errors about files rather than diagrams: each names the file the user gave or would see (never one of our
 * temporary files), says what to do, and carries one exit code per kind of problem:
 * 2 — the path cannot work as given (a file where a directory must be, a directory where the file goes);
 * 3 — the system refused (no space, read-only file system, permission denied, an I/O error);
 * 1 — the input's content cannot be used (binary, too large).
 */

export const EXIT_PATH = 2;
export const EXIT_SYSTEM = 3;
export const EXIT_INPUT = 1;

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly hint: string | null;
  readonly exitCode: number;
  /** Stable identifier, for tests and scripts. */
  readonly code: string;
  constructor(message: string, hint: string | null, exitCode: number, code: string) {
    super(message);
    this.hint = hint;
    this.exitCode = exitCode;
    this.code = code;
  }
}

interface Errno {
  code?: string;
  message?: string;
}

/** `EIO: i/o error, open '/x/.y.tmp'` → `i/o error`: Node's words without the (possibly temporary) path. */
function systemWords(e: Errno): string {
  const m = /^[A-Z]+: ([^,]+)/.exec(e.message ?? '');
  return m ? m[1]! : (e.code ?? String(e.message ?? e));
}

/**
 * A failed write of `dest` (as shown to the user). `blocker` is the path component in the way for
 * ENOTDIR/EEXIST (a file where a directory is needed), when known.
 */
export function writeError(e: unknown, dest: string, where: string, blocker: string | null = null): CliError {
  const err = (e ?? {}) as Errno;
  const tail = 'nothing was written';
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new CliError(`cannot write ${dest}: no space left on the device`, `free some space on the disk that holds ${where}, or write elsewhere (-o DIR); ${tail}`, EXIT_SYSTEM, 'no-space');
    case 'EROFS':
      return new CliError(`cannot write ${dest}: the file system is read-only`, `write to a writable directory (-o DIR); ${tail}`, EXIT_SYSTEM, 'read-only');
    case 'EACCES':
    case 'EPERM':
      return new CliError(`cannot write ${dest}: permission denied`, `check the permissions of ${where}, or write elsewhere (-o DIR); ${tail}`, EXIT_SYSTEM, 'permission-denied');
    case 'EISDIR':
      return new CliError(`cannot write ${dest}: a directory of that name is in the way`, `remove or rename the directory ${dest}, or write elsewhere (-o DIR); ${tail}`, EXIT_PATH, 'directory-in-the-way');
    case 'ENOTDIR':
    case 'EEXIST':
      return new CliError(
        `cannot write ${dest}: ${blocker ?? 'a part of its path'} is a file, not a directory`,
        `choose an output directory whose path has no file in it (-o DIR); ${tail}`,
        EXIT_PATH,
        'file-in-the-way',
      );
    case 'ENAMETOOLONG':
      return new CliError(`cannot write ${dest}: the name is too long for the file system`, `use a shorter output directory or file name; ${tail}`, EXIT_PATH, 'name-too-long');
    default:
      return new CliError(`cannot write ${dest}: ${systemWords(err)}`, `check the disk and the directory ${where}, then run again; ${tail}`, EXIT_SYSTEM, 'write-failed');
  }
}

/** A failed read of an input `file` (as shown to the user). */
export function readError(e: unknown, file: string): CliError {
  const err = (e ?? {}) as Errno;
  switch (err.code) {
    case 'ENOENT':
      return new CliError(`cannot read ${file}: no such file`, 'check the path', EXIT_PATH, 'no-such-file');
    case 'EISDIR':
      return new CliError(`cannot read ${file}: it is a directory`, 'give a file, or the directory itself as an input', EXIT_PATH, 'is-a-directory');
    case 'ENOTDIR':
      return new CliError(`cannot read ${file}: a part of its path is a file, not a directory`, 'check the path', EXIT_PATH, 'file-in-the-way');
    case 'EACCES':
    case 'EPERM':
      return new CliError(`cannot read ${file}: permission denied`, 'check the file\'s permissions', EXIT_SYSTEM, 'permission-denied');
    default:
      return new CliError(`cannot read ${file}: ${systemWords(err)}`, 'check the file and the disk, then run again', EXIT_SYSTEM, 'read-failed');
  }
}

/** A failed write to stdout (redirected to a full disk, a closed descriptor): the same kinds, said for stdout. */
export function stdoutError(e: unknown): CliError {
  const err = (e ?? {}) as Errno;
  const what = err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 'no space left on the device' : systemWords(err);
  return new CliError(`cannot write to stdout: ${what}`, 'check where stdout is redirected (or write a file with -o)', EXIT_SYSTEM, 'stdout-failed');
}
