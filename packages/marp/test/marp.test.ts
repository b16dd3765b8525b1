/**
 * @wiregram/marp without Marp CLI: the engine on real markdown-it standing in for Marp Core (Marp CLI calls
 * `render(markdown)` with the file's text and nothing else), over real files in a temporary folder. The real
 * Marp CLI conversion (several files, `--input-dir`) is test/hosts/marp.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLineInputs, inputFileFinder, marpOptions, wiregramEngine, type MarpLike } from '@wiregram/marp';

const dir = mkdtempSync(join(tmpdir(), 'wg-marp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BROKEN = '```tcp-sequence\nparticipant client\nparticipant server\nclient -> server: PSH, ACK len=100\n```\n';
const deckA = `---\nmarp: true\n---\n\n# A\n\n${BROKEN}`;
// The same block further down: a match by anything but the whole text would give the wrong line.
const deckB = `---\nmarp: true\ntheme: gaia\npaginate: true\n---\n\n# B\n\n---\n\n${BROKEN}`;
mkdirSync(join(dir, 'decks', 'sub'), { recursive: true });
mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
writeFileSync(join(dir, 'a.md'), deckA);
writeFileSync(join(dir, 'decks', 'b.md'), deckB);
writeFileSync(join(dir, 'decks', 'sub', 'c.markdown'), '\ufeff' + deckA.replace('# A', '# C'));
writeFileSync(join(dir, 'decks', 'notes.txt'), deckA);
writeFileSync(join(dir, 'node_modules', 'pkg', 'README.md'), '# not a deck\n');
writeFileSync(join(dir, 'engine.mjs'), 'export default () => {}\n');

/** Marp Core as far as the engine is concerned: markdown-it that takes plugins and renders with an env. */
function fakeMarp(): MarpLike {
  const md = new MarkdownIt({ html: true });
  const marp: MarpLike = {
    use: (plugin, options) => {
      md.use(plugin as never, options);
      return marp;
    },
    render: (markdown, env = {}) => md.render(markdown, env),
  };
  return marp;
}

function convert(argv: string[], markdown: string): { html: string; lines: string[] } {
  const lines: string[] = [];
  const engine = wiregramEngine({ log: (line) => void lines.push(line), findInput: inputFileFinder(argv, dir) })({ marp: fakeMarp() });
  return { html: String(engine.render(markdown)), lines };
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('@wiregram/marp', () => {
  it('reads the command line as Marp CLI does: files, folders (--input-dir), --option=value; other files drop out', () => {
    expect(commandLineInputs(['--engine', './engine.mjs', 'a.md', '-I', 'decks', 'missing.md', '--theme=engine.mjs'], dir)).toEqual([
      join(dir, 'a.md'),
      join(dir, 'decks', 'b.md'),
      join(dir, 'decks', 'sub', 'c.markdown'),
    ]);
    expect(commandLineInputs(['--input-dir=decks/sub'], dir)).toEqual([join(dir, 'decks', 'sub', 'c.markdown')]);
  });

  it('each render names its own file at the true line (front matter counted), several files and --input-dir alike', () => {
    const a = convert(['a.md', 'decks/b.md'], deckA);
    const b = convert(['a.md', 'decks/b.md'], deckB);
    expect(a.lines).toHaveLength(1);
    expect(a.lines[0]).toMatch(new RegExp(`^${join(dir, 'a.md').replace(/[.\\]/g, '\\$&')}:${lineOf(deckA, 'PSH')}:1: .*\\[no-connection\\]`));
    expect(b.lines[0]).toContain(`${join(dir, 'decks', 'b.md')}:${lineOf(deckB, 'PSH')}:1: `);
    expect(lineOf(deckA, 'PSH')).not.toBe(lineOf(deckB, 'PSH'));
    // --input-dir: a file with a byte-order mark (Marp CLI strips it before rendering) is still found.
    const c = convert(['--input-dir', 'decks'], deckA.replace('# A', '# C'));
    expect(c.lines[0]).toContain(`${join(dir, 'decks', 'sub', 'c.markdown')}:${lineOf(deckA, 'PSH')}:1: `);
    // The page's error box still shows no path.
    expect(a.html).toContain('wiregram-error');
    expect(a.html).not.toContain(dir);
  });

  it('not on the command line (a config file, the API): found under the working directory; text of no file: <markdown>', () => {
    expect(convert([], deckB).lines[0]).toContain(`${join(dir, 'decks', 'b.md')}:`);
    const unknown = convert(['a.md'], `# stdin\n\n${BROKEN}`);
    expect(unknown.lines[0]).toMatch(/^<markdown>:6:1: /);
    // node_modules and non-Markdown files are never candidates.
    expect(inputFileFinder([], dir)('# not a deck\n')).toBeNull();
  });

  it("picks Marp's dark slides (`section.invert`) unless a dark mode is given", () => {
    expect(marpOptions()).toEqual({ darkSelector: 'section.invert' });
    expect(marpOptions({ darkClass: 'dark' })).toEqual({ darkClass: 'dark' });
    expect(marpOptions({ theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(convert(['a.md'], '```packet-header\nudp\n```\n').html).toContain('section.invert');
  });
});
