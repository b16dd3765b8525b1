// How the Slidev example sets up wiregram (imported by ../vite.config.ts; run by the test suite against real
// markdown-it and the Vue compiler).
import markdownItWiregram, { type MarkdownItLike } from 'markdown-it-wiregram';

export function useWiregram(md: MarkdownItLike): void {
  // Same as md.use(markdownItWiregram, options).
  markdownItWiregram(md, {
    // Slides become Vue templates: keep `{{ }}` in labels as text and keep the diagram styles.
    vue: true,
    // Slidev's dark mode toggles `dark` on <html>.
    darkClass: 'dark',
  });
}
