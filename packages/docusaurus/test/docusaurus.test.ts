import { describe, expect, it } from 'vitest';
import remarkWiregram from 'remark-wiregram';
import { DOCUSAURUS_DARK_SELECTOR, withWiregram, wiregramRemarkPlugin, wiregramStylesPlugin } from '@wiregram/docusaurus';

const plugin = (list: unknown) => (list as unknown[]).find((p) => Array.isArray(p) && p[0] === remarkWiregram) as [unknown, Record<string, unknown>] | undefined;

describe('withWiregram', () => {
  it('adds remark-wiregram to the classic preset docs, blog and pages, with the site toggle and React-safe styles', () => {
    const config = { title: 'x', presets: [['classic', { docs: { sidebarPath: './sidebars.js', remarkPlugins: ['keep'] }, blog: { showReadingTime: true }, theme: { customCss: './c.css' } }]] };
    const out = withWiregram(config, { labelStyle: 'flags' });
    const [name, opts] = out.presets[0] as [string, Record<string, { remarkPlugins: unknown[] }>];
    expect(name).toBe('classic');
    for (const key of ['docs', 'blog', 'pages']) {
      const entry = plugin(opts[key]!.remarkPlugins);
      expect(entry?.[1]).toMatchObject({ darkSelector: DOCUSAURUS_DARK_SELECTOR, styles: 'external', labelStyle: 'flags' });
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
    // The head stylesheet plugin, once however often the config is wrapped.
    expect(twice.plugins).toHaveLength(3);
    expect(typeof twice.plugins[2]).toBe('function');
  });

  it('puts one page stylesheet into the head (outside React), dark under the site toggle; none when diagrams carry theirs', () => {
    const out = withWiregram({ presets: [['classic', {}]] });
    const plugins = (out as unknown as { plugins: Array<() => { name: string; injectHtmlTags: () => { headTags: Array<{ tagName: string; attributes: Record<string, string>; innerHTML: string }> } }> }).plugins;
    expect(plugins).toHaveLength(1);
    const { headTags } = plugins[0]!().injectHtmlTags();
    expect(headTags).toHaveLength(1);
    expect(headTags[0]).toMatchObject({ tagName: 'style', attributes: { class: 'wiregram-styles' } });
    const css = headTags[0]!.innerHTML;
    expect(css).toContain('.wg-diagram{max-width:100%');
    expect(css).toContain('[data-theme=dark] .wg-diagram:not(.wg-light){');
    expect(css).not.toContain('prefers-color-scheme');
    expect(css).not.toMatch(/[<&"']/);
    // `styles: 'inline'` (each diagram its own <style>) or 'page' (in the document): no head plugin.
    expect((withWiregram({ presets: [['classic', {}]] }, { styles: 'inline' }) as { plugins?: unknown[] }).plugins).toBeUndefined();
    expect(() => wiregramStylesPlugin({ darkSelector: '}</style><script>' })).toThrow(/darkSelector/);
  });

  it('wiregramRemarkPlugin lets options override the defaults', () => {
    expect(wiregramRemarkPlugin({ darkSelector: 'html.dark' })[1]).toMatchObject({ darkSelector: 'html.dark', styles: 'external' });
  });
});
