import { describe, expect, it } from 'vitest';
import remarkWiregram from 'remark-wiregram';
import { DOCUSAURUS_DARK_SELECTOR, withWiregram, wiregramRemarkPlugin } from '@wiregram/docusaurus';

const plugin = (list: unknown) => (list as unknown[]).find((p) => Array.isArray(p) && p[0] === remarkWiregram) as [unknown, Record<string, unknown>] | undefined;

describe('withWiregram', () => {
  it('adds remark-wiregram to the classic preset docs, blog and pages, with the site toggle and React-safe styles', () => {
    const config = { title: 'x', presets: [['classic', { docs: { sidebarPath: './sidebars.js', remarkPlugins: ['keep'] }, blog: { showReadingTime: true }, theme: { customCss: './c.css' } }]] };
    const out = withWiregram(config, { labelStyle: 'flags' });
    const [name, opts] = out.presets[0] as [string, Record<string, { remarkPlugins: unknown[] }>];
    expect(name).toBe('classic');
    for (const key of ['docs', 'blog', 'pages']) {
      const entry = plugin(opts[key]!.remarkPlugins);
      expect(entry?.[1]).toMatchObject({ darkSelector: DOCUSAURUS_DARK_SELECTOR, react: true, labelStyle: 'flags' });
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
  });

  it('wiregramRemarkPlugin lets options override the defaults', () => {
    expect(wiregramRemarkPlugin({ darkSelector: 'html.dark' })[1]).toMatchObject({ darkSelector: 'html.dark', react: true });
  });
});
