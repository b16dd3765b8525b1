/**
 * @wiregram/astro: an Astro integration that puts remark-wiregram into Astro's Markdown pipeline — `.md` pages,
 * content collections, and `.mdx` through @astrojs/mdx (which extends the Markdown config by default):
 *
 *   import wiregram from '@wiregram/astro';
 *   export default defineConfig({ integrations: [mdx(), wiregram()] });   // or [starlight({…}), wiregram()]
 *
 * With Starlight in the site, dark mode follows Starlight's toggle (`[data-theme='dark']` on `<html>`);
 * without it, the reader's `prefers-color-scheme`. Errors are printed to the build log as
 * `file:line:col: message [code]` with the file's real line (front matter counted); `WIREGRAM_STRICT=1` (or
 * `strict: true`) fails the build. Astro 5 runs on Node 18.20.8, 20.3+ and 22; Astro 6 needs Node ≥ 22.12.
 */
import remarkWiregram, { strictFailures, type RemarkWiregramOptions } from 'remark-wiregram';

/** The attribute Starlight's theme toggle sets on `<html>`. */
export const STARLIGHT_DARK_SELECTOR = "[data-theme='dark']";

export type WiregramAstroOptions = RemarkWiregramOptions;

/** The part of Astro's integration API used here (typed structurally: no dependency on a given Astro version). */
export interface AstroIntegrationLike {
  name: string;
  hooks: {
    'astro:config:setup': (params: {
      config: { integrations: Array<{ name: string }>; markdown?: { remarkPlugins?: unknown[] } };
      updateConfig: (config: { markdown: { remarkPlugins: unknown[] } }) => unknown;
      logger?: { warn: (message: string) => void };
    }) => void;
    'astro:build:done': () => void;
  };
}

/** The remark-wiregram options for a site: Starlight's dark selector when Starlight is in `integrations`. */
export function astroRemarkOptions(integrations: ReadonlyArray<{ name: string }>, options: WiregramAstroOptions = {}): RemarkWiregramOptions {
  const starlight = integrations.some((i) => i.name === '@astrojs/starlight');
  return { ...(starlight ? { darkSelector: STARLIGHT_DARK_SELECTOR } : {}), ...options };
}

export default function wiregram(options: WiregramAstroOptions = {}): AstroIntegrationLike {
  return {
    name: '@wiregram/astro',
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        strictFailures().length = 0;
        const already = (config.markdown?.remarkPlugins ?? []).some((p) => p === remarkWiregram || (Array.isArray(p) && p[0] === remarkWiregram));
        if (already) return;
        // Astro merges arrays: this appends to the site's own remarkPlugins.
        updateConfig({ markdown: { remarkPlugins: [[remarkWiregram, astroRemarkOptions(config.integrations, options)]] } });
      },
      // Strict mode: Astro's content loaders (Starlight's docs) catch a page's error, log it and build on; the
      // build fails here instead, with every failure listed.
      'astro:build:done': () => {
        const failures = strictFailures();
        if (failures.length) throw new Error(failures.join('\n'));
      },
    },
  };
}
