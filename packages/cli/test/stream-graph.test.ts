/**
 * The stream graphs from the command line (issue 17): `--style tcptrace` draws any tcp-sequence file as a graph,
 * `--direction` switches the direction of data, a capture statement in a block with `option layout=…` is drawn
 * from the pcap, and a bad direction is an error that names the participants and writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { conversation, frame, writePcap } from '../../core/test/fixtures/capture/build.js';
import { FAST_RETRANSMIT } from '../../../test/support/seeds.js';
import { ensureBuilt, tempProject, wiregram } from './helpers.js';

beforeAll(() => ensureBuilt());

describe('wiregram render --style <graph>', () => {
  it('draws the diagram as the graph asked for, in the direction asked for, as SVG and PDF', () => {
    const dir = tempProject({ 'fr.tcpseq': FAST_RETRANSMIT });
    const r = wiregram(['render', 'fr.tcpseq', '--style', 'tcptrace', '-o', 'out', '--theme', 'light'], { cwd: dir });
    expect(r.stderr).toBe('fr.tcpseq → out/fr.svg\n');
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'out', 'fr.svg'), 'utf8');
    expect(svg).toContain('Time / Sequence (tcptrace): 客户端 → 服务端');
    expect(svg).toContain('class="wg-graph-retransmission"');
    const back = wiregram(['render', 'fr.tcpseq', '--style', 'window', '--direction', 'reverse', '-o', 'rev', '-f', 'pdf'], { cwd: dir });
    expect(back.code).toBe(0);
    const text = execFileSync('pdftotext', [join(dir, 'rev', 'fr.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Window Scaling: 服务端 → 客户端');
  });

  it('a block’s own `option layout=stevens` draws its capture as a graph', () => {
    const packets = conversation({ client: '192.0.2.1', server: '192.0.2.9', cport: 50762, sport: 18080, cisn: 1000, sisn: 5000, start: [1_700_000_000, 0] });
    const pcap = writePcap(packets.map((p) => ({ sec: p.sec, nsec: p.nsec, data: frame(101, p.ip) })), { linkType: 101 });
    const dir = tempProject({ 'doc.md': '```tcp-sequence\noption layout=stevens\ncapture ./c.pcap stream 0\n```\n', 'c.pcap': pcap });
    const r = wiregram(['render', 'doc.md', '-o', 'out', '--theme', 'dark'], { cwd: dir });
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'out', 'doc-1.svg'), 'utf8');
    expect(svg).toMatch(/Time \/ Sequence \(Stevens\): 192\.0\.2\.\d:\d+ → 192\.0\.2\.\d:\d+/);
    expect(svg).toContain('Time (');
  });

  it('an unknown direction names the participants, and nothing is written', () => {
    const dir = tempProject({ 'fr.tcpseq': FAST_RETRANSMIT });
    const r = wiregram(['render', 'fr.tcpseq', '--style', 'rtt', '--direction', 'bob', '-o', 'out'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/direction=bob: no participant is called "bob"/);
    expect(r.stderr).toMatch(/client \| server \| reverse/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
