/**
 * `darkSelector`: a CSS selector for an ancestor that turns dark mode on (`[data-theme='dark']` for Docusaurus
 * and Starlight, `html.dark`, `section.invert` in Marp). It is site configuration, yet it is written into the
 * diagram's `<style>`, inline in someone's page: it must not be able to leave its rule, open a new one, start
 * an at-rule or a comment, or close the element. Anything that could is refused, not repaired.
 */
import { WiregramError } from '@wiregram/core';

// `{ }` open/close rules, `;` ends declarations, `@` starts at-rules, `<` could close the <style> element
// (`</style>`) or open CDO (`<!--`), `\` escapes could spell any of them, `/` starts or ends comments.
const FORBIDDEN = /[{}<;@\\/\u0000-\u001f\u007f]/;
const MAX_LENGTH = 200;

function refuse(selector: string, reason: string): never {
  throw new WiregramError({
    code: 'invalid-svg-option',
    reason: `darkSelector ${JSON.stringify(selector.length > 60 ? selector.slice(0, 60) + '…' : selector)} ${reason}`,
    expected: 'a CSS selector for an ancestor element, e.g. [data-theme=\'dark\'] or html.dark',
    hint: 'darkSelector may not contain { } < ; @ \\ / or control characters; quotes and brackets must be balanced',
  });
}

/**
 * Validate a dark-mode ancestor selector and split it into its top-level parts (`a, b` → `['a', 'b']`, so each
 * part can be combined with the diagram's id). Throws a `WiregramError` (`invalid-svg-option`) when the text
 * could break out of the stylesheet or is not a well-formed selector list.
 */
export function checkDarkSelector(selector: string): string[] {
  if (typeof selector !== 'string') refuse(String(selector), 'is not a string');
  if (selector.length > MAX_LENGTH) refuse(selector, `is longer than ${MAX_LENGTH} characters`);
  const bad = FORBIDDEN.exec(selector);
  if (bad) refuse(selector, `contains ${JSON.stringify(bad[0])}`);
  const parts: string[] = [];
  const closers: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') closers.push(']');
    else if (c === '(') closers.push(')');
    else if (c === ']' || c === ')') {
      if (closers.pop() !== c) refuse(selector, `has an unbalanced ${JSON.stringify(c)}`);
    } else if (c === ',' && closers.length === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  if (quote) refuse(selector, 'has an unterminated string');
  if (closers.length) refuse(selector, `has an unclosed ${JSON.stringify(closers[closers.length - 1] === ']' ? '[' : '(')}`);
  parts.push(selector.slice(start));
  const out = parts.map((p) => p.trim());
  if (out.some((p) => p === '')) refuse(selector, 'has an empty part');
  return out;
}
