// How this VitePress site sets up wiregram; kept apart from config.mts so the test suite can run it against
// real markdown-it without installing VitePress.
import markdownItWiregram, { type MarkdownItLike } from 'markdown-it-wiregram';

export function useWiregram(md: MarkdownItLike): void {
  // Same as md.use(markdownItWiregram, options).
  markdownItWiregram(md, {
    // VitePress compiles each page into a Vue template: keep `{{ }}` in labels as text, keep the diagram styles.
    vue: true,
    // VitePress puts `dark` on <html> when its appearance switch is on.
    darkClass: 'dark',
  });
}
