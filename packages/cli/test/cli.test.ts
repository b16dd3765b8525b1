import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureToSequenceText } from '@wiregram/core';
import MarkdownIt from 'markdown-it';
import { BIN, BROKEN, ensureBuilt, HANDSHAKE, handshakePcap, listFiles, MARKDOWN, parseSvg, tempProject, wiregram, wiregramBytes } from './helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const HANDSHAKE_LABELS = ['SYN, seq=x', 'SYN, ACK, seq=y, ack=x+1', 'ACK, seq=x+1, ack=y+1'];

describe('wiregram render', () => {
  it('turns every diagram block of a Markdown file into <name>-<n>.svg next to it', () => {
    const dir = tempProject({ 'post.md': MARKDOWN });
    const r = wiregram(['render', 'post.md'], { cwd: dir });
    expect(r.stderr).toContain('post.md → post-1.svg, post-2.svg');
    expect(r.code).toBe(0);
    expect(listFiles(dir)).toEqual(['.wiregram-outputs.json', 'post-1.svg', 'post-2.svg', 'post.md']);
    const seq = parseSvg(readFileSync(join(dir, 'post-1.svg'), 'utf8'));
    expect(seq.root.localName).toBe('svg');
    expect(seq.root.getAttribute('viewBox')).toMatch(/^0 0 [\d.]+ [\d.]+$/);
    for (const label of HANDSHAKE_LABELS) expect(seq.texts).toContain(label);
    expect(seq.texts.join(' ')).toContain('SYN_RCVD');
    const header = parseSvg(readFileSync(join(dir, 'post-2.svg'), 'utf8'));
    expect(header.texts.join(' ')).toMatch(/Source Port/i);
  });

  it('writes into -o DIR, expands quoted globs and takes diagram files by extension', () => {
    const dir = tempProject({ 'docs/a.md': MARKDOWN, 'docs/sub/b.md': MARKDOWN, 'hs.tcpseq': HANDSHAKE, 'tcp.pkt': 'tcp\n', 'notes.txt': 'x' });
    const r = wiregram(['render', 'docs/**/*.md', 'hs.tcpseq', 'tcp.pkt', '-o', 'out'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(join(dir, 'out'))).toEqual(['.wiregram-outputs.json', 'a-1.svg', 'a-2.svg', 'b-1.svg', 'b-2.svg', 'hs.svg', 'tcp.svg']);
    expect(r.stderr).toContain('6 diagrams from 4 files: 6 written, 0 unchanged');
    for (const label of HANDSHAKE_LABELS) expect(parseSvg(readFileSync(join(dir, 'out/hs.svg'), 'utf8')).texts).toContain(label);
    // Same input, same bytes: a second run leaves every file alone.
    const before = statSync(join(dir, 'out/hs.svg')).mtimeMs;
    utimesSync(join(dir, 'out/hs.svg'), new Date(0), new Date(0));
    const again = wiregram(['render', 'docs/**/*.md', 'hs.tcpseq', 'tcp.pkt', '-o', 'out'], { cwd: dir });
    expect(again.stderr).toContain('0 written, 6 unchanged');
    expect(statSync(join(dir, 'out/hs.svg')).mtimeMs).toBe(0);
    expect(before).toBeGreaterThan(0);
  });

  it('reads stdin and writes stdout (-), sniffing the language', () => {
    const dir = tempProject({});
    const r = wiregram(['render', '-'], { cwd: dir, input: HANDSHAKE });
    expect(r.code, r.stderr).toBe(0);
    for (const label of HANDSHAKE_LABELS) expect(parseSvg(r.stdout).texts).toContain(label);
    const h = wiregram(['render', '-'], { cwd: dir, input: 'tcp\n' });
    expect(h.code, h.stderr).toBe(0);
    expect(parseSvg(h.stdout).texts.join(' ')).toMatch(/Source Port/i);
    expect(listFiles(dir)).toEqual([]);
  });

  it('writes a PDF per diagram with --format pdf', () => {
    const dir = tempProject({ 'hs.tcpseq': HANDSHAKE });
    const r = wiregram(['render', 'hs.tcpseq', '--format', 'pdf'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const pdf = join(dir, 'hs.pdf');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Pages:\s+1\b/);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('SYN, ACK, seq=y, ack=x+1');
  });

  it('reports errors as code frames at the line and column of the Markdown file, and writes nothing', () => {
    const md = `# Post\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\`\`\`\n\n> quoted:\n>\n> \`\`\`tcp-sequence\n> ${BROKEN.trimEnd().split('\n').join('\n> ')}\n> \`\`\`\n`;
    const dir = tempProject({ 'post.md': md, 'good.tcpseq': HANDSHAKE, 'bad.tcpseq': BROKEN });
    const r = wiregram(['render', 'post.md', 'good.tcpseq', 'bad.tcpseq', '-o', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // Both broken diagrams are reported, each at its own file position.
    const lines = md.split('\n');
    const badLine = lines.findIndex((l) => l.includes('PSH, ACK len=100')) + 1;
    const m = new RegExp(`^post\\.md:${badLine}:(\\d+): error: .+ \\[([\\w-]+)\\]$`, 'm').exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const col = Number(m![1]);
    expect(col).toBeGreaterThan(2); // past the `> ` quote marker
    expect(lines[badLine - 1]!.slice(col - 1)).toMatch(/^\S/);
    expect(r.stderr).toMatch(/^bad\.tcpseq:3:\d+: error: /m);
    expect(r.stderr).toContain(`> ${badLine} | > client -> server: PSH, ACK len=100`); // the code frame
    expect(r.stderr).toMatch(/\^+/);
    expect(r.stderr).toContain('2 errors in 2 files; nothing was written');
    expect(r.stderr).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
    expect(r.stderr).not.toContain('\u001b['); // not a TTY: no colour
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('renders despite warnings, and reports them at their Markdown line', () => {
    const md = '# Bogus ACK\n\n```tcp-sequence\nparticipant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK ack=7!\n```\n';
    const dir = tempProject({ 'post.md': md });
    const r = wiregram(['render', 'post.md'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^post\.md:8:\d+: warning: .+ \[[\w-]+\]$/m);
    expect(listFiles(dir)).toEqual(['.wiregram-outputs.json', 'post-1.svg', 'post.md']);
    expect(wiregram(['render', 'post.md', '-q'], { cwd: dir }).stderr).toBe('');
  });

  it('leaves existing outputs untouched when any input fails', () => {
    const dir = tempProject({ 'a.tcpseq': HANDSHAKE, 'b.tcpseq': BROKEN, 'out/a.svg': 'old' });
    const r = wiregram(['render', 'a.tcpseq', 'b.tcpseq', '-o', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'out/a.svg'), 'utf8')).toBe('old');
    expect(listFiles(join(dir, 'out'))).toEqual(['a.svg']); // no temp files left behind
  });

  it('colours errors only when asked (FORCE_COLOR) and never with NO_COLOR', () => {
    const dir = tempProject({ 'b.tcpseq': BROKEN });
    expect(wiregram(['render', 'b.tcpseq'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stderr).toContain('\u001b[31m');
    expect(wiregram(['render', 'b.tcpseq'], { cwd: dir, env: { NO_COLOR: '1' } }).stderr).not.toContain('\u001b[');
  });

  it('never overwrites an input', () => {
    const dir = tempProject({ 'post.md': MARKDOWN, 'x.svg': HANDSHAKE });
    const r = wiregram(['render', 'post.md', '--markdown-out', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to overwrite the input post.md');
    expect(readFileSync(join(dir, 'post.md'), 'utf8')).toBe(MARKDOWN);
    const s = wiregram(['render', 'x.svg', '--lang', 'tcp-sequence'], { cwd: dir });
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('refusing to overwrite the input x.svg');
    expect(readFileSync(join(dir, 'x.svg'), 'utf8')).toBe(HANDSHAKE);
    expect(listFiles(dir)).toEqual(['post.md', 'x.svg']);
  });

  it('rewrites Markdown with image links or inline SVG (--markdown-out)', () => {
    const dir = tempProject({ 'src/post.md': MARKDOWN });
    const r = wiregram(['render', 'src/post.md', '-o', 'public/img', '--markdown-out', 'build'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = readFileSync(join(dir, 'build/post.md'), 'utf8');
    expect(out).toContain('![TCP 三次握手](../public/img/post-1.svg)');
    expect(out).toMatch(/!\[[^\]]*\]\(\.\.\/public\/img\/post-2\.svg\)/);
    expect(out).not.toContain('```tcp-sequence');
    expect(out).toContain("console.log('not a diagram');"); // other code blocks stay
    expect(listFiles(join(dir, 'public/img'))).toEqual(['.wiregram-outputs.json', 'post-1.svg', 'post-2.svg']);

    const inline = wiregram(['render', '-', '--markdown-out', '-', '--embed', 'inline'], { cwd: dir, input: MARKDOWN });
    expect(inline.code, inline.stderr).toBe(0);
    expect(inline.stdout).toContain('<figure class="wiregram">');
    expect(inline.stdout.match(/<svg[\s>]/g)?.length).toBe(2);
    expect(inline.stdout).toContain('id="wg-stdin-1-');
    // An HTML block ends at a blank line: the figure must have none.
    const figure = inline.stdout.slice(inline.stdout.indexOf('<figure'), inline.stdout.indexOf('</figure>'));
    expect(figure).not.toMatch(/\n\s*\n/);
  });

  it('keeps replaced fences in their block quote or list item, as a Markdown engine then sees them', () => {
    const md = `# Nested\n\n> Quoted:\n>\n> \`\`\`tcp-sequence\n> ${HANDSHAKE.trimEnd().split('\n').join('\n> ')}\n> \`\`\`\n\n- step one\n\n  \`\`\`packet-header\n  tcp\n  \`\`\`\n\n- step two\n`;
    const dir = tempProject({ 'post.md': md });
    const linked = wiregram(['render', 'post.md', '-o', 'img', '--markdown-out', 'out'], { cwd: dir });
    expect(linked.code, linked.stderr).toBe(0);
    const out = readFileSync(join(dir, 'out/post.md'), 'utf8');
    expect(out).toContain('> ![TCP 三次握手](../img/post-1.svg)');
    expect(out).toMatch(/\n {2}!\[[^\]]+\]\(\.\.\/img\/post-2\.svg\)\n/);
    const html = new MarkdownIt({ html: true }).render(out);
    expect(html).toMatch(/<blockquote>[\s\S]*<img src="\.\.\/img\/post-1\.svg" alt="TCP 三次握手">[\s\S]*<\/blockquote>/);
    expect(html).toMatch(/<li>[\s\S]*<img src="\.\.\/img\/post-2\.svg"[\s\S]*<\/li>/);

    const inline = wiregram(['render', 'post.md', '--markdown-out', '-', '--embed', 'inline'], { cwd: dir });
    expect(inline.code, inline.stderr).toBe(0);
    const page = new MarkdownIt({ html: true }).render(inline.stdout);
    expect(page).not.toContain('&lt;svg');
    expect(page).toMatch(/<blockquote>\s*<p>Quoted:<\/p>\s*<figure class="wiregram">\s*<svg[\s\S]*<\/svg>\s*<\/figure>\s*<\/blockquote>/);
    expect(page).toMatch(/<li>[\s\S]*<figure class="wiregram">\s*<svg[\s\S]*<\/figure>\s*<\/li>/);
    const svgs = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parseSvg(m[0]));
    expect(svgs.length).toBe(2);
    for (const label of HANDSHAKE_LABELS) expect(svgs[0]!.texts).toContain(label);
  });

  it('reads `capture` files relative to the Markdown file, and never outside the project root', () => {
    const outside = tempProject({ 'secret.pcap': handshakePcap() });
    const dir = tempProject({
      'data/hs.pcap': handshakePcap(),
      'docs/ok.md': '# Captured\n\n```tcp-sequence\ncapture ../data/hs.pcap stream 0\n```\n',
      'docs/abs.md': `\`\`\`tcp-sequence\ncapture ${join(outside, 'secret.pcap')} stream 0\n\`\`\`\n`,
      'docs/dots.md': '```tcp-sequence\ncapture ../../../../../../../../etc/hostname stream 0\n```\n',
      'docs/up.md': `\`\`\`tcp-sequence\ncapture ../../${basename(outside)}/secret.pcap stream 0\n\`\`\`\n`,
    });
    symlinkSync(join(outside, 'secret.pcap'), join(dir, 'data/link.pcap'));
    writeFileSync(join(dir, 'docs/link.md'), '```tcp-sequence\ncapture ../data/link.pcap stream 0\n```\n');
    const ok = wiregram(['render', 'docs/ok.md', '-o', 'out'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const texts = parseSvg(readFileSync(join(dir, 'out/ok-1.svg'), 'utf8')).texts.join(' ');
    expect(texts).toContain('SYN');
    expect(texts).toContain('10.0.0.1');
    for (const name of ['abs', 'dots', 'link', 'up']) {
      const r = wiregram(['check', `docs/${name}.md`, '--format', 'compact'], { cwd: dir });
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^docs/${name}\\.md:2:9: error: .*(outside the project|absolute path).* \\[file-outside-project\\]`));
    }
    // --root widens what may be read (relative paths only; absolute ones never are).
    const wide = wiregram(['check', 'docs/up.md', '--root', dirname(dir)], { cwd: dir });
    expect(wide.code, wide.stdout).toBe(0);
    expect(wiregram(['check', 'docs/abs.md', '--root', '/'], { cwd: dir }).code).toBe(1);
  });

  it('shows a progress line on a terminal only', () => {
    const files = Object.fromEntries(['a', 'b', 'c'].map((n) => [`${n}.tcpseq`, HANDSHAKE]));
    const dir = tempProject(files);
    const plain = wiregram(['render', 'a.tcpseq', 'b.tcpseq', 'c.tcpseq', '-o', 'out'], { cwd: dir });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toContain('[1/3]');
    // util-linux `script` runs the command on a pseudo-terminal, as an interactive shell would.
    const cmd = [process.execPath, BIN, 'render', 'a.tcpseq', 'b.tcpseq', 'c.tcpseq', '-o', 'tty'].map((a) => `'${a}'`).join(' ');
    const env = { ...process.env, NO_COLOR: '1' } as NodeJS.ProcessEnv;
    delete env['CI'];
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env, encoding: 'utf8' });
    expect(tty.status, tty.stdout).toBe(0);
    expect(tty.stdout).toContain('[3/3] c.tcpseq');
    expect(tty.stdout).toContain('\r\u001b[K'); // the line is rewritten in place, then cleared
    expect(listFiles(join(dir, 'tty'))).toEqual(['.wiregram-outputs.json', 'a.svg', 'b.svg', 'c.svg']);
  });

  it('re-renders on change with --watch', async () => {
    const dir = tempProject({ 'hs.tcpseq': HANDSHAKE });
    const { spawn } = await import('node:child_process');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    const child = spawn(process.execPath, [BIN, 'render', 'hs.tcpseq', '-o', 'out', '--watch'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const waitFor = async (test: () => boolean, what: string) => {
      const until = Date.now() + 20_000;
      while (!test()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      const svg = join(dir, 'out/hs.svg');
      await waitFor(() => stderr.includes('watching'), 'the first render');
      expect(readFileSync(svg, 'utf8')).toContain('SYN, seq=x');
      writeFileSync(join(dir, 'hs.tcpseq'), HANDSHAKE.replace('isn client=x server=y', 'isn client=a server=b'));
      await waitFor(() => existsSync(svg) && readFileSync(svg, 'utf8').includes('SYN, seq=a'), 'the re-render');
      // A broken save is reported and the last good output stays.
      writeFileSync(join(dir, 'hs.tcpseq'), BROKEN);
      await waitFor(() => /hs\.tcpseq:3:\d+: error/.test(stderr), 'the error report');
      expect(readFileSync(svg, 'utf8')).toContain('SYN, seq=a');
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});

describe('wiregram check', () => {
  it('lists every error of every block and file, CI style, and exits 1', () => {
    const md = `\`\`\`tcp-sequence\n${BROKEN}\`\`\`\n\ntext\n\n\`\`\`packet-header\ntcp\n\`\`\`\n\n\`\`\`tcp-sequence\n${BROKEN}\`\`\`\n`;
    const dir = tempProject({ 'a.md': md, 'b.tcpseq': BROKEN, 'ok.md': MARKDOWN });
    const r = wiregram(['check', 'a.md', 'b.tcpseq', 'ok.md', '--format', 'compact'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.replace(/:\d+: error: .*/, ''))).toEqual(['a.md:4', 'a.md:16', 'b.tcpseq:3']);
    for (const l of lines) expect(l).toMatch(/^[\w.]+:\d+:\d+: error: .+ \[[\w-]+\]$/);
    expect(r.stderr).toContain('6 diagrams in 3 files: 3 errors');
    expect(listFiles(dir)).toEqual(['a.md', 'b.tcpseq', 'ok.md']);
  });

  it("checks a fence's own options and applies valid ones", () => {
    const md = '# x\n\n- item\n\n  ```tcp-sequence title="Flags" label-style=flags\n  participant client\n  participant server\n  client -> server: SYN\n  ```\n\n```tcp-sequence style=bogus width=3\nparticipant a\nparticipant b\na -> b: SYN\n```\n';
    const dir = tempProject({ 'post.md': md });
    const r = wiregram(['check', 'post.md', '--format', 'compact'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      'post.md:11:17: error: unknown style "bogus" in the fence\'s options [invalid-meta-value]',
      'post.md:11:29: warning: the fence option width is not one wiregram knows; it is ignored [unknown-meta-option]',
    ]);
    const out = wiregram(['render', 'post.md', '-o', 'out'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(listFiles(join(dir, 'out'))).toEqual([]);
    writeFileSync(join(dir, 'post.md'), md.replace(' style=bogus width=3', ''));
    expect(wiregram(['render', 'post.md', '-o', 'out'], { cwd: dir }).code).toBe(0);
    expect(parseSvg(readFileSync(join(dir, 'out/post-1.svg'), 'utf8')).texts).toContain('SYN=1, seq=0');
  });

  it('prints code frames by default, JSON and GitHub annotations on request', () => {
    const dir = tempProject({ 'b.tcpseq': BROKEN, 'ok.md': MARKDOWN });
    const text = wiregram(['check', 'b.tcpseq'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^b\.tcpseq:3:\d+: error: /);
    expect(text.stdout).toContain('> 3 | client -> server: PSH, ACK len=100');
    const json = wiregram(['check', 'b.tcpseq', 'ok.md', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: false, files: 2, diagrams: 3, errors: 1 });
    expect(report.problems[0]).toMatchObject({ file: 'b.tcpseq', line: 3, severity: 'error', diagram: 1 });
    expect(typeof report.problems[0].code).toBe('string');
    const gh = wiregram(['check', 'b.tcpseq', '--format', 'github'], { cwd: dir });
    expect(gh.stdout).toMatch(/^::error file=b\.tcpseq,line=3,col=\d+,.*title=wiregram [\w-]+::/);
    const ok = wiregram(['check', 'ok.md'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('2 diagrams in 1 file: no errors');
  });
});

describe('wiregram deck', () => {
  it('puts every diagram into one PDF, one page each or one per step', () => {
    const dir = tempProject({ 'a.md': MARKDOWN, 'hs.tcpseq': HANDSHAKE });
    const r = wiregram(['deck', 'a.md', 'hs.tcpseq', '-o', 'deck.pdf'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(execFileSync('pdfinfo', [join(dir, 'deck.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+3\b/);
    const steps = wiregram(['deck', 'hs.tcpseq', '-o', 'steps.pdf', '--steps', '--size', '4:3'], { cwd: dir });
    expect(steps.code, steps.stderr).toBe(0);
    // 3 segments: the empty diagram, then one page per segment.
    const info = execFileSync('pdfinfo', [join(dir, 'steps.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+4\b/);
    expect(info).toMatch(/Page size:\s+960 x 720 pts/);
    const missing = wiregram(['deck', 'a.md'], { cwd: dir });
    expect(missing.code).toBe(2);
    // A broken diagram anywhere: its position, and no deck.
    writeFileSync(join(dir, 'bad.md'), `# Slides\n\n\`\`\`tcp-sequence\n${BROKEN}\`\`\`\n`);
    const bad = wiregram(['deck', 'a.md', 'bad.md', '-o', 'broken.pdf'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.md:6:\d+: error: /m);
    expect(existsSync(join(dir, 'broken.pdf'))).toBe(false);
  });
});

describe('wiregram import', () => {
  it('prints a captured handshake as tcp-sequence text that renders, or as JSON', () => {
    const dir = tempProject({ 'hs.pcap': handshakePcap() });
    const r = wiregram(['import', 'hs.pcap'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SYN/);
    const json = wiregram(['import', 'hs.pcap', '--json', '--stream', '0'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const segs = JSON.parse(json.stdout) as Array<{ src: string; dst: string; flags: string[]; seq: number; ack: number | null; len: number }>;
    expect(segs.map((s) => [s.flags.slice().sort().join('+'), s.seq, s.ack, s.len])).toEqual([
      ['SYN', 0, null, 0],
      ['ACK+SYN', 0, 1, 0],
      ['ACK', 1, 1, 0],
    ]);
    expect(segs[0]!.src).toBe(segs[1]!.dst);
    // The imported text is a diagram wiregram can draw.
    const drawn = wiregram(['render', '-', '--lang', 'tcp-sequence'], { cwd: dir, input: r.stdout });
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(parseSvg(drawn.stdout).texts.join(' ')).toContain('SYN');
    const none = wiregram(['import', 'hs.pcap', '--stream', '7'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/error/);
    expect(wiregram(['import', 'hs.pcap', '--stream', 'x'], { cwd: dir }).code).toBe(2);
    // The text is exactly the core's, and a damaged file still gives what was read, plus a warning.
    expect(r.stdout).toBe(captureToSequenceText(handshakePcap(), { stream: 0, source: 'hs.pcap' }));
    writeFileSync(join(dir, 'cut.pcap'), handshakePcap().subarray(0, 150));
    const cut = wiregram(['import', 'cut.pcap'], { cwd: dir });
    expect(cut.code).toBe(0);
    expect(cut.stdout).toContain('client -> server: SYN');
    expect(cut.stderr).toMatch(/^cut\.pcap: warning: .+ \[capture-[\w-]+\]$/m);
    const garbage = wiregram(['import', 'notes.txt'], { cwd: tempProject({ 'notes.txt': 'hello' }) });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/^notes\.txt: error: .+ \[capture-[\w-]+\]$/m);
  });
});

describe('usage', () => {
  it('exits 2 with a hint on unknown options, commands and values', () => {
    const dir = tempProject({ 'hs.tcpseq': HANDSHAKE });
    const flag = wiregram(['render', 'hs.tcpseq', '--out-dri', 'x'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--out-dri'");
    expect(flag.stderr).toContain('did you mean --out-dir?');
    const cmd = wiregram(['rendr', 'hs.tcpseq'], { cwd: dir });
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("did you mean 'wiregram render'?");
    const value = wiregram(['render', 'hs.tcpseq', '--style', 'lifelien'], { cwd: dir });
    expect(value.code).toBe(2);
    expect(value.stderr).toContain("did you mean 'lifeline'?");
    const other = wiregram(['render', 'hs.tcpseq', '--steps'], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("--steps is an option of 'wiregram deck'");
    expect(wiregram(['check', 'hs.tcpseq', '--json'], { cwd: dir }).stderr).toContain('use --format json');
    const missing = wiregram(['render', 'nope.md'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file: nope.md');
    const ext = wiregram(['render', 'hs.txt'], { cwd: tempProject({ 'hs.txt': HANDSHAKE }) });
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('--lang');
    expect(listFiles(dir)).toEqual(['hs.tcpseq']);
  });

  it('prints help for each command and the version', () => {
    const dir = tempProject({});
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(wiregram(['--version'], { cwd: dir }).stdout.trim()).toBe(pkg.version);
    const main = wiregram(['--help'], { cwd: dir });
    expect(main.code).toBe(0);
    for (const c of ['render', 'deck', 'check', 'import']) expect(main.stdout).toContain(c);
    for (const c of ['render', 'deck', 'check', 'import']) {
      const h = wiregram([c, '--help'], { cwd: dir });
      expect(h.code).toBe(0);
      expect(h.stdout).toContain(`Usage: wiregram ${c}`);
    }
    expect(wiregram(['help', 'deck'], { cwd: dir }).stdout).toContain('--steps');
    expect(wiregram([], { cwd: dir }).code).toBe(2);
  });

  it('refuses to print a PDF to stdout only on a terminal; writes it to a pipe', () => {
    const dir = tempProject({ 'hs.tcpseq': HANDSHAKE });
    const r = wiregramBytes(['render', '-', '--format', 'pdf'], { cwd: dir, input: HANDSHAKE });
    expect(r.status).toBe(0);
    expect(r.stdout.subarray(0, 5).toString()).toBe('%PDF-');
    const cmd = `'${process.execPath}' '${BIN}' render - --format pdf < hs.tcpseq`;
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(tty.status).toBe(2);
    expect(tty.stdout).toContain('refusing to write a PDF to the terminal');
    expect(tty.stdout).not.toContain('%PDF');
  });
});
