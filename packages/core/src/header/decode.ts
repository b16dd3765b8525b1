/**
 * Decoding real bytes into a HeaderModel whose field values read as Wireshark prints them
 * (`20 bytes (5)`, `0x012 (SYN, ACK)`, `TCP (6)`, `0xe6c1 [correct]`). Layers: Ethernet (+802.1Q), IPv4
 * (+options), IPv6 (+extension headers), TCP (+options), UDP, ICMP, ICMPv6. Truncated input decodes what is
 * there and adds a warning; it never throws anything but a WiregramError.
 */
import { diagnostic, WiregramError, type Diagnostic, type Position } from '../errors.js';
import type { TcpOption } from '../timeline.js';
import type { HeaderField, HeaderGroup, HeaderModel } from './model.js';
import {
  BUILTIN_HEADERS,
  ICMP_ECHO_HEADER,
  ICMP_HEADER,
  ICMP_REDIRECT_HEADER,
  ICMP_TIME_EXCEEDED_HEADER,
  ICMP_UNREACHABLE_HEADER,
  ICMPV6_ECHO_HEADER,
  ICMPV6_HEADER,
  cloneField,
  fixedFields,
  headerModel,
  staticGroups,
} from './tables.js';
import { requireBuiltin } from './tables.js';
import { hex, plural } from './util.js';

/** The most bytes one decode accepts: the largest IPv4 packet / IPv6 payload without jumbograms. */
export const MAX_DECODE_BYTES = 65_535 + 40;

/** What the TCP/UDP/ICMPv6 checksum covers besides the segment itself (RFC 9293 §3.1, RFC 8200 §8.1). */
export interface PseudoHeader {
  /** 4 bytes (IPv4) or 16 bytes (IPv6). */
  src: Uint8Array;
  dst: Uint8Array;
  /** Upper-layer protocol number (6, 17, 58). */
  protocol: number;
  /** Upper-layer length the IP header announces; the checksum is verified only when that many bytes are here. */
  length: number;
}

export interface DecodeOptions {
  /** Known when the IP header precedes these bytes; enables `[correct]` / `[incorrect, should be …]`. */
  pseudoHeader?: PseudoHeader | null;
  /** Where the `bytes` line is, for warnings. */
  position?: Position | null;
}

// ---------------------------------------------------------------------------------------------------------
// Bits, numbers, names

/** Read `width` (≤ 32) bits starting at bit `offset`, most significant bit first. */
export function readBits(bytes: Uint8Array, offset: number, width: number): number {
  const first = offset >> 3;
  const last = (offset + width - 1) >> 3;
  let acc = 0;
  for (let i = first; i <= last; i++) acc = acc * 256 + (bytes[i] ?? 0);
  const spare = (last + 1) * 8 - (offset + width);
  return Math.floor(acc / 2 ** spare) % 2 ** width;
}

/** RFC 1071 one's-complement sum over several chunks, as if concatenated. */
export function internetChecksum(chunks: readonly Uint8Array[]): number {
  let sum = 0;
  let odd = false;
  let carry = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) {
      const b = c[i] ?? 0;
      if (odd) {
        sum += carry | b;
        odd = false;
      } else {
        carry = b << 8;
        odd = true;
      }
    }
  }
  if (odd) sum += carry;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

function pseudoBytes(p: PseudoHeader): Uint8Array {
  if (p.src.length === 4) {
    const b = new Uint8Array(12);
    b.set(p.src, 0);
    b.set(p.dst, 4);
    b[9] = p.protocol;
    b[10] = (p.length >> 8) & 0xff;
    b[11] = p.length & 0xff;
    return b;
  }
  const b = new Uint8Array(40);
  b.set(p.src, 0);
  b.set(p.dst, 16);
  b[32] = (p.length >>> 24) & 0xff;
  b[33] = (p.length >> 16) & 0xff;
  b[34] = (p.length >> 8) & 0xff;
  b[35] = p.length & 0xff;
  b[39] = p.protocol;
  return b;
}

export function formatIPv4(b: Uint8Array, at = 0): string {
  return `${b[at] ?? 0}.${b[at + 1] ?? 0}.${b[at + 2] ?? 0}.${b[at + 3] ?? 0}`;
}

/** RFC 5952 text form: lower case, longest run of zero groups compressed, IPv4-mapped kept dotted. */
export function formatIPv6(b: Uint8Array, at = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[at + 2 * i] ?? 0) << 8) | (b[at + 2 * i + 1] ?? 0));
  return formatIPv6Groups(g);
}

