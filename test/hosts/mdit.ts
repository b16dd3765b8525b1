/** Small helpers shared by the markdown-it host tests (VitePress, Eleventy, Marp, Slidev). */

/** 1-based line of the first line of `text` containing `needle` (0 when none: a test then fails visibly). */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

/**
 * Console lines the host's own page template logs whatever the content (Marp CLI's bespoke template uses a
 * deprecated Apple meta tag); everything else — wiregram's or the host's reaction to it — stays.
 */
const HOST_NOISE = [/<meta name="apple-mobile-web-app-capable" content="yes"> is deprecated/];

export function withoutHostNoise(errors: string[]): string[] {
  return errors.filter((e) => !HOST_NOISE.some((re) => re.test(e)));
}
