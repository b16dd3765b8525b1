import { describe, expect, it } from 'vitest';
import remarkWiregram from 'remark-wiregram';
import wiregram, { STARLIGHT_DARK_SELECTOR } from '@wiregram/astro';

function setup(integrations: Array<{ name: string }>, options = {}, remarkPlugins: unknown[] = []) {
  const updates: unknown[][] = [];
  wiregram(options).hooks['astro:config:setup']({
    config: { integrations, markdown: { remarkPlugins } },
    updateConfig: (c) => updates.push(c.markdown.remarkPlugins),
  });
  return updates;
}

describe('@wiregram/astro', () => {
  it('adds remark-wiregram to the Markdown config (mdx extends it), following the reader\'s colour scheme', () => {
    const [plugins] = setup([{ name: '@astrojs/mdx' }, { name: '@wiregram/astro' }], { labelStyle: 'flags' });
    const [plugin, options] = plugins![0] as [unknown, Record<string, unknown>];
    expect(plugin).toBe(remarkWiregram);
    expect(options).toEqual({ labelStyle: 'flags' });
  });

  it('picks Starlight\'s toggle when Starlight is in the site; an explicit selector wins', () => {
    expect((setup([{ name: '@astrojs/starlight' }])[0]![0] as [unknown, { darkSelector: string }])[1].darkSelector).toBe(STARLIGHT_DARK_SELECTOR);
    expect((setup([{ name: '@astrojs/starlight' }], { darkSelector: '.dark' })[0]![0] as [unknown, { darkSelector: string }])[1].darkSelector).toBe('.dark');
  });

  it('fails the build at its end when a page failed in strict mode (hosts that swallow page errors)', async () => {
    const { unified } = await import('unified');
    const { default: remarkParse } = await import('remark-parse');
    const integration = wiregram();
    integration.hooks['astro:config:setup']({ config: { integrations: [] }, updateConfig: () => undefined });
    expect(() => integration.hooks['astro:build:done']()).not.toThrow();
    expect(() => unified().use(remarkParse).use(remarkWiregram, { strict: true, log: false }).runSync(unified().use(remarkParse).parse('```tcp-sequence\nbogus\n```\n'))).toThrow(/strict mode/);
    expect(() => integration.hooks['astro:build:done']()).toThrow(/wiregram strict mode: 1 problem/);
  });

  it('adds nothing when the site already lists remark-wiregram', () => {
    expect(setup([], {}, [[remarkWiregram, {}]])).toHaveLength(0);
  });
});
