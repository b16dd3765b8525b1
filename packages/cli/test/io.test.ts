/**
 * Files, not diagrams: every I/O error names the real destination (never our temp file), says what to do and
 * exits with one code per kind of problem (2: the path cannot work, 3: the system refused); one run's outputs
 * are written all together or not at all; inputs are read in bounded memory with their first bytes checked
 * first (issue 20 item 5, issue 14 items 4, 6 and 7). A full or read-only disk is a real small tmpfs when this
 * machine lets an unprivileged user namespace mount one, and an injected failure (test/fixtures/inject.mjs) otherwise.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, HANDSHAKE, handshakePcap, INJECT, listFiles, tempProject, wiregram } from './helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const header = '```packet-header\ntcp\n```\n\n';
const manyHeaders = (n: number) => header.repeat(n);
const temps = (dir: string) => listFiles(dir).filter((f) => /\.(tmp|bak)$/.test(f));

/** Can this machine mount a tmpfs in a user namespace (unshare -rm)? */
const tmpfsWorks = (() => {
  const dir = tempProject({});
  mkdirSync(join(dir, 'm'));
  return spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=16k tmpfs "$0"', join(dir, 'm')]).status === 0;
})();

/** Run wiregram in a private mount namespace with `out/` a fresh tmpfs mounted with `opts`; stdout: what out/ holds after. */
function withTmpfsOut(dir: string, opts: string, args: string[]) {
  mkdirSync(join(dir, 'out'), { recursive: true });
  const script = 'mount -t tmpfs -o "$1" tmpfs out || exit 99; shift; "$@"; rc=$?; ls -A out; exit $rc';
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', opts, process.execPath, BIN, ...args], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stderr: r.stderr, left: r.stdout.split('\n').filter(Boolean) };
}

/** The same run with the failure injected into writes under `out/` (no tmpfs here). */
function withInjectedOut(dir: string, code: string, args: string[]) {
  const r = wiregram(args, { cwd: dir, nodeArgs: INJECT, env: { WG_FAIL_DIR: join(dir, 'out'), WG_FAIL_CODE: code, WG_FAIL_AFTER: '2' } });
  return { code: r.code, stderr: r.stderr, left: listFiles(join(dir, 'out')) };
}

