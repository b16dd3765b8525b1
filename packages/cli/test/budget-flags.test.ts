/**
 * The output budgets on the command line (issue 14): `--max-elements`, `--max-text-bytes`, `--max-page-bytes`,
 * `--max-pages`. The real binary, as a user runs it: a budget error names the flag to raise (the API's errors
 * name the option), a raised budget draws what the default refused, bad values are usage errors, and `--help`
 * lists each flag with the packages' own default.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, layoutSource } from '@wiregram/layout';
import { DEFAULT_MAX_PAGES } from '@wiregram/pdf';
import { DEFAULT_MAX_PAGE_BYTES } from '@wiregram/svg';
import { ensureBuilt, HANDSHAKE, listFiles, parseSvg, tempProject, wiregram } from './helpers.js';

beforeAll(() => ensureBuilt());

/** 17 bytes that ask for 65,536 one-bit rows: over the default 60,000 elements. */
const BIG = 'bits 1\n0-65535: a\n';
const DOC = `# Two diagrams\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\`\`\`\n\n\`\`\`tcp-sequence\n${HANDSHAKE}\`\`\`\n`;

describe('a budget error names the flag that raises it', () => {
  it('render: past --max-elements, at the field that crosses it; nothing is written', () => {
    const dir = tempProject({ 'big.pkt': BIG });
    const r = wiregram(['render', 'big.pkt'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('big.pkt:2:1: error: the diagram needs more than 60,000 drawn elements (--max-elements); field "a" reaches 65,538 [over-budget]');
    expect(r.stderr).toContain('hint: draw less (split the diagram, shorten loops or notes), or raise the budget with --max-elements 120000');
    expect(r.stderr).not.toMatch(/maxElements/);
    expect(listFiles(dir)).toEqual(['big.pkt']);
  });

  it('render: the raised budget draws it', () => {
    const dir = tempProject({ 'big.pkt': BIG });
    const r = wiregram(['render', 'big.pkt', '--max-elements', '200000'], { cwd: dir });
    expect(r.stderr).toBe('big.pkt → big.svg\n');
    expect(r.code).toBe(0);
    const svg = parseSvg(readFileSync(join(dir, 'big.svg'), 'utf8'));
    // One row rule per bit: 65,536 rows drawn.
    expect(svg.root.getElementsByTagName('line').length).toBeGreaterThanOrEqual(65_536);
    expect(svg.texts).toContain('a');
  });

  it('check: --max-text-bytes, in every format', () => {
    const dir = tempProject({ 'hs.tcpseq': HANDSHAKE });
    const json = wiregram(['check', 'hs.tcpseq', '--max-text-bytes', '10', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(1);
    const problem = JSON.parse(json.stdout).problems[0];
    expect(problem.code).toBe('over-budget');
    expect(problem.message).toMatch(/^the diagram needs more than 10 bytes of text \(--max-text-bytes\); /);
    expect(problem.hint).toBe('draw less (split the diagram, shorten loops or notes), or raise the budget with --max-text-bytes 20');
    const compact = wiregram(['check', 'hs.tcpseq', '--max-text-bytes=10', '--format', 'compact'], { cwd: dir });
    expect(compact.stdout).toMatch(/^hs\.tcpseq:2:1: error: the diagram needs more than 10 bytes of text \(--max-text-bytes\); a state change reaches \d+ \[over-budget\]$/m);
    expect(wiregram(['check', 'hs.tcpseq', '--max-text-bytes', '100000'], { cwd: dir }).code).toBe(0);
  });

  it('deck: --max-pages, with the step deck advice; a deck within it has its pages', () => {
    const dir = tempProject({ 'hs.tcpseq': HANDSHAKE });
    const r = wiregram(['deck', 'hs.tcpseq', '--steps', '-o', 'deck.pdf', '--max-pages', '3'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hs.tcpseq: error: the PDF would have more than 3 pages (--max-pages) [over-budget]');
    expect(r.stderr).toContain('hint: a step deck has one page per segment: draw fewer segments, or leave out steps; split the deck, or raise the budget with --max-pages 6');
    expect(listFiles(dir)).toEqual(['hs.tcpseq']);
    const ok = wiregram(['deck', 'hs.tcpseq', '--steps', '-o', 'deck.pdf', '--max-pages', '4'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(execFileSync('pdfinfo', [join(dir, 'deck.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+4\b/);
  });

  it('render: --max-page-bytes counts the images of one input file, at the diagram that crosses it', () => {
    const dir = tempProject({ 'doc.md': DOC, 'one.md': DOC.slice(0, DOC.indexOf('```\n') + 4) });
    const first = wiregram(['render', 'one.md', '--max-page-bytes', '100000000'], { cwd: dir });
    expect(first.code).toBe(0);
    const one = readFileSync(join(dir, 'one-1.svg')).length;
    // Room for one diagram, not two: doc.md fails at its second fence (line 13), one.md is within it.
    const budget = String(Math.ceil(one * 1.5));
    const r = wiregram(['render', 'doc.md', 'one.md', '-o', 'out', '--max-page-bytes', budget], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^doc\\.md:13:1: error: the diagrams of this file add up to more than ${Number(budget).toLocaleString('en-US')} bytes of SVG \\(--max-page-bytes\\); diagram 2 brings them to [\\d,]+ \\[over-budget\\]`, 'm'));
    expect(r.stderr).toContain(`hint: split the file, draw smaller diagrams, or raise the budget with --max-page-bytes ${Number(budget) * 2}`);
    expect(r.stderr).toContain('1 error in 1 file; nothing was written');
    expect(listFiles(join(dir, 'out'))).toEqual([]);
    expect(wiregram(['render', 'doc.md', 'one.md', '-o', 'out', '--max-page-bytes', String(one * 3)], { cwd: dir }).code).toBe(0);
    expect(listFiles(join(dir, 'out'))).toEqual(['.wiregram-outputs.json', 'doc-1.svg', 'doc-2.svg', 'one-1.svg']);
  });

  it('from the API the same error names the option instead', () => {
    let error: { code?: string; reason?: string; hint?: string } = {};
    try {
      layoutSource(BIG, { language: 'packet-header' });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe('over-budget');
    expect(error.reason).toContain('(maxElements)');
    expect(error.hint).toBe('draw less (split the diagram, shorten loops or notes), or raise the budget with the option maxElements (e.g. { maxElements: 120000 })');
  });
});

describe('budget flags take whole numbers greater than 0', () => {
  const dir = tempProject({ 'hs.tcpseq': HANDSHAKE });
  for (const [args, shown] of [
    [['render', 'hs.tcpseq', '--max-elements', '0'], "invalid value '0' for --max-elements: expected a whole number greater than 0"],
    [['render', 'hs.tcpseq', '--max-elements=1e5'], "invalid value '1e5' for --max-elements: expected a whole number greater than 0"],
    [['check', 'hs.tcpseq', '--max-text-bytes', '12.5'], "invalid value '12.5' for --max-text-bytes: expected a whole number greater than 0"],
    [['deck', 'hs.tcpseq', '-o', 'd.pdf', '--max-pages', 'ten'], "invalid value 'ten' for --max-pages: expected a whole number greater than 0"],
    [['deck', 'hs.tcpseq', '-o', 'd.pdf', '--max-pages', '-3'], 'option --max-pages needs a value (N)'],
    [['render', 'hs.tcpseq', '--max-page-bytes', '99999999999999999999'], "invalid value '99999999999999999999' for --max-page-bytes: expected a whole number greater than 0"],
  ] as const) {
    it(`${args.join(' ')}`, () => {
      const r = wiregram([...args], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`wiregram: error: ${shown}`);
      expect(listFiles(dir)).toEqual(['hs.tcpseq']);
    });
  }

  it('the hint gives an example; a command without the budget does not take the flag', () => {
    expect(wiregram(['render', 'hs.tcpseq', '--max-elements', 'x'], { cwd: dir }).stderr).toContain('hint: e.g. --max-elements 120000');
    const deck = wiregram(['deck', 'hs.tcpseq', '-o', 'd.pdf', '--max-page-bytes', '5'], { cwd: dir });
    expect(deck.code).toBe(2);
    expect(deck.stderr).toContain("unknown option '--max-page-bytes' for 'wiregram deck'");
    expect(wiregram(['import', 'x.pcap', '--max-elements', '5'], { cwd: dir }).stderr).toContain("unknown option '--max-elements' for 'wiregram import'");
  });
});

describe('--help lists every budget flag with the default the packages use', () => {
  const flags: Record<string, Array<[string, number]>> = {
    render: [
      ['--max-elements N', DEFAULT_BUDGET.maxElements],
      ['--max-text-bytes N', DEFAULT_BUDGET.maxTextBytes],
      ['--max-page-bytes N', DEFAULT_MAX_PAGE_BYTES],
    ],
    deck: [
      ['--max-elements N', DEFAULT_BUDGET.maxElements],
      ['--max-text-bytes N', DEFAULT_BUDGET.maxTextBytes],
      ['--max-pages N', DEFAULT_MAX_PAGES],
    ],
    check: [
      ['--max-elements N', DEFAULT_BUDGET.maxElements],
      ['--max-text-bytes N', DEFAULT_BUDGET.maxTextBytes],
    ],
  };
  for (const [command, list] of Object.entries(flags)) {
    it(command, () => {
      const help = wiregram([command, '--help'], { cwd: process.cwd() }).stdout.replace(/\n {20,}/g, ' ');
      for (const [flag, n] of list) expect(help).toMatch(new RegExp(`${flag} .*\\(default: ${n}\\)`));
    });
  }
});
