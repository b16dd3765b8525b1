/** Test helpers: run the real `wiregram` binary (built dist) the way a user does, on temporary directories. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { SEED_HANDSHAKE } from '../../../test/support/seeds.js';

export const BIN = fileURLToPath(new URL('../bin/wiregram.cjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Build the CLI (and the packages it references) once if there is no dist yet; `pnpm test` builds first anyway. */
export function ensureBuilt(): void {
  if (existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)))) return;
  const r = spawnSync('npx', ['tsc', '-b', 'packages/cli/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface RunOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** Node flags before the script, e.g. `--import` of test/fixtures/inject.mjs. */
  nodeArgs?: string[];
}

/** test/fixtures/inject.mjs as a `--import` flag: injected write failures, signals, peak memory. */
export const INJECT = ['--import', new URL('./fixtures/inject.mjs', import.meta.url).href];

export type Result = SpawnSyncReturns<string> & { code: number | null };

export function wiregram(args: string[], options: RunOptions): Result {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  if (!options.env || !('FORCE_COLOR' in options.env)) delete env['FORCE_COLOR'];
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return Object.assign(r, { code: r.status });
}

export function wiregramBytes(args: string[], options: RunOptions): SpawnSyncReturns<Buffer> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env['FORCE_COLOR'];
  return spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, input: options.input, env: env as NodeJS.ProcessEnv, timeout: 60_000 });
}

export function tempProject(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wg-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Every file under dir, relative, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

export interface ParsedSvg {
  root: Element;
  texts: string[];
}

/** Parse an SVG document strictly and collect the text of every <text> element (tspans joined). */
export function parseSvg(svg: string): ParsedSvg {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level: string, msg: string) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(svg, 'image/svg+xml');
  if (errors.length) throw new Error(`invalid SVG: ${errors.join('; ')}`);
  const root = doc.documentElement as unknown as Element;
  const texts: string[] = [];
  const walk = (n: Node) => {
    if (n.nodeType === 1 && (n as Element).localName === 'text') {
      texts.push((n.textContent ?? '').replace(/\s+/g, ' ').trim());
      return;
    }
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(root as unknown as Node);
  return { root, texts };
}

/** The seed handshake (one copy for all tests: test/support/seeds.ts). */
export const HANDSHAKE = SEED_HANDSHAKE;

export const MARKDOWN = `# Handshake

Some prose.

\`\`\`tcp-sequence
${HANDSHAKE}\`\`\`

The header:

\`\`\`packet-header
tcp
\`\`\`

\`\`\`js
console.log('not a diagram');
\`\`\`
`;

/** Data before the handshake: the core rejects it. Line 3 of the block. */
export const BROKEN = `participant client
participant server
client -> server: PSH, ACK len=100
`;

/**
 * A pcap (Ethernet, IPv4) of a three-way handshake 10.0.0.1:40000 → 10.0.0.2:80, with real checksums, built
 * byte by byte so the test needs no capture privileges.
 */
export function handshakePcap(): Uint8Array {
  const packets: Array<{ src: number[]; dst: number[]; sport: number; dport: number; seq: number; ack: number; flags: number }> = [
    { src: [10, 0, 0, 1], dst: [10, 0, 0, 2], sport: 40000, dport: 80, seq: 1000, ack: 0, flags: 0x02 },
    { src: [10, 0, 0, 2], dst: [10, 0, 0, 1], sport: 80, dport: 40000, seq: 5000, ack: 1001, flags: 0x12 },
    { src: [10, 0, 0, 1], dst: [10, 0, 0, 2], sport: 40000, dport: 80, seq: 1001, ack: 5001, flags: 0x10 },
  ];
  const sum16 = (bytes: number[]) => {
    let s = 0;
    for (let i = 0; i < bytes.length; i += 2) s += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return ~s & 0xffff;
  };
  const u16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
  const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
  const out: number[] = [...le32(0xa1b2c3d4), 2, 0, 4, 0, ...le32(0), ...le32(0), ...le32(65535), ...le32(1)];
  packets.forEach((p, i) => {
    const tcp = [...u16(p.sport), ...u16(p.dport), ...u32(p.seq), ...u32(p.ack), 0x50, p.flags, ...u16(65535), 0, 0, 0, 0];
    const pseudo = [...p.src, ...p.dst, 0, 6, ...u16(tcp.length)];
    const tsum = sum16([...pseudo, ...tcp]);
    tcp[16] = tsum >>> 8;
    tcp[17] = tsum & 0xff;
    const ip = [0x45, 0, ...u16(20 + tcp.length), ...u16(i + 1), 0x40, 0, 64, 6, 0, 0, ...p.src, ...p.dst];
    const isum = sum16(ip);
    ip[10] = isum >>> 8;
    ip[11] = isum & 0xff;
    const frame = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, ...ip, ...tcp];
    out.push(...le32(1_700_000_000), ...le32(i * 1000), ...le32(frame.length), ...le32(frame.length), ...frame);
  });
  return new Uint8Array(out);
}
