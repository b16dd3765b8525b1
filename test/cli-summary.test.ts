/**
 * The CLI's stderr summary for several inputs: one line per input and a total, separated by real newlines (it once
 * escaped the joined text, printing a literal `\x0a`). Lives here, beside the other cross-package tests, so the
 * CLI package itself keeps only its one-line fix.
 */
import { describe, expect, it } from 'vitest';
import { ensureBuilt, HANDSHAKE, MARKDOWN, tempProject, wiregram } from '../packages/cli/test/helpers.js';

describe('wiregram render: the summary of several inputs', () => {
  it('prints one line per input and the total on its own line', () => {
    ensureBuilt();
    const dir = tempProject({ 'a.md': MARKDOWN, 'b.md': MARKDOWN, 'hs.tcpseq': HANDSHAKE });
    const r = wiregram(['render', 'a.md', 'b.md', 'hs.tcpseq', '-o', 'out'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\\x0a');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toContain('5 diagrams from 3 files: 5 written, 0 unchanged');
    expect(lines.filter((l) => /^(a\.md|b\.md|hs\.tcpseq) → /.test(l))).toHaveLength(3);
  });
});
