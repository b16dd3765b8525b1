#!/usr/bin/env node
// `node scripts/train-cache.mjs <tag>`, run by bundle.mjs once per tag in a fresh process: loads the bundle the
// way the bin does, runs that command on a few typical diagrams (in a temporary folder, output discarded), then
// writes the V8 code cache of every bundle it loaded (dist/bundle/<file>.<tag>.v8cache). What the cache holds is
// the bytecode of the functions this run compiled, so the inputs cover each command's ordinary paths: a sequence
// diagram and a header, Markdown and a diagram file, Latin and CJK text for the PDF fonts.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const tag = process.argv[2];
const bundleDir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
const { loadCached, commandBundle, writeCaches } = createRequire(import.meta.url)(join(bundleDir, 'compile-cache.cjs'));

const HANDSHAKE = `title 连接与数据
participant c as 客户
participant s as 服务器
isn c=100 s=300
c -> s: SYN
s -> c: SYN, ACK
c -> s: ACK
c -> s: PSH, ACK len=10
s -> c: ACK
`;
const LATIN = HANDSHAKE.replace('连接与数据', 'Connection and data').replace(/ as \S+/g, '');
const WAVEHAND = `title TCP teardown
participant client
participant server
state client=ESTABLISHED server=ESTABLISHED
seq client=u server=v
client -> server: FIN, ACK
server -> client: ACK
note over server: half-closed
server -> client: PSH, ACK len=100
server -> client: FIN, ACK
client -x server: ACK
server -> client: FIN, ACK
client -> server: ACK
`;
// Mermaid's packet syntax with a YAML front matter: yaml.cjs is loaded, and its cache written, by the check run.
const MERMAID = '# Packet\n\n```packet-header\n---\ntitle: "TCP"\nconfig:\n  packet:\n    bitsPerRow: 32\n---\npacket-beta\n0-15: "Source Port"\n16-31: "Destination Port"\n```\n';
const DOC = `# Notes\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\`\`\`\n\n\`\`\`tcp-sequence style=lifeline\n${WAVEHAND}\`\`\`\n\n\`\`\`packet-header\ntcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000\n\`\`\`\n`;

// `check` is run on whole documentation folders, so it also learns from the repository's examples/ when the
// build has them (the monorepo; a package built elsewhere trains on the inline document only): ~30 Markdown files
// that between them use every statement, style and header layout, i.e. the functions a folder of real diagrams
// calls. Bytecode of what they compile is then in the cache instead of compiled on first call (≈ 45 KB more cache
// for check, which V8 reads faster than it compiles what it holds). Not for render and deck: their cache is read
// for every single diagram, so it holds only what one ordinary diagram needs.
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const exampleRun = existsSync(join(examples, 'three-way-handshake.md')) ? [['check', join(examples, '*.md'), '-q']] : [];

const RUNS = {
  main: [['--version'], ['--help']],
  render: [['render', 'hs.tcpseq', '-o', 'out', '-q'], ['render', 'doc.md', '-o', 'out', '-q']],
  check: [['check', 'doc.md', 'hs.tcpseq', 'mermaid.md', '-q'], ...exampleRun],
  deck: [['deck', 'latin.tcpseq', '-o', 'latin.pdf', '-q'], ['deck', 'hs.tcpseq', '-o', 'cjk.pdf', '-q']],
};
if (!RUNS[tag]) throw new Error(`train-cache.mjs: unknown tag ${tag}`);

const dir = mkdtempSync(join(tmpdir(), 'wg-train-'));
try {
  writeFileSync(join(dir, 'hs.tcpseq'), HANDSHAKE);
  writeFileSync(join(dir, 'latin.tcpseq'), LATIN);
  writeFileSync(join(dir, 'doc.md'), DOC);
  writeFileSync(join(dir, 'mermaid.md'), MERMAID);
  // The bundle the bin runs this command from (tag 'main': any other command).
  const bundle = commandBundle(bundleDir, tag);
  if (bundle.tag !== tag) throw new Error(`train-cache.mjs: the bin runs no command with the '${tag}' cache`);
  const api = loadCached(bundle.file, tag);
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  for (const args of RUNS[tag]) {
    const io = { stdout: sink(), stderr: sink(), stdin: process.stdin, cwd: dir, env: { NO_COLOR: '1' } };
    const code = await api.main(args, io);
    if (code !== 0) throw new Error(`train-cache.mjs: wiregram ${args.join(' ')} exited ${code}`);
  }
  writeCaches();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
