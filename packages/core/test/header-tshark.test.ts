/**
 * Cross-check with real Wireshark: the packets are written into a pcap, dissected by `tshark -T pdml`, and every
 * field that names a Wireshark field must sit at the same bytes and show the same value as our decode.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePacket, parsePacketHeader, type HeaderField, type HeaderModel } from '../src/index.js';
import { hasTshark, pcap, samplePackets, tsharkPdml, walk, type PdmlNode } from './fixtures/header/packets.js';

const tshark = hasTshark();
if (!tshark) console.warn('header-tshark: tshark is not installed — skipping the Wireshark cross-check (CI installs it)');

const PROTO: Record<string, string> = { ipv4: 'ip', ipv6: 'ipv6', tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'icmpv6', 'icmpv6-echo': 'icmpv6' };

/** The top-level protos of a packet, in order, minus tshark's own bookkeeping. */
function protos(packet: PdmlNode): PdmlNode[] {
  return packet.children.filter((c) => c.tag === 'proto' && !['geninfo', 'frame', 'raw'].includes(c.attrs.name ?? ''));
}

function fieldsNamed(proto: PdmlNode, name: string): PdmlNode[] {
  const out: PdmlNode[] = [];
  walk(proto, (n) => {
    if (n.tag === 'field' && n.attrs.name === name) out.push(n);
  });
  return out;
}

/** `0100 .... = Version: 4` → `Version: 4`. */
const label = (showname: string) => showname.replace(/^[01. ]+= /, '');

function checkField(layer: HeaderModel, f: HeaderField, proto: PdmlNode, scope: PdmlNode[]): string | null {
  const start = (layer.byteOffset ?? 0) + Math.floor(f.offset / 8);
  const candidates = scope.flatMap((p) => fieldsNamed(p, f.wireshark!));
  const node = candidates.find((n) => Number(n.attrs.pos) === start) ?? candidates.find((n) => Number(n.attrs.pos) <= start && Number(n.attrs.pos) + Number(n.attrs.size) > start);
  if (!node) return `${f.wireshark}: not found at byte ${start} in tshark's ${proto.attrs.name}`;
  const pos = Number(node.attrs.pos);
  const size = Number(node.attrs.size);
  if (f.bits !== null) {
    const end = (layer.byteOffset ?? 0) * 8 + f.offset + f.bits;
    // Whole-byte fields must match exactly; bit fields must lie inside the bytes tshark names.
    if (f.offset % 8 === 0 && f.bits % 8 === 0) {
      if (pos !== start || size !== f.bits / 8) return `${f.wireshark}: bytes ${start}+${f.bits / 8}, tshark ${pos}+${size}`;
    } else if (pos * 8 > (layer.byteOffset ?? 0) * 8 + f.offset || (pos + size) * 8 < end) {
      return `${f.wireshark}: bits ${f.offset}+${f.bits} outside tshark's ${pos}+${size}`;
    }
  } else if (f.kind === 'data') {
    if (pos !== start || size !== f.raw) return `${f.wireshark}: data ${start}+${f.raw}, tshark ${pos}+${size}`;
    return null;
  }
  const shown = label(node.attrs.showname ?? '');
  const value = f.value ?? '';
  if (f.kind === 'options' && f.wireshark!.startsWith('tcp.options.')) {
    switch (f.wireshark) {
      case 'tcp.options.mss':
        return fieldsNamed(node, 'tcp.options.mss_val')[0]?.attrs.show === String(f.raw) ? null : `MSS ${f.raw} vs ${shown}`;
      case 'tcp.options.nop':
        return shown === 'TCP Option - No-Operation (NOP)' ? null : `NOP vs ${shown}`;
      case 'tcp.options.eol':
        return shown === 'TCP Option - End of Option List (EOL)' ? null : `EOL vs ${shown}`;
      case 'tcp.options.sack':
        return shown === 'TCP Option - ' + value.replace('SACK: ', 'SACK ') ? null : `${value} vs ${shown}`;
      default:
        return shown === 'TCP Option - ' + value ? null : `${value} vs ${shown}`;
    }
  }
  if (f.wireshark!.startsWith('ip.options.')) return shown === 'IP Option - ' + value ? null : `${value} vs ${shown}`;
  const incorrect = / \[incorrect, should be (0x[0-9a-f]{4})\]$/.exec(value);
  if (incorrect) {
    const theirs = /incorrect, should be (0x[0-9a-f]{4})/.exec(shown);
    return theirs?.[1] === incorrect[1] && shown.includes(value.slice(0, 6)) ? null : `${value} vs ${shown}`;
  }
  return shown.endsWith(': ' + value) ? null : `${f.wireshark}: ours "${value}", tshark "${shown}"`;
}

