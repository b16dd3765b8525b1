export interface GalleryEntry {
  file: string;
  title: string;
  language: 'tcp-sequence' | 'packet-header';
  source: string;
}
export function playgroundHash(text: string, language?: string, theme?: string): string;
export function galleryEntries(dir?: string): GalleryEntry[];
export function buildPlayground(outDir: string, options?: { docsHref?: string }): Promise<string>;
