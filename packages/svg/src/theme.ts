/**
 * Colours and strokes as CSS: each palette entry becomes a custom property (`--wg-fg` …) on the diagram root,
 * each Scene role a class rule that reads them. Light and dark values live in the same `<style>`, scoped to
 * the diagram's id, so a page can switch themes without re-rendering and two diagrams never share rules.
 */
import type { Palette, Role, ThemeName } from '@wiregram/layout';
import { paintFor, ROLE_PAINT, themes } from '@wiregram/layout';

/** Palette key → custom property name. The short ones are the names documented for site authors. */
export const CSS_VARS: Record<keyof Palette, string> = {
  background: '--wg-bg',
  foreground: '--wg-fg',
  muted: '--wg-muted',
  line: '--wg-line',
  accent: '--wg-accent',
  lost: '--wg-lost',
  retransmission: '--wg-retransmission',
  override: '--wg-override',
  stateFill: '--wg-state-fill',
  stateStroke: '--wg-state-stroke',
  noteFill: '--wg-note-fill',
  noteStroke: '--wg-note-stroke',
  fieldFill: '--wg-field-fill',
  flagFill: '--wg-flag-fill',
  timer: '--wg-timer',
  error: '--wg-error',
  errorFill: '--wg-error-fill',
};

function vars(p: Palette): string {
  let out = '';
  for (const key of Object.keys(CSS_VARS) as Array<keyof Palette>) out += CSS_VARS[key] + ':' + p[key] + ';';
  return out;
}

// Paint comes from layout's role table, which the PDF backend reads too: both outputs use the same colours.
// `palette`: the colours themselves instead of var() (the `resolved` style mode).
function rule(role: Role, palette?: Palette): string {
  const paint = paintFor(role);
  const colour = (key: keyof Palette) => (palette ? palette[key] : 'var(' + CSS_VARS[key] + ')');
  let out = 'fill:' + (paint.fill === 'none' ? 'none' : colour(paint.fill)) + ';';
  if (paint.stroke !== 'none') out += 'stroke:' + colour(paint.stroke) + ';stroke-width:' + paint.strokeWidth;
  return out;
}

/**
 * `[data-theme='dark']` → `[data-theme=dark]` when the value is a plain identifier: the same selector, but no
 * quote in the stylesheet text, which a server renderer may escape as an entity (`&#x27;`) that the browser
 * would then read literally inside `<style>`.
 */
function unquoted(selector: string): string {
  return selector.replace(/=\s*(['"])([A-Za-z_][\w-]*)\1\s*\]/g, '=$2]');
}

export type ThemeMode = 'auto' | 'light' | 'dark';

/**
 * Where a diagram's CSS lives. `inline` (default): its own `<style>`, scoped to its id — a self-contained SVG
 * (files, PDFs, the `render` API). `page`: none; the diagram is styled by the one page stylesheet
 * (`pageStylesheet`) that a page of many diagrams carries once — what the Markdown plugins, host integrations
 * and the browser runtime emit.
 */
export type StyleMode = 'inline' | 'page' | 'resolved';

/** The class every diagram's root has; the page stylesheet's rules all start with it. */
export const DIAGRAM_CLASS = 'wg-diagram';
/** Root classes of a `page`-styled diagram with a pinned theme (`theme: 'light' | 'dark'`). */
export const PINNED_CLASS = { light: 'wg-light', dark: 'wg-dark' } as const;

function roleRules(scope: string, roles: Iterable<Role>, palette?: Palette): string {
  let css = '';
  for (const role of roles) css += scope + ' .wg-' + role + '{' + rule(role, palette) + '}';
  return css + scope + ' line,' + scope + ' polyline{stroke-linecap:round;stroke-linejoin:round}';
}

/** Ancestor (or own-class) selectors that switch `target` to the dark palette; empty: the media query does. */
function darkUnder(target: string, darkClass: string | null, darkSelectors: readonly string[]): string[] {
  const under: string[] = darkClass ? ['.' + darkClass + ' ' + target, target + '.' + darkClass] : [];
  for (const s of darkSelectors) under.push(unquoted(s) + ' ' + target);
  return under;
}

/**
 * The diagram's stylesheet. `auto` follows `prefers-color-scheme`; with `darkClass` (an ancestor's class, or
 * the svg's own) or `darkSelectors` (ancestor selectors, already validated by `checkDarkSelector`) the dark
 * palette applies under those instead — sites with a theme toggle need that, and a media query would fight
 * the toggle. `light`/`dark` pin one palette.
 */
export function stylesheet(id: string, roles: Iterable<Role>, theme: ThemeMode, darkClass: string | null, darkSelectors: readonly string[] = []): string {
  const { light, dark } = themes;
  const sel = '#' + id;
  let css = sel + '{max-width:100%;height:auto;';
  if (theme === 'dark') css += vars(dark) + '}';
  else if (theme === 'light') css += vars(light) + '}';
  else if (darkClass || darkSelectors.length) {
    css += vars(light) + '}' + darkUnder(sel, darkClass, darkSelectors).join(',') + '{' + vars(dark) + '}';
  } else css += vars(light) + '}@media (prefers-color-scheme:dark){' + sel + '{' + vars(dark) + '}}';
  return css + roleRules(sel, roles);
}

/**
 * The `resolved` style mode's stylesheet: one palette written out as colours, the same role rules. This is the one
 * place that decides what a renderer without CSS custom properties (resvg, rsvg-convert, Typst) is given.
 */
export function resolvedStylesheet(id: string, roles: Iterable<Role>, theme: ThemeName): string {
  const sel = '#' + id;
  return sel + '{max-width:100%;height:auto}' + roleRules(sel, roles, themes[theme]);
}

/**
 * The page stylesheet: the same palettes and role rules as `stylesheet`, for every diagram of a page at once
 * (class selectors, every role), so a page of a hundred diagrams carries one sheet rather than a hundred. A
 * diagram rendered with `styles: 'page'` has no `<style>` of its own and relies on it. It depends only on the
 * dark-mode switch (`darkClass`, `darkSelectors`); pinned diagrams carry `wg-light` / `wg-dark`.
 */
export function pageSheet(darkClass: string | null, darkSelectors: readonly string[] = [], scope: string | null = null): string {
  const { light, dark } = themes;
  const d = '.' + DIAGRAM_CLASS + (scope ? '.' + scope : '');
  // Auto diagrams turn dark with the page; a diagram pinned light never does.
  const auto = d + ':not(.' + PINNED_CLASS.light + ')';
  let css = d + '{max-width:100%;height:auto;' + vars(light) + '}';
  const under = darkUnder(auto, darkClass, darkSelectors);
  css += under.length ? under.join(',') + '{' + vars(dark) + '}' : '@media (prefers-color-scheme:dark){' + auto + '{' + vars(dark) + '}}';
  css += d + '.' + PINNED_CLASS.dark + '{' + vars(dark) + '}';
  return css + roleRules(d, Object.keys(ROLE_PAINT) as Role[]);
}
