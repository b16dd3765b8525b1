#!/usr/bin/env node
// Warm time of the header core (text/bytes → HeaderModel): the built-in TCP header with its 20 bytes decoded (the
// DESIGN example), a whole IPv4+TCP SYN with options decoded layer by layer (checksums verified), and Mermaid's own
// TCP `packet` example. Mermaid's packet parser (@mermaid-js/parser, langium) parses the same Mermaid text in the
// same run for scale; it only parses — wiregram also resolves positions, validates and (with bytes) decodes.
// Imports the built package: run `npx tsc -b packages/core/tsconfig.json` first (pnpm bench does).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR as here, dist, printTable, runFor, runForAsync } from './lib.mjs';

const core = await import(dist('core'));

const TCP_BYTES = 'tcp\nbytes 1f90 d431 0000 0001 0000 0000 5002 faf0 e6c1 0000';
const SYN = Uint8Array.from(
  Buffer.from('4500003c1c464000400653cbc0a800010a000002d43100500000000100000000a002faf0ade00000020405b40402080a000000010000000001030307', 'hex'),
);
const MERMAID = `packet-beta
title TCP Packet
0-15: "Source Port"
16-31: "Destination Port"
32-63: "Sequence Number"
64-95: "Acknowledgment Number"
96-99: "Data Offset"
100-105: "Reserved"
106: "URG"
107: "ACK"
108: "PSH"
109: "RST"
110: "SYN"
111: "FIN"
112-127: "Window"
128-143: "Checksum"
144-159: "Urgent Pointer"
160-191: "(Options and Padding)"
192-255: "Data (variable length)"
`;

const measure = (fn) => runFor(fn, { ms: 300, batch: 500, warmup: 2000 }).us;
const measureAsync = (fn) => runForAsync(fn, { ms: 300, batch: 50, warmup: 200 });

const rows = [
  ['parsePacketHeader: tcp + 20 bytes decoded', measure(() => core.parsePacketHeader(TCP_BYTES))],
  ['decodeHeader: tcp, 20 bytes', measure(() => core.decodeHeader('tcp', SYN.subarray(20, 40)))],
  ['decodePacket: IPv4 + TCP SYN with options', measure(() => core.decodePacket(SYN))],
  ['parsePacketHeader: Mermaid TCP example', measure(() => core.parsePacketHeader(MERMAID))],
];
let mermaidUs = null;
try {
  const { parse } = await import(pathToFileURL(join(here, 'node_modules/@mermaid-js/parser/dist/mermaid-parser.core.mjs')).href).catch(() =>
    import(pathToFileURL(join(here, 'node_modules/@mermaid-js/parser/dist/mermaid-parser.esm.mjs')).href),
  );
  await parse('packet', MERMAID);
  mermaidUs = await measureAsync(() => parse('packet', MERMAID));
  rows.push(['@mermaid-js/parser: same Mermaid TCP example (parse only)', mermaidUs]);
} catch (e) {
  console.log(`(Mermaid's parser not available: ${e.message.split('\n')[0]})`);
}

printTable(
  ['case', 'µs/op:', 'ops/s:', 'vs Mermaid parser:'],
  rows.map(([name, us]) => {
    const ratio = mermaidUs && name.includes('Mermaid') ? `${(mermaidUs / us).toFixed(1)}× ${us === mermaidUs ? '(baseline)' : 'faster'}` : '';
    return [name, us.toFixed(2), Math.round(1e6 / us).toLocaleString('en-US'), ratio];
  }),
);
