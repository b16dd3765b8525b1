/**
 * A small argument parser: GNU-style long and short options, `--name=value`, `-ovalue`, bundled short
 * booleans, `--` and `-` (stdin). No dependency, so `wiregram --help` costs nothing but Node's own start-up.
 * Every mistake becomes a UsageError (exit code 2) that says what was wrong and, when close, what was meant.
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Printed after the message, e.g. `did you mean --out-dir?` or `run wiregram render --help`. */
  readonly hint: string | null;
  /** The command whose help to point to. */
  readonly command: string | null;
  constructor(message: string, hint: string | null = null, command: string | null = null) {
    super(message);
    this.hint = hint;
    this.command = command;
  }
}

export interface OptionSpec {
  name: string;
  short?: string;
  type: 'boolean' | 'string';
  /** Allowed values for a string option; anything else is a usage error. */
  values?: readonly string[];
  /** A string option whose value must be a whole number greater than 0 (a budget); the example for the error. */
  positiveInteger?: number;
  /** Shown in help: `--out-dir DIR`. */
  valueName?: string;
  description: string;
  /** Shown in help as the default. */
  defaultText?: string;
  /** Hidden from help (aliases kept for compatibility). */
  hidden?: boolean;
  /** Name this option is an alias of. */
  aliasOf?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  description: string;
  options: OptionSpec[];
  /** Minimum number of positional arguments. */
  minPositionals: number;
  maxPositionals?: number;
  examples: string[];
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Edit distance with transpositions (optimal string alignment), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate, if it is close enough to be what the user meant. */
export function closest(input: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  const lower = input.toLowerCase();
  for (const c of candidates) {
    const cl = c.toLowerCase();
    // A prefix of a long name (`--mark` for `--markdown-out`) is a strong hint.
    const score = cl.startsWith(lower) && lower.length >= 3 ? 0.5 : editDistance(lower, cl);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(input.length / 3)));
  return best !== null && bestScore <= limit ? best : null;
}

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const o of spec.options) {
    byName.set(o.name, o);
    if (o.short) byShort.set(o.short, o);
  }
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const cmd = spec.name;

  const set = (o: OptionSpec, value: string | boolean, shown: string) => {
    const key = o.aliasOf ?? o.name;
    if (o.type === 'string' && typeof value === 'string' && o.values && !o.values.includes(value)) {
      const near = closest(value, o.values);
      throw new UsageError(
        `invalid value '${value}' for ${shown}: expected ${o.values.join(', ')}`,
        near ? `did you mean '${near}'?` : null,
        cmd,
      );
    }
    if (o.type === 'string' && typeof value === 'string' && o.positiveInteger !== undefined && !(/^[0-9]{1,15}$/.test(value) && Number(value) > 0)) {
      throw new UsageError(`invalid value '${value}' for ${shown}: expected a whole number greater than 0`, `e.g. ${shown} ${o.positiveInteger}`, cmd);
    }
    values[key] = value;
  };

  const unknown = (shown: string): never => {
    const longNames = spec.options.filter((o) => !o.hidden).map((o) => `--${o.name}`);
    const near = shown.startsWith('--') ? closest(shown, longNames) : null;
    throw new UsageError(`unknown option '${shown}' for 'wiregram ${cmd}'`, near ? `did you mean ${near}?` : null, cmd);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      for (let j = i + 1; j < argv.length; j++) positionals.push(argv[j]!);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      let name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      let o = byName.get(name);
      let negated = false;
      if (!o && name.startsWith('no-')) {
        const base = byName.get(name.slice(3));
        if (base && base.type === 'boolean') {
          o = base;
          negated = true;
          name = name.slice(3);
        }
      }
      if (!o) unknown(`--${name}`);
      const opt = o!;
      if (opt.type === 'boolean') {
        if (inline !== undefined) throw new UsageError(`option --${name} takes no value`, null, cmd);
        set(opt, !negated, `--${name}`);
      } else {
        let value = inline;
        if (value === undefined) {
          const next = argv[i + 1];
          if (next === undefined || (next.startsWith('-') && next !== '-')) {
            throw new UsageError(`option --${name} needs a value${opt.valueName ? ` (${opt.valueName})` : ''}`, null, cmd);
          }
          value = next;
          i++;
        }
        set(opt, value, `--${name}`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      // Bundled short options: `-wq`, or `-oout` / `-o out` for a string option.
      for (let k = 1; k < arg.length; k++) {
        const ch = arg[k]!;
        const o = byShort.get(ch);
        if (!o) unknown(`-${ch}`);
        const opt = o!;
        if (opt.type === 'boolean') {
          set(opt, true, `-${ch}`);
          continue;
        }
        let value = arg.slice(k + 1);
        if (value.startsWith('=')) value = value.slice(1);
        if (value === '') {
          const next = argv[i + 1];
          if (next === undefined || (next.startsWith('-') && next !== '-')) {
            throw new UsageError(`option -${ch} needs a value${opt.valueName ? ` (${opt.valueName})` : ''}`, null, cmd);
          }
          value = next;
          i++;
        }
        set(opt, value, `-${ch}`);
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  if (values['help'] || values['version']) return { values, positionals };
  if (positionals.length < spec.minPositionals) {
    throw new UsageError(`'wiregram ${cmd}' needs ${spec.usage.replace(/^wiregram \S+ /, '')}`, null, cmd);
  }
  if (spec.maxPositionals !== undefined && positionals.length > spec.maxPositionals) {
    throw new UsageError(
      `'wiregram ${cmd}' takes ${spec.maxPositionals} input${spec.maxPositionals === 1 ? '' : 's'}, got ${positionals.length}: ${positionals.join(' ')}`,
      null,
      cmd,
    );
  }
  return { values, positionals };
}
