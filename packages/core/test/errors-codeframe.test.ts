/** Code frames echo author text: control characters must print as visible escapes, never reach the terminal. */
import { describe, expect, it } from 'vitest';
import { compileSequence, escapeControl, formatCodeFrame, WiregramError } from '../src/index.js';

// Anything a terminal acts on (C0 except tab, DEL, C1, bidi overrides/isolates), less the frame's own line breaks.
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function errorOf(source: string): WiregramError {
  try {
    compileSequence(source);
  } catch (e) {
    return e as WiregramError;
  }
  return expect.unreachable('expected an error') as never;
}

describe('formatCodeFrame', () => {
  it('shows OSC/CSI sequences in the offending line as \\x escapes, caret under the escaped text', () => {
    const source = 'participant a\nparticipant b\na -> b: SYN \u001b]0;pwned\u0007\u001b[2J\n';
    const e = errorOf(source);
    expect(e.position?.start).toMatchObject({ line: 3, column: 13 });
    const frame = formatCodeFrame(e, source, { filename: 'e.tcpseq' });
    expect(frame).not.toMatch(RAW);
    const lines = frame.split('\n');
    const code = lines.find((l) => l.startsWith('> 3 |'))!;
    expect(code).toBe('> 3 | a -> b: SYN \\x1b]0;pwned\\x07\\x1b[2J');
    const caret = lines[lines.indexOf(code) + 1]!;
    // the error is at the ESC: the caret covers its four-character escape
    expect(caret.indexOf('^')).toBe(code.indexOf('\\x1b'));
    expect(caret.trimEnd().endsWith(' ^^^^')).toBe(true);
    expect(caret.split('^').length - 1).toBe(4);
    expect(lines[0]).toContain('\\x1b');
  });

  it('escapes reason, expected and hint, and C1 / bidi controls, but keeps tabs', () => {
    const frame = formatCodeFrame(
      { reason: 'bad \u009b31m name', expected: 'x\u202ey', hint: 'use \u0007 nothing', position: { start: { line: 1, column: 3, offset: 2 }, end: { line: 1, column: 4, offset: 3 } } },
      '\tx\u0085z\n',
    );
    expect(frame).not.toMatch(RAW);
    expect(frame).toContain('bad \\x9b31m name');
    expect(frame).toContain('expected: x\\u202ey');
    expect(frame).toContain('hint: use \\x07 nothing');
    const lines = frame.split('\n');
    expect(lines[1]).toBe('> 1 | \tx\\x85z');
    // a tab stays a tab in the caret line too, so the caret lines up with however the terminal draws it
    expect(lines[2]).toBe('    | \t ^^^^');
  });

  it('leaves ordinary text, CJK and emoji untouched', () => {
    expect(escapeControl('客户端 → 服务器 🙂\tok')).toBe('客户端 → 服务器 🙂\tok');
    expect(escapeControl('\r\n\u007f')).toBe('\\x0d\\x0a\\x7f');
  });
});
