/**
 * Checksum offload (issue 16): a frame captured on the sending host — loopback above all — carries only the
 * pseudo-header sum the NIC would have completed. tshark does not verify and shows `[unverified]`; a
 * `packet-header` of such a frame says the same instead of "incorrect". A really wrong checksum is still reported.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodePacket, readCapture } from '../src/index.js';
import { HAVE_TSHARK } from './fixtures/capture/tshark.js';

const file = fileURLToPath(new URL('./fixtures/capture/loopback.pcap', import.meta.url));
const frames = readCapture(new Uint8Array(readFileSync(file))).packets;
const tcpChecksum = (data: Uint8Array) =>
  decodePacket(data, { link: 'ethernet' })
    .flatMap((l) => l.fields)
    .find((f) => f.wireshark === 'tcp.checksum')!.value ?? '';

describe('checksums of a loopback capture', () => {
  it('every frame: an offloaded checksum is "[unverified]" as tshark prints it; a complete one is verified', () => {
    const ours = frames.map((p) => tcpChecksum(p.data));
    const unverified = ours.filter((v) => /^0x[0-9a-f]{4} \[unverified\]$/.test(v));
    expect(unverified.length).toBeGreaterThan(frames.length / 2); // the kernel's own RSTs carry complete checksums
    expect(ours.every((v) => /\[(unverified|correct)\]$/.test(v))).toBe(true);
    if (!HAVE_TSHARK) return;
    const checksums = (args: string[]) =>
      execFileSync('tshark', ['-r', file, '-n', ...args, '-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .filter((l) => /^\s+Checksum: 0x/.test(l))
        .map((l) => l.trim().replace(/^Checksum: /, ''));
    const plain = checksums([]); // tshark's default: not verified
    const checked = checksums(['-o', 'tcp.check_checksum:TRUE']);
    ours.forEach((v, i) => {
      // where tshark, asked to verify, finds the checksum wrong, it is the offload partial: we show tshark's default
      if (/incorrect/.test(checked[i]!)) expect(v, `frame ${i + 1}`).toBe(plain[i]);
      else expect(v, `frame ${i + 1}`).toBe(checked[i]!.replace(/ \[correct\]$/, ' [correct]'));
    });
  });

  it('a checksum that is neither right nor the offload partial is still incorrect', () => {
    const data = Uint8Array.from(frames[0]!.data);
    data[14 + 20 + 16] = data[14 + 20 + 16]! ^ 0x5a; // flip bits of the TCP checksum field
    expect(tcpChecksum(data)).toMatch(/\[incorrect, should be 0x[0-9a-f]{4}\]$/);
  });
});
