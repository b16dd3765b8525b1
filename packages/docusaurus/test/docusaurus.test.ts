import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { DOCUSAURUS_DARK_SELECTOR, remarkWiregramRecorded, replayUnchanged, withWiregram, wiregramRemarkPlugin, wiregramStylesPlugin, type DiagnosticsStore } from '@wiregram/docusaurus';

const plugin = (list: unknown) => (list as unknown[]).find((p) => Array.isArray(p) && p[0] === remarkWiregramRecorded) as [unknown, Record<string, unknown>] | undefined;

describe('withWiregram', () => {
  it('adds remark-wiregram to the classic preset docs, blog and pages, with the site toggle and React-safe styles', () => {
    const config = { title: 'x', presets: [['classic', { docs: { sidebarPath: './sidebars.js', remarkPlugins: ['keep'] }, blog: { showReadingTime: true }, theme: { customCss: './c.css' } }]] };
    const out = withWiregram(config, { labelStyle: 'flags' });
    const [name, opts] = out.presets[0] as [string, Record<string, { remarkPlugins: unknown[] }>];
    expect(name).toBe('classic');
    for (const key of ['docs', 'blog', 'pages']) {
      const entry = plugin(opts[key]!.remarkPlugins);
      expect(entry?.[1]).toMatchObject({ darkSelector: DOCUSAURUS_DARK_SELECTOR, styles: 'external', labelStyle: 'flags' });
      expect(entry?.[1].diagnostics).toBeDefined();
    }
    expect(opts.docs!.remarkPlugins[0]).toBe('keep');
    expect((opts.docs as unknown as { sidebarPath: string }).sidebarPath).toBe('./sidebars.js');
    expect(opts.theme).toEqual({ customCss: './c.css' });
    // The input is left as it was.
    expect((config.presets[0]![1] as { docs: { remarkPlugins: unknown[] } }).docs.remarkPlugins).toEqual(['keep']);
  });

  it('leaves a disabled section off, adds once, and handles content plugins listed on their own', () => {
    const config = { presets: [['@docusaurus/preset-classic', { blog: false }]], plugins: [['@docusaurus/plugin-content-docs', { id: 'api', path: 'api' }], 'some-other-plugin'] };
    const twice = withWiregram(withWiregram(config));
    const opts = twice.presets[0]![1] as Record<string, unknown>;
    expect(opts.blog).toBe(false);
    expect((opts.docs as { remarkPlugins: unknown[] }).remarkPlugins).toHaveLength(1);
    const docs = twice.plugins[0] as [string, { id: string; remarkPlugins: unknown[] }];
    expect(docs[1].id).toBe('api');
    expect(plugin(docs[1].remarkPlugins)).toBeDefined();
    expect(twice.plugins[1]).toBe('some-other-plugin');
    // The diagnostics plugin (postBuild) and the head stylesheet plugin, each once however often the config is wrapped.
    expect(twice.plugins).toHaveLength(4);
    expect(twice.plugins.filter((p) => typeof p === 'function')).toHaveLength(2);
  });

  it('puts one page stylesheet into the head (outside React), dark under the site toggle; none when diagrams carry theirs', () => {
    type Tags = { headTags: Array<{ tagName: string; attributes: Record<string, string>; innerHTML: string }> };
    const stylesOf = (config: unknown) => ((config as { plugins?: unknown[] }).plugins ?? []).filter((p): p is () => { injectHtmlTags: () => Tags } => typeof p === 'function' && Symbol.for('wiregram.docusaurus.styles') in p);
    const styles = stylesOf(withWiregram({ presets: [['classic', {}]] }));
    expect(styles).toHaveLength(1);
    const { headTags } = styles[0]!().injectHtmlTags();
    expect(headTags).toHaveLength(1);
    expect(headTags[0]).toMatchObject({ tagName: 'style', attributes: { class: 'wiregram-styles' } });
    const css = headTags[0]!.innerHTML;
    expect(css).toContain('.wg-diagram{max-width:100%');
    expect(css).toContain('[data-theme=dark] .wg-diagram:not(.wg-light){');
    expect(css).not.toContain('prefers-color-scheme');
    expect(css).not.toMatch(/[<&"']/);
    // `styles: 'inline'` (each diagram its own <style>) or 'page' (in the document): no head plugin.
    expect(stylesOf(withWiregram({ presets: [['classic', {}]] }, { styles: 'inline' }))).toHaveLength(0);
    expect(() => wiregramStylesPlugin({ darkSelector: '}</style><script>' })).toThrow(/darkSelector/);
  });

  it('wiregramRemarkPlugin lets options override the defaults', () => {
    expect(wiregramRemarkPlugin({ darkSelector: 'html.dark' })[1]).toMatchObject({ darkSelector: 'html.dark', styles: 'external' });
  });
});

describe('problems on a warm-cache build', () => {
  const site = mkdtempSync(join(tmpdir(), 'wg-docusaurus-'));
  afterAll(() => rmSync(site, { recursive: true, force: true }));
  const bad = join(site, 'bad.md');
  const good = join(site, 'good.md');
  writeFileSync(bad, '# Bad\n\n```tcp-sequence\nparticipant a\nparticipant b\na -> b: PSH, ACK len=1\n```\n');
  writeFileSync(good, '# Good\n\n```packet-header\nudp\n```\n');

  /** What Docusaurus does per build: the plugin function (set-up), the loader on the pages it compiles, postBuild. */
  function build(compile: string[], env: { strict?: boolean } = {}) {
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);
    const config = withWiregram({ presets: [['classic', {}]] }, { log, ...env });
    const diagnostics = ((config as { plugins?: unknown }).plugins as Array<(ctx: { siteDir: string }) => { postBuild: () => Promise<void> }>)[0]!({ siteDir: site });
    const [, options] = plugin((config.presets[0]![1] as { docs: { remarkPlugins: unknown[] } }).docs.remarkPlugins)!;
    for (const path of compile) {
      const processor = unified().use(remarkParse).use(remarkWiregramRecorded, options).use(remarkRehype);
      const file = { path, value: '' } as { path: string; value: string };
      file.value = readFileSync(path, 'utf8');
      try {
        processor.runSync(processor.parse(file.value), file as never);
      } catch (e) {
        lines.push(`threw: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    return { lines, postBuild: () => diagnostics.postBuild() };
  }

  it('a page the cache skipped is reported again after the build; a changed or fixed page is not', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1000);
      const cold = build([bad, good]);
      await cold.postBuild();
      expect(cold.lines).toHaveLength(1);
      expect(cold.lines[0]).toMatch(/bad\.md:6:1: .*\[no-connection\]/);
      expect(readdirSync(join(site, 'node_modules', '.cache', 'wiregram'))).toHaveLength(2);

      // Warm: nothing compiled; the bad page's problem comes from the record, once.
      vi.setSystemTime(2000);
      const warm = build([]);
      await warm.postBuild();
      expect(warm.lines).toEqual(cold.lines);

      // Strict on a warm build fails after it, listing the problem.
      vi.setSystemTime(3000);
      const strict = build([], { strict: true });
      await expect(strict.postBuild()).rejects.toThrow(/wiregram strict mode: 1 problem in [^\n]*bad\.md[\s\S]*bad\.md:6:1: a cannot send data/);

      // The page changed and was compiled again: said live, not replayed a second time.
      vi.setSystemTime(4000);
      writeFileSync(bad, '# Bad\n\n\n```tcp-sequence\nparticipant a\nparticipant b\na -> b: PSH, ACK len=1\n```\n');
      const changed = build([bad]);
      await changed.postBuild();
      expect(changed.lines).toHaveLength(1);
      expect(changed.lines[0]).toMatch(/bad\.md:7:1: /);

      // Changed on disk but not compiled (no longer part of the site): its old record is not replayed.
      vi.setSystemTime(5000);
      writeFileSync(bad, 'gone from the site\n');
      const stale = build([]);
      await stale.postBuild();
      expect(stale.lines).toEqual([]);

      // Fixed: compiled without problems, so nothing is replayed afterwards.
      vi.setSystemTime(6000);
      writeFileSync(bad, '# Fixed\n');
      build([bad]);
      vi.setSystemTime(7000);
      const after = build([]);
      await after.postBuild();
      expect(after.lines).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a store without a folder, or an unreadable record, is nothing to replay', () => {
    const store: DiagnosticsStore = { dir: null, since: 0 };
    expect(() => replayUnchanged(store, false, true)).not.toThrow();
    const dir = join(site, 'junk');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x.json'), '{not json');
    writeFileSync(join(dir, 'y.json'), JSON.stringify({ path: bad, hash: 'x', written: 0, reports: [{ nonsense: true }] }));
    expect(() => replayUnchanged({ dir, since: Date.now() }, false, true)).not.toThrow();
  });
});
