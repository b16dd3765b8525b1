/**
 * @wiregram/eleventy: an Eleventy 3 plugin.
 *
 *   // eleventy.config.js
 *   import wiregram from '@wiregram/eleventy';
 *   export default (eleventyConfig) => { eleventyConfig.addPlugin(wiregram); };
 *
 * - A preprocessor keeps diagram fences away from Liquid/Nunjucks, which Eleventy runs over `.md` first (see
 *   `FenceStash`): `{{ x }}` in a label stays, `{% raw %}` in a block cannot break the build — fences found by
 *   a markdown-it parse, so those in list items, blockquotes and `~~~` fences are kept away too.
 * - markdown-it-wiregram is added to Eleventy's markdown-it (`amendLibrary`); each page renders with its own
 *   `env` whose `path` is the page's input file, so capture files resolve and problems are reported against it.
 * - Dark mode: the reader's `prefers-color-scheme` by default; `darkClass` / `darkSelector` for a site toggle.
 */
import { resolve } from 'node:path';
import markdownItWiregram, { type MarkdownItLike, type MarkdownItWiregramOptions, type RenderRule, type WiregramEnv } from 'markdown-it-wiregram';
import { FenceStash } from './stash.js';

export { FenceStash, STASH_LANGUAGE, type MarkdownParse, type StashedFence } from './stash.js';

export type EleventyWiregramOptions = MarkdownItWiregramOptions & {
  /**
   * Hide fences from the template engine (default true). Turn off only with `markdownTemplateEngine: false`,
   * or when you want Liquid to write diagram text.
   */
  protectFences?: boolean;
};

/** The parts of Eleventy's config API the plugin uses (Eleventy 3). */
export interface EleventyConfigLike {
  addPreprocessor(name: string, extensions: string, fn: (data: unknown, content: string) => string | undefined | void): void;
  amendLibrary(name: 'md', fn: (md: any) => void): void;
}

type MarkdownItWithRender = MarkdownItLike & { render(src: string, env?: any): string; parse?(src: string, env?: any): any[] };

/** Adds wiregram (and the fence restorer) to a markdown-it instance. */
export function useWiregram(md: MarkdownItWithRender, options: EleventyWiregramOptions = {}, stash: FenceStash | null = null): void {
  const { protectFences: _p, ...pluginOptions } = options;
  markdownItWiregram(md, pluginOptions);
  if (stash) {
    const inner = md.renderer.rules.fence!;
    const fence: RenderRule = (tokens, idx, mdOptions, env, self) => {
      const token = tokens[idx] as { info: string; content: string };
      const original = stash.lookup(token.info);
      if (original) {
        token.info = original.info;
        token.content = original.content;
      }
      return inner(tokens, idx, mdOptions, env, self);
    };
    md.renderer.rules.fence = fence;
    // The document text the plugin keeps for code frames and columns: the author's, not the placeholders.
    md.core.ruler.push('wiregram_unstash', (state) => {
      const kept = (state.env as { wiregram?: WiregramEnv } | undefined)?.wiregram;
      if (kept?.source) kept.source = stash.restore(kept.source);
    });
  }
  const render = md.render.bind(md);
  // Eleventy passes the page's data cascade as `env`. Render with a child of it instead: reads still see the
  // data, while `path` (the input file) and the plugin's bookkeeping never land in (or clash with) user data.
  md.render = (src: string, env?: any) => {
    const input = env?.page?.inputPath;
    if (!env || typeof env !== 'object' || typeof input !== 'string') return render(src, env);
    const child = Object.create(env) as Record<string, unknown>;
    child.path = resolve(input);
    child.wiregram = undefined;
    return render(src, child);
  };
}

/** The Eleventy plugin: `eleventyConfig.addPlugin(wiregram, options)`. */
export default function wiregramEleventy(eleventyConfig: EleventyConfigLike, options: EleventyWiregramOptions = {}): void {
  const stash = options.protectFences === false ? null : new FenceStash();
  // Fences are found by the markdown-it that renders the page (with the site's own plugins) once Eleventy has
  // made it; markdown-it's defaults until then.
  let site: MarkdownItWithRender | null = null;
  const parse = (src: string) => site!.parse!(src, {});
  if (stash) {
    eleventyConfig.addPreprocessor('wiregram', 'md', (_data, content) =>
      typeof content === 'string' ? (stash.protect(content, site?.parse ? parse : undefined) ?? undefined) : undefined,
    );
  }
  eleventyConfig.amendLibrary('md', (md: MarkdownItWithRender) => {
    site = md;
    useWiregram(md, options, stash);
  });
}
