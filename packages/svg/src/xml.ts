/**
 * XML text and attribute escaping, and the serializer of the element description. Author text reaches the
 * output only through `escapeXml`, so `<script>`, `&`, quotes and `]]>` stay text.
 */

/** One element of the output: the single description both the string path and the DOM path draw from. */
export interface SvgNode {
  name: string;
  /** Attribute pairs in output order (order is part of byte-identical output). */
  attrs: Array<[string, string]>;
  /** The element's text content (plain text, escaped on output), or child elements and text runs. */
  children: Array<SvgNode | string> | string;
}

// Characters XML 1.0 forbids (C0 controls except tab/newline/CR, U+FFFE/U+FFFF) and lone surrogates: a
// parser would reject the whole document, so they become U+FFFD.
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Attributes are always double-quoted, so `'` needs no escape (and browsers' serializers leave it as is).
const SPECIAL = /[&<>"]/g;
// Non-global twins for testing: a /g regex's test() keeps state between calls.
// The quick test over-approximates (any surrogate); the exact replacement runs only then.
const HAS_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
const HAS_SPECIAL = /[&<>"]/;
const HAS_EITHER = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Replace characters an XML parser would reject; applied to text before it goes anywhere (string or DOM). */
export function cleanText(text: string): string {
  return HAS_INVALID.test(text) ? text.replace(INVALID, '\ufffd') : text;
}

/** Escape for both text content and double-quoted attribute values (`>` too, so `]]>` never appears). */
export function escapeXml(text: string): string {
  if (!HAS_EITHER.test(text)) return text;
  const clean = cleanText(text);
  return HAS_SPECIAL.test(clean) ? clean.replace(SPECIAL, (c) => ENTITY[c] as string) : clean;
}

/** `<name a="v" …` without the closing `>`. */
export function openTag(node: SvgNode): string {
  let out = '<' + node.name;
  for (const [k, v] of node.attrs) out += ' ' + k + '="' + escapeXml(v) + '"';
  return out;
}

export function serialize(node: SvgNode): string {
  let out = openTag(node);
  const c = node.children;
  if (typeof c === 'string') {
    return c === '' ? out + '/>' : out + '>' + escapeXml(c) + '</' + node.name + '>';
  }
  if (c.length === 0) return out + '/>';
  out += '>';
  for (const child of c) out += typeof child === 'string' ? escapeXml(child) : serialize(child);
  return out + '</' + node.name + '>';
}