describe('a disk that refuses the write', () => {
  it(`no space left (ENOSPC, ${tmpfsWorks ? 'a 48 KiB tmpfs' : 'injected'}): names the output, exit 3, nothing written, no temp files`, () => {
    const dir = tempProject({ 'post.md': manyHeaders(30) });
    const r = tmpfsWorks ? withTmpfsOut(dir, 'size=48k', ['render', 'post.md', '-o', 'out']) : withInjectedOut(dir, 'ENOSPC', ['render', 'post.md', '-o', 'out']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^wiregram: error: cannot write out\/post-\d+\.svg: no space left on the device\n {2}hint: free some space on the disk that holds out, or write elsewhere \(-o DIR\); nothing was written\n$/);
    expect(r.left).toEqual([]);
  });

  it(`read-only file system (EROFS, ${tmpfsWorks ? 'a read-only tmpfs' : 'injected'}): names the output, exit 3`, () => {
    const dir = tempProject({ 'post.md': manyHeaders(2) });
    const r = tmpfsWorks ? withTmpfsOut(dir, 'ro,size=16k', ['render', 'post.md', '-o', 'out']) : withInjectedOut(dir, 'EROFS', ['render', 'post.md', '-o', 'out']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^wiregram: error: cannot write out\/post-1\.svg: the file system is read-only\n/);
    expect(r.stderr).not.toMatch(/\.tmp|\.bak/);
  });

  it('permission denied (EACCES, injected: tests may run as root): names the output and its folder, keeps the old files', () => {
    const dir = tempProject({ 'post.md': manyHeaders(4), 'out/post-1.svg': 'old' });
    const r = wiregram(['render', 'post.md', '-o', 'out'], { cwd: dir, nodeArgs: INJECT, env: { WG_FAIL_DIR: join(dir, 'out'), WG_FAIL_CODE: 'EACCES', WG_FAIL_AFTER: '2' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot write out/post-3.svg: permission denied\n  hint: check the permissions of out, or write elsewhere (-o DIR); nothing was written');
    expect(listFiles(join(dir, 'out'))).toEqual(['post-1.svg']);
    expect(readFileSync(join(dir, 'out/post-1.svg'), 'utf8')).toBe('old');
  });

  it('the same kind of problem has the same exit code in every command', () => {
    const dir = tempProject({ 'post.md': manyHeaders(2), 'hs.pcap': handshakePcap() });
    const env = { WG_FAIL_DIR: join(dir, 'out'), WG_FAIL_CODE: 'ENOSPC' };
    const deck = wiregram(['deck', 'post.md', '-o', 'out/deck.pdf'], { cwd: dir, nodeArgs: INJECT, env });
    expect(deck.code).toBe(3);
    expect(deck.stderr).toContain('cannot write out/deck.pdf: no space left on the device');
    const imp = wiregram(['import', 'hs.pcap', '-o', 'out/hs.tcpseq'], { cwd: dir, nodeArgs: INJECT, env });
    expect(imp.code).toBe(3);
    expect(imp.stderr).toContain('cannot write out/hs.tcpseq: no space left on the device');
    expect(temps(dir)).toEqual([]);
    // stdout redirected to a full disk: the same kind, the same code, no stack trace.
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['render', '-'], ['deck', 'post.md', '-o', '-'], ['import', 'hs.pcap']]) {
        const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, input: HANDSHAKE, stdio: ['pipe', full, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        expect(r.status, args.join(' ')).toBe(3);
        expect(r.stderr).toBe('wiregram: error: cannot write to stdout: no space left on the device\n  hint: check where stdout is redirected (or write a file with -o)\n');
      }
    } finally {
      closeSync(full);
    }
  });
});

describe('a path that cannot work', () => {
  it('a directory where an output goes (EISDIR): exit 2, the earlier outputs of the run are not written', () => {
    const dir = tempProject({ 'post.md': manyHeaders(3), 'out/post-1.svg': 'old' });
    mkdirSync(join(dir, 'out/post-2.svg'));
    const r = wiregram(['render', 'post.md', '-o', 'out'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('wiregram: error: cannot write out/post-2.svg: a directory of that name is in the way\n  hint: remove or rename the directory out/post-2.svg, or write elsewhere (-o DIR); nothing was written\n');
    expect(readFileSync(join(dir, 'out/post-1.svg'), 'utf8')).toBe('old');
    expect(listFiles(join(dir, 'out'))).toEqual(['post-1.svg']);
  });

  it('a file where a folder must be (ENOTDIR): exit 2 naming that file, in -o, --markdown-out, deck and import', () => {
    const dir = tempProject({ 'post.md': header, afile: 'x', 'hs.pcap': handshakePcap() });
    const cases: Array<[string[], RegExp]> = [
      [['render', 'post.md', '-o', 'afile'], /-o afile is a file, not a directory/],
      [['render', 'post.md', '-o', 'afile/sub'], /-o afile\/sub: afile is a file, not a directory/],
      [['render', 'post.md', '-o', 'afile/sub/deeper'], /afile is a file, not a directory/],
      [['render', 'post.md', '--markdown-out', 'afile/md', '--embed', 'inline'], /--markdown-out afile\/md: afile is a file/],
      [['deck', 'post.md', '-o', 'afile/deck.pdf'], /-o afile\/deck\.pdf: afile is a file, not a directory/],
      [['import', 'hs.pcap', '-o', 'afile/hs.tcpseq'], /-o afile\/hs\.tcpseq: afile is a file, not a directory/],
    ];
    for (const [args, message] of cases) {
      const r = wiregram(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/ENOTDIR|\.tmp|at .*\.js/);
    }
  });
});

/** Run `producer | wiregram args` in a shell, with the child's peak RSS (KiB) reported on stderr. */
function piped(producer: string, args: string[], cwd: string) {
  const t0 = Date.now();
  const r = spawnSync('sh', ['-c', `${producer} | "$0" "$@"`, process.execPath, ...INJECT, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, WG_REPORT_RSS: '1' },
    timeout: 60_000,
  });
  const rss = Number(/maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { code: r.status, stderr: r.stderr, rssMb: rss / 1024, ms: Date.now() - t0 };
}

describe('stdin and input files are read in bounded memory, their first bytes first', () => {
  it('`cat /dev/zero | wiregram import -` stops at the magic: exit 1 at once, a few MB of memory', () => {
    const dir = tempProject({});
    for (const args of [['import', '-'], ['import', '-', '--list'], ['import', '-', '--json']]) {
      const r = piped('cat /dev/zero', args, dir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('<stdin>: error: not a pcap or pcapng file (it starts with bytes 00 00 00 00) [capture-format]');
      expect(r.rssMb).toBeLessThan(100);
    }
  });

  it('a capture on stdin is still imported, chunk by chunk', () => {
    const dir = tempProject({ 'hs.pcap': handshakePcap() });
    const r = piped('cat hs.pcap', ['import', '-'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('`render -` refuses binary stdin at its first bytes and text past 16 MiB, in bounded memory', () => {
    const dir = tempProject({});
    const zero = piped('cat /dev/zero', ['render', '-'], dir);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('wiregram: error: <stdin> is binary (a NUL byte at offset 0), not Markdown or diagram text');
    expect(zero.rssMb).toBeLessThan(100);
    const endless = piped("yes 'client -> server: ACK'", ['render', '-'], dir);
    expect(endless.code).toBe(1);
    expect(endless.stderr).toContain('wiregram: error: <stdin> is more than 16 MiB, the most wiregram reads as Markdown or diagram text');
    expect(endless.rssMb).toBeLessThan(200);
  });

  it('input files: the size before reading, the first bytes before the rest', () => {
    const dir = tempProject({ 'pic.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'cap.md': handshakePcap() });
    const fd = openSync(join(dir, 'big.md'), 'w');
    writeSync(fd, 'x', 1024 * 1024 * 1024 - 1); // a sparse 1 GiB file: costs no disk, would cost memory
    closeSync(fd);
    const big = wiregram(['render', 'big.md'], { cwd: dir });
    expect(big.code).toBe(1);
    expect(big.stderr).toContain('wiregram: error: big.md is 1024 MiB, more than 16 MiB, the most wiregram reads as Markdown or diagram text');
    const pic = wiregram(['check', 'pic.md'], { cwd: dir });
    expect(pic.code).toBe(1);
    expect(pic.stderr).toContain('pic.md is binary (a NUL byte at offset 8)');
    expect(wiregram(['render', 'cap.md'], { cwd: dir }).stderr).toContain('it looks like a pcap/pcapng capture: turn it into diagram text with `wiregram import`');
  });

  it('a `capture` statement checks the magic before reading the file, and states the size policy', () => {
    const dir = tempProject({ 'docs/zero.md': '```tcp-sequence\ncapture ./zero.pcap\n```\n', 'docs/huge.md': '# Huge\n\n```tcp-sequence\ncapture ./huge.pcap\n```\n' });
    let fd = openSync(join(dir, 'docs/zero.pcap'), 'w');
    writeSync(fd, '\0', 1024 * 1024 * 1024 - 1);
    closeSync(fd);
    // A real pcap header, then 100 MiB of sparse zeros.
    fd = openSync(join(dir, 'docs/huge.pcap'), 'w');
    writeSync(fd, handshakePcap().subarray(0, 24));
    writeSync(fd, '\0', 100 * 1024 * 1024);
    closeSync(fd);
    const t0 = Date.now();
    const zero = wiregram(['check', 'docs/zero.md', '--format', 'compact'], { cwd: dir });
    expect(zero.code).toBe(1);
    expect(zero.stdout).toMatch(/^docs\/zero\.md:2:9: error: not a pcap or pcapng file \(it starts with bytes 00 00 00 00\) \[capture-format\]$/m);
    const huge = wiregram(['check', 'docs/huge.md'], { cwd: dir });
    expect(huge.code).toBe(1);
    expect(huge.stdout).toContain('docs/huge.md:4:9: error: "./huge.pcap" is 100 MiB, more than the 64 MiB a diagram reads [file-too-large]');
    expect(huge.stdout).toContain('`wiregram import`, which streams captures of any size');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe('deck blames the right file and line', () => {
  it('names the file and line of the diagram whose character the font lacks, without our font path', () => {
    const dir = tempProject({
      'a.md': `# A\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\`\`\`\n`,
      'b.md': '# B\n\ntext\n\n```tcp-sequence\ntitle bad 😀\nparticipant c\nparticipant s\nc -> s: SYN\n```\n',
    });
    for (const extra of [[], ['--steps']]) {
      const r = wiregram(['deck', 'a.md', 'b.md', '-o', 'deck.pdf', ...extra], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^b\.md:6:11: error: font "Noto Sans Hans" has no glyph for "😀" \(U\+1F600\), used in "bad 😀" \[font-missing-glyph\]\n/);
      expect(r.stderr).not.toContain('a.md');
      expect(r.stderr).not.toMatch(/\/(node_modules|usr|work|tmp)\//);
    }
    expect(listFiles(dir)).toEqual(['a.md', 'b.md']);
  });
});