/** RFC 5952 text of an IPv6 address given as its eight 16-bit groups (shared with the capture decoder). */
export function formatIPv6Groups(g: readonly number[]): string {
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    const [hi, lo] = [g[6] ?? 0, g[7] ?? 0];
    return `::ffff:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const parts = g.map((x) => x.toString(16));
  if (bestStart < 0) return parts.join(':');
  return parts.slice(0, bestStart).join(':') + '::' + parts.slice(bestStart + bestLen).join(':');
}

export function formatMac(b: Uint8Array, at = 0): string {
  const out: string[] = [];
  for (let i = 0; i < 6; i++) out.push((b[at + i] ?? 0).toString(16).padStart(2, '0'));
  return out.join(':');
}

const IP_PROTOCOLS: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  47: 'Generic Routing Encapsulation',
  50: 'Encap Security Payload',
  51: 'Authentication Header',
  58: 'ICMPv6',
  59: 'No Next Header for IPv6',
  60: 'Destination Options for IPv6',
  132: 'SCTP',
};

const protoName = (n: number) => `${IP_PROTOCOLS[n] ?? 'Unknown'} (${n})`;

const DSCP: Record<number, [string, string]> = {
  0: ['Default', 'CS0'],
  1: ['Lower Effort', 'LE'],
  8: ['Class Selector 1', 'CS1'],
  10: ['Assured Forwarding 11', 'AF11'],
  12: ['Assured Forwarding 12', 'AF12'],
  14: ['Assured Forwarding 13', 'AF13'],
  16: ['Class Selector 2', 'CS2'],
  18: ['Assured Forwarding 21', 'AF21'],
  20: ['Assured Forwarding 22', 'AF22'],
  22: ['Assured Forwarding 23', 'AF23'],
  24: ['Class Selector 3', 'CS3'],
  26: ['Assured Forwarding 31', 'AF31'],
  28: ['Assured Forwarding 32', 'AF32'],
  30: ['Assured Forwarding 33', 'AF33'],
  32: ['Class Selector 4', 'CS4'],
  34: ['Assured Forwarding 41', 'AF41'],
  36: ['Assured Forwarding 42', 'AF42'],
  38: ['Assured Forwarding 43', 'AF43'],
  40: ['Class Selector 5', 'CS5'],
  44: ['Voice Admit', 'VA'],
  46: ['Expedited Forwarding', 'EF PHB'],
  48: ['Class Selector 6', 'CS6'],
  56: ['Class Selector 7', 'CS7'],
};
const ECN: Array<[string, string]> = [
  ['Not ECN-Capable Transport', 'Not-ECT'],
  ["ECN-Capable Transport codepoint '01'", 'ECT(1)'],
  ["ECN-Capable Transport codepoint '10'", 'ECT(0)'],
  ['Congestion Experienced', 'CE'],
];

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
};
const ICMP_CODES: Record<number, Record<number, string>> = {
  3: {
    0: 'Network unreachable',
    1: 'Host unreachable',
    2: 'Protocol unreachable',
    3: 'Port unreachable',
    4: 'Fragmentation needed',
    5: 'Source route failed',
    6: 'Destination network unknown',
    7: 'Destination host unknown',
    9: 'Destination network administratively prohibited',
    10: 'Destination host administratively prohibited',
    13: 'Communication administratively filtered',
  },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
};
const ICMPV6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
};
const ETHER_TYPES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
};

/** TCP flag names by bit, lowest first — the order Wireshark lists them in `Flags: 0x012 (SYN, ACK)`. */
const TCP_FLAG_BITS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'] as const;

export function tcpFlagsText(raw: number): string {
  const names: string[] = [];
  for (let i = 0; i < TCP_FLAG_BITS.length; i++) if (raw & (1 << i)) names.push(TCP_FLAG_BITS[i] as string);
  if (raw & 0xe00) names.push('Reserved');
  return `${hex(raw, 3)} (${names.length ? names.join(', ') : '<None>'})`;
}

// ---------------------------------------------------------------------------------------------------------
// The generic part: fixed fields straight from a table

interface Ctx {
  bytes: Uint8Array;
  warnings: Diagnostic[];
  position: Position | null;
  protocol: string;
}

function truncated(ctx: Ctx, what: string, need: number): void {
  ctx.warnings.push(
    diagnostic({
      code: 'header-truncated',
      reason: `${ctx.protocol}: the bytes end after ${plural(ctx.bytes.length, 'byte')}, inside ${what} (needs ${plural(need, 'byte')})`,
      position: ctx.position,
      expected: `at least ${plural(need, 'byte')} for the ${ctx.protocol} header`,
      hint: 'fields past the end are left without a value; paste the whole header to decode them',
    }),
  );
}

/** Fill `raw`/`value` for every fixed field that lies inside the bytes; note the first that does not. */
function readFixed(ctx: Ctx, fields: HeaderField[], format: (f: HeaderField, raw: number) => string): void {
  let warned = false;
  const total = ctx.bytes.length * 8;
  for (const f of fields) {
    if (f.bits === null) continue;
    if (f.offset + f.bits > total) {
      if (!warned) truncated(ctx, f.name, Math.ceil((f.offset + f.bits) / 8));
      warned = true;
      continue;
    }
    if (f.bits <= 32) {
      const raw = readBits(ctx.bytes, f.offset, f.bits);
      f.raw = raw;
      f.value = format(f, raw);
    } else {
      f.value = format(f, NaN);
    }
  }
}

function defaultValue(f: HeaderField, raw: number, bytes: Uint8Array): string {
  if (Number.isNaN(raw)) {
    const start = f.offset >> 3;
    const len = Math.ceil((f.bits ?? 0) / 8);
    if (len <= 16) {
      let s = '0x';
      for (let i = 0; i < len; i++) s += (bytes[start + i] ?? 0).toString(16).padStart(2, '0');
      return s;
    }
    return plural(len, 'byte');
  }
  if (f.kind === 'flag') return raw ? 'Set' : 'Not set';
  if (f.kind === 'reserved') return raw ? `Set (${hex(raw, Math.ceil((f.bits ?? 4) / 4))})` : 'Not set';
  return String(raw);
}

function model(protocol: string, fields: HeaderField[], ctx: Ctx, groups: HeaderGroup[], summary: string | null): HeaderModel {
  return headerModel({ protocol, fields, bytes: ctx.bytes, warnings: ctx.warnings, position: ctx.position, groups, summary });
}

/** What an offloading stack leaves in the checksum field: the folded pseudo-header sum, not complemented. */
function offloadPartial(pseudo: PseudoHeader | null): number | null {
  return pseudo ? ~internetChecksum([pseudoBytes(pseudo)]) & 0xffff : null;
}

/** The checksum check over pseudo-header + segment, when the pseudo-header is known and the bytes cover it. */
function pseudoVerify(b: Uint8Array, pseudo: PseudoHeader | null, minLength: number): (() => number) | null {
  if (!pseudo || b.length < pseudo.length || pseudo.length < minLength) return null;
  const segment = b.subarray(0, pseudo.length);
  return () => internetChecksum([pseudoBytes(pseudo), segment]);
}

/**
 * Options between byte 20 and `headerLen` (TCP data offset, IPv4 IHL): their fields, and one `Options` group
 * over them; a warning when the bytes stop short of the header length.
 */
function optionsAfterFixed(
  ctx: Ctx,
  fields: HeaderField[],
  groups: HeaderGroup[],
  headerLen: number,
  parse: (ctx: Ctx, start: number, end: number) => { fields: HeaderField[]; texts: string[] },
  value: (length: number, texts: string[]) => string,
  wireshark: string,
): void {
  if (headerLen <= 20) return;
  const b = ctx.bytes;
  const end = Math.min(headerLen, b.length);
  if (b.length < headerLen) truncated(ctx, 'Options', headerLen);
  if (end <= 20) return;
  const opts = parse(ctx, 20, end);
  for (const f of opts.fields) fields.push(f);
  groups.push({ kind: 'options', name: 'Options', short: 'Options', offset: 160, bits: (end - 20) * 8, value: value(end - 20, opts.texts), raw: end - 20, wireshark });
}

function dataField(name: string, short: string, offsetBytes: number, length: number, wireshark: string | null): HeaderField {
  return {
    name,
    short,
    offset: offsetBytes * 8,
    bits: null,
    kind: 'data',
    value: plural(length, 'byte'),
    raw: length,
    color: null,
    wireshark,
    position: null,
  };
}

function checksumText(stored: number, verify: (() => number) | null, zeroIgnored = false, offloadedValue: number | null = null): string {
  if (zeroIgnored && stored === 0) return '0x0000 [zero-value ignored]';
  if (!verify) return hex(stored, 4);
  // Checksum offload: the sender's stack left only the pseudo-header sum for the NIC to complete, so a capture on
  // the sending host (loopback above all) sees that. tshark does not verify and shows "[unverified]"; so do we.
  if (offloadedValue !== null && stored === offloadedValue) return `${hex(stored, 4)} [unverified]`;
  const computed = verify();
  return computed === 0 ? `${hex(stored, 4)} [correct]` : `${hex(stored, 4)} [incorrect, should be ${hex(expectedChecksum(stored, computed), 4)}]`;
}

/** Given the stored checksum and the verification sum over the data with it in place, the value that was due. */
function expectedChecksum(stored: number, verifySum: number): number {
  // verifySum = ~(S + stored) where S is the sum without the checksum; the right value is ~S.
  let s = (~verifySum & 0xffff) + (~stored & 0xffff);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

// ---------------------------------------------------------------------------------------------------------
// TCP

interface TcpOptionOut {
  fields: HeaderField[];
  texts: string[];
}

/**
 * The field of one TCP option `len` bytes long at byte `at`, named and worded as Wireshark shows it: one
 * wording for decoded bytes and for the `header` statement of a simulated segment.
 */
export function tcpOptionField(o: TcpOption, at: number, len: number): HeaderField {
  const field = (name: string, short: string, value: string, raw: number | null, wireshark: string | null): HeaderField =>
    ({ name, short, offset: at * 8, bits: len * 8, kind: 'options', value, raw, color: null, wireshark, position: null });
  switch (o.kind) {
    case 'MSS':
      return field('Maximum Segment Size', 'MSS', `MSS: ${o.value ?? 0}`, o.value ?? null, 'tcp.options.mss');
    case 'WS': {
      const shift = o.value ?? 0;
      return field('Window Scale', 'WS', `Window scale: ${shift} (multiply by ${2 ** Math.min(shift, 14)})`, shift, 'tcp.options.wscale');
    }
    case 'SACK_PERM':
      return field('SACK Permitted', 'SACK_PERM', 'SACK permitted', null, 'tcp.options.sack_perm');
    case 'SACK':
      return field('SACK', 'SACK', `SACK: ${(o.blocks ?? []).map(([l, r]) => `${l}-${r}`).join(', ')}`, null, 'tcp.options.sack');
    case 'TS':
      return field('Timestamps', 'TS', `Timestamps: TSval ${o.value ?? 0}, TSecr ${o.echo ?? 0}`, o.value ?? null, 'tcp.options.timestamp');
    case 'NOP':
      return field('No-Operation', 'NOP', 'NOP', 1, 'tcp.options.nop');
    case 'EOL':
      return field('End of Option List', 'EOL', 'EOL', 0, 'tcp.options.eol');
    default:
      return field(`Option ${o.code ?? '?'}`, `Kind ${o.code ?? '?'}`, `Kind ${o.code ?? '?'}, ${plural(len, 'byte')}`, o.code ?? null, null);
  }
}

function tcpOptions(ctx: Ctx, start: number, end: number): TcpOptionOut {
  const b = ctx.bytes;
  const fields: HeaderField[] = [];
  const texts: string[] = [];
  const option = (o: TcpOption, at: number, len: number) => {
    const f = tcpOptionField(o, at, len);
    fields.push(f);
    texts.push(f.value!);
  };
  // The undecodable rest of the options: shown, but not part of the Options summary.
  const rest = (name: string, short: string, at: number) =>
    fields.push({ name, short, offset: at * 8, bits: (end - at) * 8, kind: 'padding', value: plural(end - at, 'byte'), raw: null, color: null, wireshark: null, position: null });
  let i = start;
  while (i < end) {
    const kind = b[i] ?? 0;
    if (kind === 0) {
      option({ kind: 'EOL' }, i, 1);
      i++;
      if (i < end) rest('Padding', 'Pad', i);
      return { fields, texts };
    }
    if (kind === 1) {
      option({ kind: 'NOP' }, i, 1);
      i++;
      continue;
    }
    const len = i + 1 < end ? (b[i + 1] ?? 0) : 0;
    if (len < 2 || i + len > end) {
      ctx.warnings.push(
        diagnostic({
          code: 'tcp-option-bad-length',
          reason: `TCP option kind ${kind} at byte ${i} has length ${len}, which ${len < 2 ? 'is below the minimum of 2' : `runs past the end of the options (byte ${end})`}`,
          position: ctx.position,
          expected: 'option lengths that fit inside the data offset',
          hint: 'the rest of the options are shown as undecoded bytes',
        }),
      );
      rest('Malformed Options', 'Malformed', i);
      return { fields, texts };
    }
    const v32 = (at: number) => readBits(b, at * 8, 32);
    if (kind === 2 && len === 4) option({ kind: 'MSS', value: readBits(b, (i + 2) * 8, 16) }, i, len);
    else if (kind === 3 && len === 3) option({ kind: 'WS', value: b[i + 2] ?? 0 }, i, len);
    else if (kind === 4 && len === 2) option({ kind: 'SACK_PERM' }, i, len);
    else if (kind === 5 && (len - 2) % 8 === 0) {
      const blocks: Array<[number, number]> = [];
      for (let at = i + 2; at < i + len; at += 8) blocks.push([v32(at), v32(at + 4)]);
      option({ kind: 'SACK', blocks }, i, len);
    } else if (kind === 8 && len === 10) option({ kind: 'TS', value: v32(i + 2), echo: v32(i + 6) }, i, len);
    else option({ kind: 'UNKNOWN', code: kind }, i, len);
    i += len;
  }
  return { fields, texts };
}

function decodeTcp(protocol: string, ctx: Ctx, pseudo: PseudoHeader | null): HeaderModel {
  const b = ctx.bytes;
  const spec = BUILTIN_HEADERS[protocol];
  const table = spec ? spec.fields : BUILTIN_HEADERS.tcp!.fields;
  const fixed = fixedFields(table);
  const verify = pseudoVerify(b, pseudo, 20);
  const partial = offloadPartial(pseudo);
  readFixed(ctx, fixed, (f, raw) => {
    switch (f.wireshark) {
      case 'tcp.hdr_len':
        return `${raw * 4} bytes (${raw})`;
      case 'tcp.checksum':
        return checksumText(raw, verify, false, partial);
      default:
        return defaultValue(f, raw, b);
    }
  });
  const groups = staticGroups(protocol);
  const flagGroup = groups[0];
  if (flagGroup && b.length >= 14) {
    const raw = readBits(b, 100, 12);
    flagGroup.raw = raw;
    flagGroup.value = tcpFlagsText(raw);
  }
  const fields = fixed;
  const doff = b.length >= 13 ? readBits(b, 96, 4) : 5;
  let headerLen = doff * 4;
  if (doff < 5) {
    ctx.warnings.push(
      diagnostic({
        code: 'tcp-bad-data-offset',
        reason: `TCP data offset is ${doff} (${doff * 4} bytes), below the minimum of 5 (20 bytes)`,
        position: ctx.position,
        expected: 'a data offset from 5 to 15',
        hint: 'the header is read as 20 bytes without options',
      }),
    );
    headerLen = 20;
  }
  optionsAfterFixed(ctx, fields, groups, headerLen, tcpOptions, (_, texts) => texts.join(', '), 'tcp.options');
  const payload = b.length - headerLen;
  if (payload > 0) fields.push(dataField('Data', 'Data', headerLen, payload, 'tcp.payload'));
  const f = (ws: string) => fields.find((x) => x.wireshark === ws)?.value ?? '?';
  const summary =
    b.length >= 20
      ? `Transmission Control Protocol, Src Port: ${f('tcp.srcport')}, Dst Port: ${f('tcp.dstport')}, Seq: ${f('tcp.seq_raw')}, Ack: ${f('tcp.ack_raw')}, Len: ${Math.max(0, payload)}`
      : 'Transmission Control Protocol';
  return model(protocol, fields, ctx, groups, summary);
}

// ---------------------------------------------------------------------------------------------------------
// UDP, ICMP, ICMPv6

function decodeUdp(ctx: Ctx, pseudo: PseudoHeader | null): HeaderModel {
  const b = ctx.bytes;
  const fields = fixedFields(BUILTIN_HEADERS.udp!.fields);
  const length = b.length >= 6 ? readBits(b, 32, 16) : b.length;
  // UDP's own length field, not the IP layer's, says what the checksum covers.
  const verify = pseudo ? pseudoVerify(b, { ...pseudo, length }, 8) : null;
  const partial = offloadPartial(pseudo ? { ...pseudo, length } : null);
  readFixed(ctx, fields, (f, raw) => (f.wireshark === 'udp.checksum' ? checksumText(raw, verify, pseudo?.src.length === 4, partial) : defaultValue(f, raw, b)));
  const end = Math.min(b.length, Math.max(8, length));
  if (end > 8) fields.push(dataField('Data', 'Data', 8, end - 8, 'udp.payload'));
  const v = (ws: string) => fields.find((x) => x.wireshark === ws)?.value ?? '?';
  const summary = b.length >= 4 ? `User Datagram Protocol, Src Port: ${v('udp.srcport')}, Dst Port: ${v('udp.dstport')}` : 'User Datagram Protocol';
  return model('udp', fields, ctx, [], summary);
}

function decodeIcmp(protocol: string, ctx: Ctx): HeaderModel {
  const b = ctx.bytes;
  const type = b[0];
  let table: readonly HeaderField[] = BUILTIN_HEADERS[protocol]?.fields ?? ICMP_HEADER;
  if (protocol === 'icmp' && type !== undefined) {
    if (type === 0 || type === 8) table = ICMP_ECHO_HEADER;
    else if (type === 3) table = b[1] === 4 ? ICMP_UNREACHABLE_HEADER : ICMP_TIME_EXCEEDED_HEADER;
    else if (type === 11) table = ICMP_TIME_EXCEEDED_HEADER;
    else if (type === 5) table = ICMP_REDIRECT_HEADER;
  }
  const fields = fixedFields(table);
  const verify = b.length >= 4 ? () => internetChecksum([b]) : null;
  readFixed(ctx, fields, (f, raw) => {
    switch (f.wireshark) {
      case 'icmp.type':
        return `${raw} (${ICMP_TYPES[raw] ?? 'Unknown ICMP (obsolete or malformed?)'})`;
      case 'icmp.code': {
        const name = type !== undefined ? ICMP_CODES[type]?.[raw] : undefined;
        return name ? `${raw} (${name})` : String(raw);
      }
      case 'icmp.checksum':
        return checksumText(raw, verify);
      case 'icmp.ident':
      case 'icmp.seq':
        return `${raw} (${hex(raw, 4)})`;
      case 'icmp.redir_gw':
        return formatIPv4(b, 4);
      case 'icmp.unused':
        return Array.from(b.subarray(f.offset >> 3, (f.offset + (f.bits ?? 0)) >> 3), (x) => x.toString(16).padStart(2, '0')).join('');
      default:
        return defaultValue(f, raw, b);
    }
  });
  const rest = table.find((f) => f.bits === null);
  if (rest && b.length > 8) fields.push(dataField(rest.name, rest.short ?? 'Data', 8, b.length - 8, rest.wireshark));
  return model(protocol, fields, ctx, [], 'Internet Control Message Protocol');
}

function decodeIcmpv6(protocol: string, ctx: Ctx, pseudo: PseudoHeader | null): HeaderModel {
  const b = ctx.bytes;
  const type = b[0];
  const table = protocol === 'icmpv6-echo' || type === 128 || type === 129 ? ICMPV6_ECHO_HEADER : ICMPV6_HEADER;
  const fields = fixedFields(table);
  const verify = pseudoVerify(b, pseudo, 4);
  readFixed(ctx, fields, (f, raw) => {
    switch (f.wireshark) {
      case 'icmpv6.type':
        return `${ICMPV6_TYPES[raw] ?? 'Unknown'} (${raw})`;
      case 'icmpv6.checksum':
        return checksumText(raw, verify);
      case 'icmpv6.echo.identifier':
        return hex(raw, 4);
      default:
        return defaultValue(f, raw, b);
    }
  });
  const start = table === ICMPV6_ECHO_HEADER ? 8 : 4;
  const rest = table.find((f) => f.bits === null);
  if (rest && b.length > start) fields.push(dataField(rest.name, rest.short ?? 'Data', start, b.length - start, rest.wireshark));
  return model(protocol, fields, ctx, [], 'Internet Control Message Protocol v6');
}

// ---------------------------------------------------------------------------------------------------------
// IPv4, IPv6, Ethernet

const IPV4_OPTIONS: Record<number, [string, string, string]> = {
  0: ['End of Options List (EOL)', 'EOL', 'ip.options.eol'],
  1: ['No-Operation (NOP)', 'NOP', 'ip.options.nop'],
  7: ['Record Route', 'RR', 'ip.options.record_route'],
  68: ['Time Stamp', 'TS', ''],
  130: ['Security', 'SEC', ''],
  131: ['Loose Source Route', 'LSRR', ''],
  137: ['Strict Source Route', 'SSRR', ''],
  148: ['Router Alert', 'RA', 'ip.options.routeralert'],
};

function ipv4Options(ctx: Ctx, start: number, end: number): { fields: HeaderField[]; texts: string[] } {
  const b = ctx.bytes;
  const fields: HeaderField[] = [];
  const texts: string[] = [];
  let i = start;
  while (i < end) {
    const type = b[i] ?? 0;
    const [name, short, ws] = IPV4_OPTIONS[type] ?? [`Option ${type}`, `Opt ${type}`, null];
    const len = type === 0 || type === 1 ? 1 : (b[i + 1] ?? 0);
    if (len < 1 || i + len > end || (type > 1 && len < 2)) {
      ctx.warnings.push(
        diagnostic({
          code: 'ipv4-option-bad-length',
          reason: `IPv4 option ${type} at byte ${i} has length ${len}, which does not fit the header`,
          position: ctx.position,
          expected: 'option lengths that fit inside the header length',
          hint: 'the rest of the options are shown as undecoded bytes',
        }),
      );
      fields.push({ name: 'Malformed Options', short: 'Malformed', offset: i * 8, bits: (end - i) * 8, kind: 'padding', value: plural(end - i, 'byte'), raw: null, color: null, wireshark: null, position: null });
      break;
    }
    let value = len === 1 ? name : `${name} (${len} bytes)`;
    if (type === 148 && len === 4) {
      const ra = ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0);
      value += `: ${ra === 0 ? 'Router shall examine packet' : 'Reserved'} (${ra})`;
    }
    if ((type === 7 || type === 131 || type === 137) && len >= 3) {
      // Only the slots before the pointer hold addresses; the rest are room for routers to fill in.
      const addrs: string[] = [];
      const filled = Math.min(i + len, i + (b[i + 2] ?? 4) - 1);
      for (let at = i + 3; at + 4 <= filled; at += 4) addrs.push(formatIPv4(b, at));
      if (addrs.length) value += ': ' + addrs.join(', ');
    }
    fields.push({ name: name.replace(/ \((EOL|NOP)\)$/, ''), short, offset: i * 8, bits: len * 8, kind: 'options', value, raw: type, color: null, wireshark: ws || null, position: null });
    texts.push(value);
    i += len;
    if (type === 0) {
      if (i < end) fields.push({ name: 'Padding', short: 'Pad', offset: i * 8, bits: (end - i) * 8, kind: 'padding', value: plural(end - i, 'byte'), raw: null, color: null, wireshark: null, position: null });
      break;
    }
  }
  return { fields, texts };
}

function decodeIpv4(ctx: Ctx): HeaderModel {
  const b = ctx.bytes;
  const fields = fixedFields(BUILTIN_HEADERS.ipv4!.fields);
  const ihl = b.length >= 1 ? (b[0] ?? 0) & 0x0f : 5;
  const headerLen = Math.max(20, ihl * 4);
  const verify = b.length >= headerLen ? () => internetChecksum([b.subarray(0, headerLen)]) : null;
  readFixed(ctx, fields, (f, raw) => {
    switch (f.wireshark) {
      case 'ip.hdr_len':
        return `${raw * 4} bytes (${raw})`;
      case 'ip.dsfield.dscp':
        return `${DSCP[raw]?.[0] ?? 'Unknown'} (${raw})`;
      case 'ip.dsfield.ecn':
        return `${ECN[raw]?.[0] ?? 'Unknown'} (${raw})`;
      case 'ip.id':
        return `${hex(raw, 4)} (${raw})`;
      case 'ip.proto':
        return protoName(raw);
      case 'ip.checksum':
        return checksumText(raw, verify);
      case 'ip.src':
      case 'ip.dst':
        return formatIPv4(b, f.offset >> 3);
      default:
        return defaultValue(f, raw, b);
    }
  });
  if (b.length >= 1 && (b[0] ?? 0) >> 4 !== 4) {
    ctx.warnings.push(diagnostic({ code: 'ipv4-bad-version', reason: `the IP version field is ${(b[0] ?? 0) >> 4}, not 4`, position: ctx.position, expected: 'version 4', hint: 'decode these bytes as ipv6, or check where the header starts' }));
  }
  if (ihl < 5 && b.length >= 1) {
    ctx.warnings.push(diagnostic({ code: 'ipv4-bad-header-length', reason: `the IPv4 header length is ${ihl} (${ihl * 4} bytes), below the minimum of 5 (20 bytes)`, position: ctx.position, expected: 'a header length from 5 to 15', hint: 'the header is read as 20 bytes without options' }));
  }
  const groups = staticGroups('ipv4');
  const flagGroup = groups[0];
  if (flagGroup && b.length >= 7) {
    const raw = readBits(b, 48, 3);
    const names = [raw & 4 ? 'Reserved bit' : null, raw & 2 ? "Don't fragment" : null, raw & 1 ? 'More fragments' : null].filter(Boolean);
    flagGroup.raw = raw;
    flagGroup.value = `${hex(raw, 1)}${names.length ? ', ' + names.join(', ') : ''}`;
  }
  optionsAfterFixed(ctx, fields, groups, headerLen, ipv4Options, (length, texts) => `(${length} bytes)${texts.length ? ', ' + texts.join(', ') : ''}`, 'ip.options');
  const total = b.length >= 4 ? readBits(b, 16, 16) : b.length;
  const payloadEnd = Math.min(b.length, Math.max(total, headerLen));
  if (payloadEnd > headerLen) fields.push(dataField('Data', 'Data', headerLen, payloadEnd - headerLen, null));
  const summary = b.length >= 20 ? `Internet Protocol Version 4, Src: ${formatIPv4(b, 12)}, Dst: ${formatIPv4(b, 16)}` : 'Internet Protocol Version 4';
  return model('ipv4', fields, ctx, groups, summary);
}

function decodeIpv6(ctx: Ctx): HeaderModel {
  const b = ctx.bytes;
  const fields = fixedFields(BUILTIN_HEADERS.ipv6!.fields);
  readFixed(ctx, fields, (f, raw) => {
    switch (f.wireshark) {
      case 'ipv6.tclass':
        return `${hex(raw, 2)} (DSCP: ${DSCP[raw >> 2]?.[1] ?? 'Unknown'}, ECN: ${ECN[raw & 3]?.[1] ?? ''})`;
      case 'ipv6.flow':
        return hex(raw, 5);
      case 'ipv6.nxt':
        return protoName(raw);
      case 'ipv6.src':
      case 'ipv6.dst':
        return formatIPv6(b, f.offset >> 3);
      default:
        return defaultValue(f, raw, b);
    }
  });
  if (b.length >= 1 && (b[0] ?? 0) >> 4 !== 6) {
    ctx.warnings.push(diagnostic({ code: 'ipv6-bad-version', reason: `the IP version field is ${(b[0] ?? 0) >> 4}, not 6`, position: ctx.position, expected: 'version 6', hint: 'decode these bytes as ipv4, or check where the header starts' }));
  }
  const plen = b.length >= 6 ? readBits(b, 32, 16) : 0;
  const end = Math.min(b.length, 40 + plen);
  if (end > 40) fields.push(dataField('Payload', 'Payload', 40, end - 40, null));
  const summary = b.length >= 40 ? `Internet Protocol Version 6, Src: ${formatIPv6(b, 8)}, Dst: ${formatIPv6(b, 24)}` : 'Internet Protocol Version 6';
  return model('ipv6', fields, ctx, [], summary);
}

function decodeIpv6Ext(ctx: Ctx, code: number): HeaderModel {
  const b = ctx.bytes;
  const fields = fixedFields(BUILTIN_HEADERS['ipv6-ext']!.fields);
  readFixed(ctx, fields, (f, raw) => (f.name === 'Next Header' ? protoName(raw) : code === 44 ? String(raw) : `${raw} (${(raw + 1) * 8} bytes)`));
  const len = code === 44 ? 8 : ((b[1] ?? 0) + 1) * 8;
  const end = Math.min(len, b.length);
  if (end > 2) fields.push({ name: code === 44 ? 'Fragment Offset, Flags, Identification' : 'Options', short: 'Options', offset: 16, bits: (end - 2) * 8, kind: 'options', value: plural(end - 2, 'byte'), raw: null, color: null, wireshark: null, position: null });
  return model('ipv6-ext', fields, ctx, [], IP_PROTOCOLS[code] ?? 'IPv6 Extension Header');
}

function decodeEthernet(ctx: Ctx): HeaderModel {
  const b = ctx.bytes;
  const fields = BUILTIN_HEADERS.ethernet!.fields.map((f) => cloneField(f));
  readFixed(ctx, fields, (f, raw) => (f.wireshark === 'eth.type' ? `${ETHER_TYPES[raw] ?? 'Unknown'} (${hex(raw, 4)})` : formatMac(b, f.offset >> 3)));
  const summary = b.length >= 12 ? `Ethernet II, Src: ${formatMac(b, 6)}, Dst: ${formatMac(b, 0)}` : 'Ethernet II';
  return model('ethernet', fields, ctx, [], summary);
}

function decodeVlan(ctx: Ctx): HeaderModel {
  const b = ctx.bytes;
  const fields = BUILTIN_HEADERS.vlan!.fields.map((f) => cloneField(f));
  readFixed(ctx, fields, (f, raw) => (f.wireshark === 'vlan.etype' ? `${ETHER_TYPES[raw] ?? 'Unknown'} (${hex(raw, 4)})` : defaultValue(f, raw, b)));
  return model('vlan', fields, ctx, [], b.length >= 2 ? `802.1Q Virtual LAN, PRI: ${(b[0] ?? 0) >> 5}, DEI: ${((b[0] ?? 0) >> 4) & 1}, ID: ${readBits(b, 4, 12)}` : '802.1Q Virtual LAN');
}

// ---------------------------------------------------------------------------------------------------------
// Public entry points

function toBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (Array.isArray(bytes) && bytes.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) return Uint8Array.from(bytes as number[]);
  throw new WiregramError({ code: 'header-bad-bytes', reason: 'the bytes to decode must be a Uint8Array', expected: 'a Uint8Array (or an array of numbers 0–255)', hint: 'convert hex text with `parsePacketHeader("tcp\\nbytes …")` or Buffer.from(hex, "hex")' });
}

function tooMany(length: number): WiregramError {
  return new WiregramError({
    code: 'header-too-many-bytes',
    reason: `${length} bytes is more than one packet (at most ${MAX_DECODE_BYTES})`,
    expected: `at most ${MAX_DECODE_BYTES} bytes`,
    hint: 'decode one packet at a time',
  });
}

/**
 * Decode one header (and what follows it as its data) from bytes. `protocol` is a built-in name (`tcp`,
 * `udp`, `ipv4`, `ipv6`, `icmp`, `icmpv6`, `ethernet`, …). Pass `pseudoHeader` to have the TCP/UDP/ICMPv6
 * checksum verified.
 */
export function decodeHeader(protocol: string, bytes: Uint8Array, options: DecodeOptions = {}): HeaderModel {
  const name = requireBuiltin(String(protocol), options.position ?? null);
  const b = toBytes(bytes);
  if (b.length > MAX_DECODE_BYTES) throw tooMany(b.length);
  const ctx: Ctx = { bytes: b, warnings: [], position: options.position ?? null, protocol: BUILTIN_HEADERS[name]?.title ?? name };
  if (b.length === 0) {
    throw new WiregramError({ code: 'header-no-bytes', reason: `no bytes to decode as ${name}`, position: ctx.position, expected: 'the header bytes in hex', hint: 'e.g. `bytes 1f90 d431 0000 0001 …`' });
  }
  const pseudo = options.pseudoHeader ?? null;
  switch (name) {
    case 'tcp':
    case 'tcp-rfc793':
      return decodeTcp(name, ctx, pseudo);
    case 'udp':
      return decodeUdp(ctx, pseudo);
    case 'icmp':
    case 'icmp-echo':
    case 'icmp-unreachable':
    case 'icmp-time-exceeded':
    case 'icmp-redirect':
      return decodeIcmp(name, ctx);
    case 'icmpv6':
    case 'icmpv6-echo':
      return decodeIcmpv6(name, ctx, pseudo);
    case 'ipv4':
      return decodeIpv4(ctx);
    case 'ipv6':
      return decodeIpv6(ctx);
    case 'ipv6-ext':
      return decodeIpv6Ext(ctx, 0);
    case 'ethernet':
      return decodeEthernet(ctx);
    default:
      return decodeVlan(ctx);
  }
}

export interface DecodePacketOptions {
  /** What the bytes start with: `ip` (IPv4 or IPv6 by the version nibble; default), `ipv4`, `ipv6`, `ethernet`. */
  link?: 'ip' | 'ipv4' | 'ipv6' | 'ethernet';
  position?: Position | null;
}

function at(m: HeaderModel, offset: number): HeaderModel {
  m.byteOffset = offset;
  return m;
}

/** Drop the IP layer's `Data`/`Payload` field once the next layer shows those bytes itself. */
function dropData(m: HeaderModel): void {
  m.fields = m.fields.filter((f) => f.kind !== 'data');
}

/**
 * Decode a whole packet into one HeaderModel per layer (Ethernet, 802.1Q, IPv4/IPv6 and its extension
 * headers, TCP/UDP/ICMP/ICMPv6), outermost first, each with `byteOffset` and the checksums verified where
 * the pseudo-header is known. Used for `packet-header` stacks and for capture frames.
 */
export function decodePacket(bytes: Uint8Array, options: DecodePacketOptions = {}): HeaderModel[] {
  const all = toBytes(bytes);
  if (all.length > MAX_DECODE_BYTES + 64) throw tooMany(all.length);
  const position = options.position ?? null;
  const layers: HeaderModel[] = [];
  let off = 0;
  let link = options.link ?? 'ip';
  if (all.length === 0) {
    throw new WiregramError({ code: 'header-no-bytes', reason: 'no bytes to decode', position, expected: 'a packet in hex', hint: 'e.g. `bytes 4500 003c …`' });
  }
  if (link === 'ethernet') {
    const eth = at(decodeHeader('ethernet', all.subarray(0, Math.min(14, all.length)), { position }), 0);
    layers.push(eth);
    if (all.length < 14) return layers;
    let type = readBits(all, 96, 16);
    off = 14;
    for (let depth = 0; (type === 0x8100 || type === 0x88a8) && depth < 4; depth++) {
      const vlan = at(decodeHeader('vlan', all.subarray(off, Math.min(off + 4, all.length)), { position }), off);
      layers.push(vlan);
      if (all.length < off + 4) return layers;
      type = readBits(all, off * 8 + 16, 16);
      off += 4;
    }
    if (type === 0x0800) link = 'ipv4';
    else if (type === 0x86dd) link = 'ipv6';
    else return layers;
  }
  const rest = all.subarray(off);
  if (rest.length === 0) return layers;
  if (link === 'ip') link = (rest[0] ?? 0) >> 4 === 6 ? 'ipv6' : 'ipv4';
  let upper: number;
  let upperBytes: Uint8Array;
  let upperOffset: number;
  let pseudo: PseudoHeader | null = null;
  let fragment = false;
  if (link === 'ipv4') {
    const ip = at(decodeHeader('ipv4', rest, { position }), off);
    layers.push(ip);
    if (rest.length < 20) return layers;
    const hl = Math.max(20, ((rest[0] ?? 0) & 0x0f) * 4);
    const total = readBits(rest, 16, 16);
    const end = Math.min(rest.length, Math.max(total, hl));
    upper = rest[9] ?? 0;
    upperOffset = off + hl;
    upperBytes = rest.subarray(Math.min(hl, end), end);
    const fragOffset = readBits(rest, 51, 13);
    fragment = fragOffset !== 0;
    if (readBits(rest, 50, 1) === 0 && !fragment) {
      pseudo = { src: rest.slice(12, 16), dst: rest.slice(16, 20), protocol: upper, length: Math.max(0, total - hl) };
    }
  } else {
    const ip = at(decodeHeader('ipv6', rest, { position }), off);
    layers.push(ip);
    if (rest.length < 40) return layers;
    const plen = readBits(rest, 32, 16);
    const end = Math.min(rest.length, 40 + plen);
    upper = rest[6] ?? 0;
    let cur = 40;
    // Walk the extension headers a host walks before the upper layer (RFC 8200 §4.1).
    for (let n = 0; (upper === 0 || upper === 43 || upper === 60 || upper === 44) && n < 8 && cur + 2 <= end; n++) {
      const len = upper === 44 ? 8 : ((rest[cur + 1] ?? 0) + 1) * 8;
      const ext = at(decodeIpv6Ext({ bytes: rest.subarray(cur, Math.min(cur + len, end)), warnings: [], position, protocol: 'IPv6 extension header' }, upper), off + cur);
      layers.push(ext);
      if (upper === 44) fragment = fragment || readBits(rest, cur * 8 + 16, 13) !== 0 || readBits(rest, cur * 8 + 31, 1) === 1;
      upper = rest[cur] ?? 59;
      cur += len;
    }
    upperOffset = off + cur;
    upperBytes = rest.subarray(Math.min(cur, end), end);
    if (!fragment) pseudo = { src: rest.slice(8, 24), dst: rest.slice(24, 40), protocol: upper, length: Math.max(0, 40 + plen - cur) };
  }
  const ipLayer = layers[layers.length - 1]!;
  const known = upper === 6 || upper === 17 || upper === 1 || upper === 58;
  if (fragment) {
    ipLayer.warnings.push(diagnostic({ code: 'ip-fragment', reason: 'this packet is a fragment; the upper layer is not decoded', position, expected: 'an unfragmented packet', hint: 'decode the first fragment, or the reassembled packet' }));
    return layers;
  }
  if (!known || upperBytes.length === 0) return layers;
  for (const l of layers) if (l.protocol === 'ipv4' || l.protocol === 'ipv6' || l.protocol === 'ipv6-ext') dropData(l);
  const name = upper === 6 ? 'tcp' : upper === 17 ? 'udp' : upper === 1 ? 'icmp' : 'icmpv6';
  const top = decodeHeader(name, upperBytes, { pseudoHeader: name === 'icmp' ? null : pseudo, position });
  layers.push(at(top, upperOffset));
  return layers;
}

/** The layered forms `packet-header` accepts (`ipv4 + tcp`): the layers merged into one model for one grid. */
export function mergeLayers(layers: HeaderModel[], protocol: string, bytes: Uint8Array | null = null): HeaderModel {
  const fields: HeaderField[] = [];
  const groups: HeaderGroup[] = [];
  const warnings: Diagnostic[] = [];
  const first = layers[0]?.byteOffset ?? 0;
  for (const l of layers) {
    const shift = ((l.byteOffset ?? 0) - first) * 8;
    for (const f of l.fields) fields.push({ ...f, offset: f.offset + shift });
    const title = l.protocol ? (BUILTIN_HEADERS[l.protocol]?.title ?? l.protocol) : 'Header';
    const last = l.fields[l.fields.length - 1];
    const end = last && last.bits !== null ? last.offset + last.bits : null;
    groups.push({ kind: 'layer', name: title, short: l.protocol, offset: shift, bits: end, value: l.summary ?? null, raw: null, wireshark: null });
    for (const g of l.groups ?? []) groups.push({ ...g, offset: g.offset + shift });
    for (const w of l.warnings) warnings.push(w);
  }
  return headerModel({
    protocol,
    fields,
    bytes: bytes ?? layers[0]?.bytes ?? null,
    warnings,
    groups,
    summary: layers.map((l) => l.summary).filter(Boolean).join(' / ') || null,
    byteOffset: first,
  });
}
