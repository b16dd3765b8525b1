/**
 * Colours and strokes as CSS: each palette entry becomes a custom property (`--wg-fg` …) on the diagram root,
 * each Scene role a class rule that reads them. Light and dark values live in the same `<style>`, scoped to
 * the diagram's id, so a page can switch themes without re-rendering and two diagrams never share rules.
 */
import type { Palette, Role } from '@wiregram/layout';
import { paintFor, themes } from '@wiregram/layout';

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
function rule(role: Role): string {
  const paint = paintFor(role);
  let out = 'fill:' + (paint.fill === 'none' ? 'none' : 'var(' + CSS_VARS[paint.fill] + ')') + ';';
  if (paint.stroke !== 'none') out += 'stroke:' + 'var(' + CSS_VARS[paint.stroke] + ');stroke-width:' + paint.strokeWidth;
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
    const under: string[] = darkClass ? ['.' + darkClass + ' ' + sel, sel + '.' + darkClass] : [];
    for (const s of darkSelectors) under.push(unquoted(s) + ' ' + sel);
    css += vars(light) + '}' + under.join(',') + '{' + vars(dark) + '}';
  } else css += vars(light) + '}@media (prefers-color-scheme:dark){' + sel + '{' + vars(dark) + '}}';
  for (const role of roles) css += sel + ' .wg-' + role + '{' + rule(role) + '}';
  css += sel + ' line,' + sel + ' polyline{stroke-linecap:round;stroke-linejoin:round}';
  return css;
}
