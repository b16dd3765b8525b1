/**
 * Audit fixes, as a user sees them: `check` takes render's path (capture frames included), author text never
 * reaches the terminal as control sequences, `import` chooses and lists streams by endpoints, and a capture cut
 * short before its first packet says so.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { conversation, frame, writePcap } from '../../core/test/fixtures/capture/build.js';
import { formatCompact, formatGithub, formatText, safeJson, type Problem } from '../src/report.js';
import { ensureBuilt, tempProject, wiregram } from './helpers.js';

beforeAll(() => ensureBuilt());

const loopback = new Uint8Array(readFileSync(fileURLToPath(new URL('../../core/test/fixtures/capture/loopback.pcap', import.meta.url))));
const HAVE_TSHARK = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

// Bytes a terminal would act on, less the line feeds of the output itself.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Two IPv4 streams and one IPv6 stream (raw IP), interleaved. */
function threeStreams(): Uint8Array {
  const a = conversation({ client: '192.0.2.1', server: '192.0.2.9', cport: 50762, sport: 18080, cisn: 1000, sisn: 5000, start: [1_700_000_000, 0] });
  const b = conversation({ client: '192.0.2.1', server: '192.0.2.9', cport: 50763, sport: 18080, cisn: 2000, sisn: 6000, start: [1_700_000_000, 500_000] });
  const c = conversation({ client: '2001:db8::1', server: '2001:db8::2', cport: 40000, sport: 80, cisn: 3000, sisn: 7000, start: [1_700_000_000, 250_000] });
  const all = [...a, ...b, ...c].sort((x, y) => x.sec - y.sec || x.nsec - y.nsec);
  return writePcap(all.map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(101, p.ip) })), { linkType: 101 });
}

describe('check takes the path render takes', () => {
  const doc = (capture: string) => `# Capture\n\n\`\`\`packet-header\n${capture}\n\`\`\`\n\n\`\`\`tcp-sequence\ncapture ./captures/http.pcap stream 127.0.0.1:42738,127.0.0.1:39391\n\`\`\`\n`;

  it('accepts a packet-header `capture … frame N` that render draws, without a spurious warning', () => {
    const dir = tempProject({ 'doc.md': doc('capture ./captures/http.pcap frame 3'), 'captures/http.pcap': loopback });
    const check = wiregram(['check', '--format', 'compact', 'doc.md'], { cwd: dir });
    expect(check.stdout).toBe('');
    expect(check.stderr.trim()).toBe('2 diagrams in 1 file: no errors');
    expect(check.code).toBe(0);
    const render = wiregram(['render', 'doc.md', '-o', 'out'], { cwd: dir });
    expect(render.code).toBe(0);
    expect(render.stderr).not.toMatch(/warning/);
    const svg = readFileSync(join(dir, 'out', 'doc-2.svg'), 'utf8');
    expect(svg).toContain('127.0.0.1:42738');
  });

  it("reports a capture's warning at the `capture` line, the same in check and render", () => {
    const v3 = loopback.slice();
    new DataView(v3.buffer).setUint16(4, 3, true); // pcap version 3.4: read anyway, with a warning
    const dir = tempProject({ 'doc.md': doc('capture ./captures/http.pcap frame 3'), 'captures/http.pcap': v3 });
    const check = wiregram(['check', '--format', 'compact', 'doc.md'], { cwd: dir });
    const lines = check.stdout.trim().split('\n');
    expect(lines).toEqual([
      'doc.md:4:1: warning: pcap version 3.4 (expected 2.4); reading it anyway [capture-version]',
      'doc.md:8:1: warning: pcap version 3.4 (expected 2.4); reading it anyway [capture-version]',
    ]);
    expect(check.code).toBe(0);
    const render = wiregram(['render', 'doc.md', '-o', 'out'], { cwd: dir });
    expect(render.stderr.split('\n').filter((l) => l.includes('warning'))).toEqual(lines);
  });
});