describe.skipIf(!tshark)('decodePacket agrees with tshark -T pdml', () => {
  const samples = samplePackets();
  let dir = '';
  let pdml: PdmlNode[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wg-header-'));
    const file = join(dir, 'samples.pcap');
    writeFileSync(file, pcap(samples.map((s) => s.bytes)));
    pdml = tsharkPdml(file);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('tshark read every packet', () => {
    expect(pdml).toHaveLength(samples.length);
  });

  samples.forEach((sample, index) => {
    it(sample.name, () => {
      const layers = decodePacket(Uint8Array.from(sample.bytes));
      const theirs = protos(pdml[index]!);
      let cursor = 0;
      let checked = 0;
      const problems: string[] = [];
      for (const layer of layers) {
        // Extension headers are fields of tshark's ipv6 proto; ours name no Wireshark fields to compare.
        if (layer.protocol === 'ipv6-ext') {
          expect(layer.fields.every((f) => f.wireshark === null)).toBe(true);
          continue;
        }
        const want = PROTO[layer.protocol ?? ''];
        expect(want, `layer ${layer.protocol}`).toBeDefined();
        const at = theirs.findIndex((p, i) => i >= cursor && p.attrs.name === want);
        expect(at, `tshark has a ${want} layer`).toBeGreaterThanOrEqual(0);
        const proto = theirs[at]!;
        cursor = at + 1;
        expect(Number(proto.attrs.pos)).toBe(layer.byteOffset);
        if (layer.protocol === 'ipv4' || layer.protocol === 'ipv6' || layer.protocol === 'udp') expect(layer.summary).toBe(proto.attrs.showname);
        // ICMP data sits in a sibling `data` proto in some tshark versions.
        const scope = [proto, ...theirs.slice(at + 1).filter((p) => p.attrs.name === 'data')];
        for (const f of layer.fields) {
          if (!f.wireshark) continue;
          const problem = checkField(layer, f, proto, scope);
          if (problem) problems.push(problem);
          checked++;
        }
        for (const g of layer.groups ?? []) {
          if (g.kind !== 'flags' || !g.wireshark) continue;
          const node = fieldsNamed(proto, g.wireshark)[0];
          expect(node, g.wireshark).toBeDefined();
          expect(label(node!.attrs.showname ?? '')).toBe(`Flags: ${g.value}`);
          checked++;
        }
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(8);
    });
  });

  it('a layered packet-header block shows the same values', () => {
    const sample = samples[0]!;
    const hexText = Buffer.from(sample.bytes).toString('hex').replace(/(.{4})/g, '$1 ');
    const model = parsePacketHeader(`ipv4 + tcp\nbytes ${hexText}`);
    const tcpChecksum = model.fields.find((f) => f.wireshark === 'tcp.checksum');
    const theirs = fieldsNamed(protos(pdml[0]!).find((p) => p.attrs.name === 'tcp')!, 'tcp.checksum')[0]!;
    expect(label(theirs.attrs.showname!)).toBe(`Checksum: ${tcpChecksum!.value}`);
    expect(tcpChecksum!.value).toMatch(/\[correct\]$/);
    expect(model.fields.find((f) => f.wireshark === 'tcp.srcport')!.offset).toBe(160);
  });
});
