/**
 * @wiregram/textmate — TextMate grammars for wiregram's two fenced-block languages, for Shiki (VitePress, Astro,
 * Docusaurus with Shiki, Slidev) and for editors that read TextMate grammars (VS Code).
 *
 *   import { tcpSequence, packetHeader } from '@wiregram/textmate';
 *   const highlighter = await createHighlighter({ langs: [tcpSequence, packetHeader], themes: ['github-light'] });
 *
 * The JSON files ship too: `@wiregram/textmate/tcp-sequence.tmLanguage.json`, `…/packet-header.tmLanguage.json`.
 */
import tcpSequenceGrammar from './tcp-sequence.tmLanguage.json' with { type: 'json' };
import packetHeaderGrammar from './packet-header.tmLanguage.json' with { type: 'json' };

/** The shape Shiki's `langs` and `loadLanguage` take: a TextMate grammar plus its name and aliases. */
// Rules are typed loosely (`any`) on purpose: Shiki's and vscode-textmate's own rule types then accept these
// objects without this package depending on either for its types.
export interface LanguageGrammar {
  name: string;
  scopeName: string;
  aliases?: string[];
  fileTypes?: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  patterns: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  repository: Record<string, any>;
}

/** `tcp-sequence` (scope `source.tcp-sequence`): keywords, participants, arrows, flags, states, key=value, comments. */
export const tcpSequence: LanguageGrammar = { ...(tcpSequenceGrammar as unknown as LanguageGrammar), aliases: ['tcpseq'] };

/** `packet-header` (scope `source.packet-header`): statements, built-in layouts, field ranges and names, bytes. */
export const packetHeader: LanguageGrammar = { ...(packetHeaderGrammar as unknown as LanguageGrammar) };

/** Both grammars, for `langs: [...wiregramGrammars]`. */
export const wiregramGrammars: readonly LanguageGrammar[] = [tcpSequence, packetHeader];
