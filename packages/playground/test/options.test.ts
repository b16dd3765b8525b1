import { describe, expect, it } from 'vitest';
import { readOption, writeOption } from '../src/options.js';
import { decodeState, encodeState, markdownFence } from '../src/share.js';
import { participantsOf } from '../src/lang.js';

const apply = (text: string, key: string, value: string | null) => {
  const e = writeOption(text, key, value);
  return e ? text.slice(0, e.from) + e.insert + text.slice(e.to) : text;
};

describe('option lines', () => {
  it('reads key=value and key value, the last one winning, ignoring comments', () => {
    expect(readOption('option labels=flags\noption labels wireshark # labels=textbook', 'labels')).toBe('wireshark');
    expect(readOption('client -> server: SYN', 'labels')).toBeNull();
    expect(readOption('# option labels=flags', 'labels')).toBeNull();
  });

  it('adds after a title, joins an existing option line, edits in place and removes', () => {
    let t = 'title T\nclient -> server: SYN';
    t = apply(t, 'labels', 'flags');
    expect(t).toBe('title T\noption labels=flags\nclient -> server: SYN');
    t = apply(t, 'states', 'hyphen');
    expect(t).toBe('title T\noption labels=flags states=hyphen\nclient -> server: SYN');
    t = apply(t, 'labels', 'wireshark');
    expect(t).toBe('title T\noption labels=wireshark states=hyphen\nclient -> server: SYN');
    t = apply(t, 'labels', null);
    expect(t).toBe('title T\noption states=hyphen\nclient -> server: SYN');
    t = apply(t, 'states', null);
    expect(t).toBe('title T\nclient -> server: SYN');
    expect(writeOption(t, 'states', null)).toBeNull();
  });

  it('keeps a comment on an option line', () => {
    expect(apply('option labels=flags  # mine\nA -> B: SYN', 'labels', 'textbook')).toBe('option labels=textbook  # mine\nA -> B: SYN');
  });
});

describe('share', () => {
  it('round-trips the state and rejects what is not a state', () => {
    const s = { language: 'packet-header' as const, text: 'tcp\n客户端', theme: 'dark' as const };
    expect(decodeState('#' + encodeState(s))).toEqual(s);
    expect(decodeState('#v1=garbage!')).toBeNull();
    expect(decodeState('#v1=abc')).toBeNull();
    expect(decodeState('')).toBeNull();
  });

  it('writes a fence longer than any backtick run in the text', () => {
    expect(markdownFence({ language: 'tcp-sequence', text: 'A -> B: SYN\n' })).toBe('```tcp-sequence\nA -> B: SYN\n```\n');
    expect(markdownFence({ language: 'tcp-sequence', text: 'note over A: ````' })).toMatch(/^`````tcp-sequence\n[\s\S]*\n`````\n$/);
  });
});

it('finds participants for completion', () => {
  expect(participantsOf('participant client as 客户端\n客户端2 -> server: SYN %% c -> d')).toEqual(['client', '客户端2', 'server']);
});