describe('author text is escaped on the terminal', () => {
  const evil = 'participant a\nparticipant b\na -> b: SYN \u001b]0;pwned\u0007\u001b[2J\n';

  it('in code frames, compact, GitHub and JSON output, and in file names', () => {
    const name = 'e\u001b[31m.tcpseq';
    const dir = tempProject({ 'e.tcpseq': evil, [name]: evil });
    const text = wiregram(['check', 'e.tcpseq'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).not.toMatch(RAW);
    expect(text.stdout).toContain('> 3 | a -> b: SYN \\x1b]0;pwned\\x07\\x1b[2J');
    for (const format of ['compact', 'github', 'json']) {
      const r = wiregram(['check', '--format', format, 'e.tcpseq', name], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(RAW);
    }
    const compact = wiregram(['check', '--format', 'compact', name], { cwd: dir });
    expect(compact.stdout).toBe('e\\x1b[31m.tcpseq:3:13: error: unexpected "\\x1b" in the segment [syntax]\n');
    const json = JSON.parse(wiregram(['check', '--format', 'json', name], { cwd: dir }).stdout) as { problems: Array<{ file: string; message: string }> };
    // JSON keeps the real text (escaped by the JSON syntax itself)
    expect(json.problems[0]).toMatchObject({ file: name, message: 'unexpected "\u001b" in the segment' });
  });

  it('GitHub annotations escape %, CR and LF, and make other controls visible', () => {
    const p: Problem = {
      file: 'a,b:c.md',
      source: null,
      severity: 'error',
      code: 'syntax',
      reason: '100% \u001b[2J done\rover\nnext \u009b',
      position: { start: { line: 2, column: 3, offset: 0 }, end: { line: 2, column: 5, offset: 0 } },
      expected: null,
      hint: 'x\u0007',
      diagram: 1,
    };
    const line = formatGithub(p);
    expect(line).toBe('::error file=a%2Cb%3Ac.md,line=2,col=3,endColumn=5,title=wiregram syntax::100%25 \\x1b[2J done\\x0dover\\x0anext \\x9b%0Ahint: x\\x07');
    expect(line).not.toMatch(/[\r\n]|[\u0000-\u001f\u007f-\u009f]/);
    expect(formatCompact(p)).not.toMatch(RAW);
    expect(formatText(p, null)).not.toMatch(RAW);
    expect(safeJson({ s: '\u009b\u202e\u007f' })).toBe('{\n  "s": "\\u009b\\u202e\\u007f"\n}');
    expect(JSON.parse(safeJson({ s: '\u009b\u202e\u007f\u001b' }))).toEqual({ s: '\u009b\u202e\u007f\u001b' });
  });

  it('in usage errors that quote an argument', () => {
    const r = wiregram(['import', 'x.pcap', '--stream', 'a\u001b[2Jb'], { cwd: tempProject({ 'x.pcap': loopback }) });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toContain('a\\x1b[2Jb');
  });
});

describe('wiregram import: streams by endpoints, --list', () => {
  it('selects the stream by its endpoints exactly as by its number, IPv4 and IPv6', () => {
    const dir = tempProject({ 'three.pcap': threeStreams() });
    const byNumber = wiregram(['import', 'three.pcap', '--stream', '2'], { cwd: dir });
    expect(byNumber.code).toBe(0);
    expect(byNumber.stdout).toContain('192.0.2.1:50763');
    const byTuple = wiregram(['import', 'three.pcap', '--stream', '192.0.2.9:18080,192.0.2.1:50763'], { cwd: dir });
    expect(byTuple.stdout).toBe(byNumber.stdout);
    const v6 = wiregram(['import', 'three.pcap', '--stream', '[2001:db8::1]:40000,[2001:db8::2]:80', '-o', 'v6.tcpseq'], { cwd: dir });
    expect(v6.code).toBe(0);
    expect(v6.stderr).toBe('three.pcap stream 1 → v6.tcpseq\n');
    expect(readFileSync(join(dir, 'v6.tcpseq'), 'utf8')).toContain('TCP stream 1: [2001:db8::1]:40000 ↔ [2001:db8::2]:80');
    // the imported text renders, and the same selector works in the language
    writeFileSync(join(dir, 'doc.md'), '```tcp-sequence\ncapture ./three.pcap stream [2001:db8::2]:80,[2001:db8::1]:40000\n```\n');
    expect(wiregram(['check', 'doc.md'], { cwd: dir }).code).toBe(0);
  });

  it('refuses a malformed selector with exit 2 and says how to write one', () => {
    const dir = tempProject({ 'three.pcap': threeStreams() });
    const r = wiregram(['import', 'three.pcap', '--stream', '2001:db8::1:80'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/write an IPv6 endpoint in brackets/);
    expect(r.stderr).toMatch(/--list/);
    const none = wiregram(['import', 'three.pcap', '--stream', '192.0.2.1:1'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no TCP stream matches the endpoints 192\.0\.2\.1:1 \(it has 3 streams/);
  });

  it('--list prints index, endpoints, frames, bytes, start and duration; --json the same as data', () => {
    const dir = tempProject({ 'three.pcap': threeStreams(), 'http.pcap': loopback });
    const r = wiregram(['import', 'three.pcap', '--list'], { cwd: dir });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^stream\s+endpoint A\s+endpoint B\s+frames\s+bytes\s+payload\s+start\s+duration$/);
    expect(rows.slice(1).map((l) => l.trim().split(/\s+/).slice(0, 5))).toEqual([
      ['0', '192.0.2.1:50762', '<->', '192.0.2.9:18080', '10'],
      ['1', '[2001:db8::1]:40000', '<->', '[2001:db8::2]:80', '10'],
      ['2', '192.0.2.1:50763', '<->', '192.0.2.9:18080', '10'],
    ]);
    const json = JSON.parse(wiregram(['import', 'three.pcap', '--list', '--json'], { cwd: dir }).stdout) as Array<{ stream: number; payloadBytes: number; start: number; select: string }>;
    expect(json.map((s) => s.select)).toEqual(['192.0.2.1:50762,192.0.2.9:18080', '[2001:db8::1]:40000,[2001:db8::2]:80', '192.0.2.1:50763,192.0.2.9:18080']);
    expect(json.map((s) => s.payloadBytes)).toEqual([400, 400, 400]);
    expect(json[1]!.start).toBeCloseTo(0.00025, 9);
    // each listed selector imports its own stream
    for (const s of json) expect(wiregram(['import', 'three.pcap', '--stream', s.select], { cwd: dir }).stdout).toContain(`from TCP stream ${s.stream} `);
    expect(wiregram(['import', 'three.pcap', '--list', '--stream', '1'], { cwd: dir }).code).toBe(2);
  });

  it.skipIf(!HAVE_TSHARK)('--list agrees with tshark -z conv,tcp', () => {
    for (const [file, bytes] of [['three.pcap', threeStreams()], ['http.pcap', loopback]] as const) {
      const dir = tempProject({ [file]: bytes });
      const ours = wiregram(['import', file, '--list'], { cwd: dir }).stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
      const conv = spawnSync('tshark', ['-n', '-r', join(dir, file), '-q', '-z', 'conv,tcp'], { encoding: 'utf8' }).stdout;
      const theirs = conv
        .split('\n')
        .map((l) => /^(\S+)\s+<->\s+(\S+)\s+\d+ \d+ bytes\s+\d+ \d+ bytes\s+(\d+) (\d+) bytes\s+([\d.]+)\s+([\d.]+)/.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ ends: [m[1], m[2]].sort().join(' '), frames: m[3], bytes: m[4], start: Number(m[5]), duration: Number(m[6]) }));
      expect(theirs.length).toBe(ours.length);
      // tshark writes IPv6 endpoints without brackets
      const plain = (e: string) => e.replace(/^\[(.*)\]:(\d+)$/, '$1:$2');
      for (const [, a, , b, frames, bytesCol, , start, duration] of ours) {
        const t = theirs.find((x) => x.ends === [plain(a!), plain(b!)].sort().join(' '));
        expect(t, `${a} <-> ${b}`).toBeDefined();
        expect({ frames, bytes: bytesCol }).toEqual({ frames: t!.frames, bytes: t!.bytes });
        expect(Math.abs(Number(start) - t!.start)).toBeLessThan(2e-9);
        expect(duration).toBe(t!.duration.toFixed(4));
      }
    }
  });
});

describe('a capture cut short before its first packet', () => {
  it('says truncated (head -c 100) or corrupt (a 2 GB record) at byte 24, with a hint, in import, --list and check', () => {
    const huge = loopback.slice(0, 200);
    new DataView(huge.buffer).setUint32(24 + 8, 0x80000000, true);
    const dir = tempProject({ 'cut.pcap': loopback.slice(0, 100), 'huge.pcap': huge, 'doc.md': '```tcp-sequence\ncapture ./cut.pcap\n```\n' });
    for (const args of [['import', 'cut.pcap'], ['import', 'cut.pcap', '--list']]) {
      const r = wiregram(args, { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^cut\.pcap: error: the capture is truncated at byte 24, before any complete TCP packet \(0 frames read\): the record there is \d+ bytes short \[capture-truncated\]\n/);
      expect(r.stderr).toMatch(/hint: the file was cut short/);
      expect(r.stderr).not.toMatch(/holds no TCP packets/);
    }
    const corrupt = wiregram(['import', 'huge.pcap'], { cwd: dir });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/the capture is corrupt at byte 24, .*declares 2147483648 captured bytes.*\[capture-corrupt\]/);
    expect(corrupt.stderr).toMatch(/hint: .*capinfos/);
    const check = wiregram(['check', '--format', 'compact', 'doc.md'], { cwd: dir });
    expect(check.stdout).toMatch(/^doc\.md:2:1: error: the capture is truncated at byte 24/);
  });
});
