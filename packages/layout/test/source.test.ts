import { isWiregramError } from '@wiregram/core';
import { layoutSource, layoutTimeline } from '@wiregram/layout';
import { compileSequence } from '@wiregram/core';
import { describe, expect, it } from 'vitest';
import { texts } from './helpers.js';
import { thrown } from '../../../test/support/errors.js';

const HANDSHAKE = 'participant client\nparticipant server\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\n';

describe('layoutSource', () => {
  it('tcp-sequence: compiles and lays out, the same as the two steps by hand', () => {
    expect(layoutSource(HANDSHAKE)).toEqual(layoutTimeline(compileSequence(HANDSHAKE)));
    expect(layoutSource(HANDSHAKE, { style: 'flow' })).toEqual(layoutTimeline(compileSequence(HANDSHAKE), { style: 'flow' }));
  });

  it('passes compile options through (label style, state names)', () => {
    const scene = layoutSource(HANDSHAKE + 'client -> server: FIN, ACK\n', { labelStyle: 'flags', stateNames: 'hyphen' });
    expect(texts(scene, 'label')[0]!.text).toMatch(/^SYN=1/);
    expect(texts(scene, 'state').map((t) => t.text)).toContain('FIN-WAIT-1');
  });

  it('the block’s own `option layout=…` picks the style; the option overrides it', () => {
    const src = 'option layout=flow\n' + HANDSHAKE;
    expect(texts(layoutSource(src), 'label')[0]!.text).toMatch(/\[SYN\] Seq=0/);
    expect(texts(layoutSource(src, { style: 'states' }), 'label')[0]!.text).not.toMatch(/\[SYN\]/);
  });

  it('packet-header: a header grid', () => {
    const scene = layoutSource('tcp\n', { language: 'packet-header' });
    expect(scene.steps).toBe(0);
    expect(texts(scene).some((t) => /Source/i.test(t.text))).toBe(true);
  });

  it('bad input is a WiregramError with a position; an unknown language too', () => {
    const e = thrown(() => layoutSource('client -> server: FOO\n'));
    expect(isWiregramError(e)).toBe(true);
    expect((e as { position: { start: { line: number } } }).position.start.line).toBe(1);
    const l = thrown(() => layoutSource('x', { language: 'mermaid' as never }));
    expect(isWiregramError(l)).toBe(true);
    expect((l as Error).message).toMatch(/unknown diagram language/);
  });
});
