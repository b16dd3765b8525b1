/**
 * @wiregram/docusaurus: one line in `docusaurus.config.js` puts remark-wiregram into every Markdown/MDX content
 * plugin of the site — the classic preset's docs, blog and pages, and content plugins listed on their own:
 *
 *   export default withWiregram(config);
 *
 * What it sets for Docusaurus: dark mode under `[data-theme='dark']` (the site's own toggle, not the reader's
 * system setting), and React-safe `<style>` (Docusaurus's HTML minifier rewrites it; without the mark React
 * fails hydration with error #418). Errors are printed to the build log as `file:line:col: message [code]`;
 * `WIREGRAM_STRICT=1` (or `strict: true`) fails the build — on a warm-cache build too (`./diagnostics.ts`).
 */
import remarkWiregram, { type RemarkWiregramOptions } from 'remark-wiregram';
import { DIAGNOSTICS, remarkWiregramRecorded, wiregramDiagnosticsPlugin, type DiagnosticsStore } from './diagnostics.js';

export { remarkWiregramRecorded, replayUnchanged, wiregramDiagnosticsPlugin, type DiagnosticsStore } from './diagnostics.js';

/** The attribute Docusaurus's colour-mode toggle sets on `<html>`. */
export const DOCUSAURUS_DARK_SELECTOR = "[data-theme='dark']";

export type WiregramDocusaurusOptions = RemarkWiregramOptions;

/** A remark plugin entry (`[plugin, options]`) for a content plugin's `remarkPlugins`, set up for Docusaurus. */
export function wiregramRemarkPlugin(options: WiregramDocusaurusOptions = {}): [typeof remarkWiregram, RemarkWiregramOptions] {
  return [remarkWiregram, { darkSelector: DOCUSAURUS_DARK_SELECTOR, react: true, ...options }];
}

type PluginEntry = unknown;
interface ContentOptions {
  remarkPlugins?: unknown[];
  [key: string]: unknown;
}
interface ConfigLike {
  presets?: PluginEntry[];
  plugins?: PluginEntry[];
  [key: string]: unknown;
}

const CONTENT_PLUGIN = /(^|[/-])(plugin-)?content-(docs|blog|pages)$/;
const CLASSIC = /(^|[/-])(preset-)?classic$/;

function withPlugin(options: unknown, entry: unknown): ContentOptions {
  const own = options && typeof options === 'object' ? (options as ContentOptions) : {};
  const list = Array.isArray(own.remarkPlugins) ? own.remarkPlugins : [];
  // Once: a config wrapped twice (or listing remark-wiregram itself) keeps one.
  const ours = (p: unknown) => p === remarkWiregram || p === remarkWiregramRecorded;
  if (list.some((p) => ours(p) || (Array.isArray(p) && ours(p[0])))) return own;
  return { ...own, remarkPlugins: [...list, entry] };
}

/** `[name, options]` or a bare name → its name (or null for a function or an inline plugin object). */
function nameOf(entry: PluginEntry): string | null {
  const head = Array.isArray(entry) ? entry[0] : entry;
  return typeof head === 'string' ? head : null;
}

/**
 * The config with wiregram in every content plugin: the classic preset's `docs`, `blog` and `pages` (left off
 * when set to `false`), and each `@docusaurus/plugin-content-*` entry in `plugins`. The config object is not
 * changed; a new one is returned.
 */
export function withWiregram<C extends ConfigLike>(config: C, options: WiregramDocusaurusOptions = {}): C {
  // Each compiled page's problems are recorded, and said again after a warm-cache build that skipped the page.
  const store: DiagnosticsStore = { dir: null, since: 0 };
  const [, remarkOptions] = wiregramRemarkPlugin(options);
  const entry = [remarkWiregramRecorded, { ...remarkOptions, diagnostics: store }];
  const presets = (config.presets ?? []).map((preset) => {
    const name = nameOf(preset);
    if (!name || !CLASSIC.test(name)) return preset;
    const own = (Array.isArray(preset) && preset[1] && typeof preset[1] === 'object' ? preset[1] : {}) as Record<string, unknown>;
    const next: Record<string, unknown> = { ...own };
    for (const key of ['docs', 'blog', 'pages']) if (own[key] !== false) next[key] = withPlugin(own[key], entry);
    return [name, next];
  });
  const plugins = (config.plugins ?? []).map((plugin) => {
    const name = nameOf(plugin);
    if (!name || !CONTENT_PLUGIN.test(name)) return plugin;
    return [name, withPlugin(Array.isArray(plugin) ? plugin[1] : undefined, entry)];
  });
  if (!plugins.some((p) => typeof p === 'function' && DIAGNOSTICS in p)) plugins.push(wiregramDiagnosticsPlugin(store, remarkOptions));
  return { ...config, ...(config.presets ? { presets } : {}), plugins };
}

export default withWiregram;
