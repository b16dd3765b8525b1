/**
 * @wiregram/vitepress: markdown-it-wiregram set up the way a VitePress site needs it.
 *
 *   // .vitepress/config.mts
 *   import { withWiregram } from '@wiregram/vitepress';
 *   export default withWiregram(defineConfig({ … }));
 *
 * - `vue: true`: VitePress compiles each page into a Vue template (keeps the diagram `<style>`, keeps `{{ }}` text).
 * - `darkClass: 'dark'`: VitePress's appearance switch toggles `dark` on `<html>`.
 * - Code groups (`::: code-group`): VitePress labels tabs from `[title]` and marks the first block `active` in the
 *   fence's info string; both are taken off before wiregram reads its own options, and the diagram is wrapped in
 *   the `.vp-block` VitePress shows and hides per tab.
 * - Broken blocks are reported by markdown-it-wiregram (build log, error box); `env.path` is the page's file.
 */
import markdownItWiregram, { fenceLanguage, type MarkdownItLike, type MarkdownItWiregramOptions, type RenderRule } from 'markdown-it-wiregram';

export type VitePressWiregramOptions = MarkdownItWiregramOptions;

interface VitePressLikeConfig {
  markdown?: { config?: (md: any) => void | Promise<void>; [key: string]: unknown };
  [key: string]: unknown;
}

/** The defaults VitePress needs; explicit options win. */
export function vitepressOptions(options: VitePressWiregramOptions = {}): VitePressWiregramOptions {
  const dark = options.darkSelector || options.theme === 'light' || options.theme === 'dark' ? {} : { darkClass: 'dark' };
  return { vue: true, ...dark, ...options };
}

/** Adds wiregram to a markdown-it instance as VitePress's `markdown.config` hook would. */
export function useWiregram(md: MarkdownItLike, options: VitePressWiregramOptions = {}): void {
  markdownItWiregram(md, vitepressOptions(options));
  const inner = md.renderer.rules.fence!;
  const fence: RenderRule = (tokens, idx, mdOptions, env, self) => {
    const token = tokens[idx] as { info: string };
    if (!fenceLanguage(token.info)) return inner(tokens, idx, mdOptions, env, self);
    const group = inCodeGroup(tokens, idx);
    const active = / active( |$)/.test(token.info);
    if (group) {
      // As VitePress's own pre-wrapper does for code: the tab title and the `active` mark are not fence options.
      token.info = token.info.replace(/\[.*\]/, '').replace(/ active$/, '').replace(/ active /, ' ');
    }
    const html = inner(tokens, idx, mdOptions, env, self);
    return group ? `<div class="vp-block wiregram-block${active ? ' active' : ''}">${html}</div>\n` : html;
  };
  md.renderer.rules.fence = fence;
}

/** For `markdown.config`: `markdown: { config: wiregramMarkdown({ labelStyle: 'flags' }) }`. */
export function wiregramMarkdown(options: VitePressWiregramOptions = {}): (md: MarkdownItLike) => void {
  return (md) => useWiregram(md, options);
}

/** Wraps a whole VitePress config, keeping a `markdown.config` it already has (that one runs first). */
export function withWiregram<C extends VitePressLikeConfig>(config: C, options: VitePressWiregramOptions = {}): C {
  const before = config.markdown?.config;
  return {
    ...config,
    markdown: {
      ...config.markdown,
      config: async (md: MarkdownItLike) => {
        if (before) await before(md);
        useWiregram(md, options);
      },
    },
  };
}

/** Is the fence at `idx` inside `::: code-group`? (Containers nest; count opens and closes walking back.) */
function inCodeGroup(tokens: Array<{ type: string }>, idx: number): boolean {
  let depth = 0;
  for (let i = idx - 1; i >= 0; i--) {
    const type = tokens[i]!.type;
    if (type === 'container_code-group_close') depth++;
    else if (type === 'container_code-group_open') {
      if (depth === 0) return true;
      depth--;
    }
  }
  return false;
}

export default withWiregram;
