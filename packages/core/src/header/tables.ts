/**
 * Built-in field tables: TCP (RFC 9293 §3.1, and the RFC 793 layout the seed figures draw), UDP (RFC 768),
 * IPv4 (RFC 791), IPv6 (RFC 8200 fixed header), ICMP (RFC 792) in its common forms, ICMPv6 (RFC 4443) and
 * Ethernet II. Offsets count bits from the first bit of the header; `wireshark` is the display-filter field
 * whose value Wireshark shows for the same bits (checked against `tshark -T pdml` in the tests).
 */
import type { HeaderField, HeaderModel } from './model.js';
import { WiregramError, type Position } from '../errors.js';
import { clip, suggest } from './util.js';

type Kind = HeaderField['kind'];

function f(name: string, short: string | null, offset: number, bits: number | null, kind: Kind, wireshark: string | null): HeaderField {
  return Object.freeze({ name, short, offset, bits, kind, value: null, raw: null, color: null, wireshark, position: null });
}

const table = (fields: HeaderField[]): readonly HeaderField[] => Object.freeze(fields);

export const TCP_HEADER = table([
  f('Source Port', 'Src Port', 0, 16, 'field', 'tcp.srcport'),
  f('Destination Port', 'Dst Port', 16, 16, 'field', 'tcp.dstport'),
  f('Sequence Number', 'Seq', 32, 32, 'field', 'tcp.seq_raw'),
  f('Acknowledgment Number', 'Ack', 64, 32, 'field', 'tcp.ack_raw'),
  f('Data Offset', 'DOff', 96, 4, 'field', 'tcp.hdr_len'),
  // tshark 4.0.17 splits RFC 9293's four reserved bits as RFC 9768 does: three reserved, then AE (AccECN, ex-NS).
  f('Reserved', 'Rsrvd', 100, 3, 'reserved', 'tcp.flags.res'),
  f('Accurate ECN', 'AE', 103, 1, 'flag', 'tcp.flags.ae'),
  f('Congestion Window Reduced', 'CWR', 104, 1, 'flag', 'tcp.flags.cwr'),
  f('ECN-Echo', 'ECE', 105, 1, 'flag', 'tcp.flags.ece'),
  f('Urgent', 'URG', 106, 1, 'flag', 'tcp.flags.urg'),
  f('Acknowledgment', 'ACK', 107, 1, 'flag', 'tcp.flags.ack'),
  f('Push', 'PSH', 108, 1, 'flag', 'tcp.flags.push'),
  f('Reset', 'RST', 109, 1, 'flag', 'tcp.flags.reset'),
  f('Synchronize', 'SYN', 110, 1, 'flag', 'tcp.flags.syn'),
  f('Finish', 'FIN', 111, 1, 'flag', 'tcp.flags.fin'),
  f('Window', 'Window', 112, 16, 'field', 'tcp.window_size_value'),
  f('Checksum', 'Checksum', 128, 16, 'field', 'tcp.checksum'),
  f('Urgent Pointer', 'Urg Ptr', 144, 16, 'field', 'tcp.urgent_pointer'),
  f('Options', 'Options', 160, null, 'options', 'tcp.options'),
  f('Data', 'Data', 160, null, 'data', 'tcp.payload'),
]);

/** RFC 793's layout — 6 reserved bits, no CWR/ECE — as most textbooks (and the seed figure) still draw it. */
export const TCP_RFC793_HEADER = table([
  ...TCP_HEADER.slice(0, 5),
  f('Reserved', 'Rsrvd', 100, 6, 'reserved', 'tcp.flags.res'),
  ...TCP_HEADER.slice(9),
]);

export const UDP_HEADER = table([
  f('Source Port', 'Src Port', 0, 16, 'field', 'udp.srcport'),
  f('Destination Port', 'Dst Port', 16, 16, 'field', 'udp.dstport'),
  f('Length', 'Length', 32, 16, 'field', 'udp.length'),
  f('Checksum', 'Checksum', 48, 16, 'field', 'udp.checksum'),
  f('Data', 'Data', 64, null, 'data', 'udp.payload'),
]);

export const IPV4_HEADER = table([
  f('Version', 'Ver', 0, 4, 'field', 'ip.version'),
  f('Internet Header Length', 'IHL', 4, 4, 'field', 'ip.hdr_len'),
  f('Differentiated Services Codepoint', 'DSCP', 8, 6, 'field', 'ip.dsfield.dscp'),
  f('Explicit Congestion Notification', 'ECN', 14, 2, 'field', 'ip.dsfield.ecn'),
  f('Total Length', 'Total Len', 16, 16, 'field', 'ip.len'),
  f('Identification', 'ID', 32, 16, 'field', 'ip.id'),
  f('Reserved bit', 'RB', 48, 1, 'reserved', 'ip.flags.rb'),
  f("Don't Fragment", 'DF', 49, 1, 'flag', 'ip.flags.df'),
  f('More Fragments', 'MF', 50, 1, 'flag', 'ip.flags.mf'),
  f('Fragment Offset', 'Frag Offset', 51, 13, 'field', 'ip.frag_offset'),
  f('Time to Live', 'TTL', 64, 8, 'field', 'ip.ttl'),
  f('Protocol', 'Proto', 72, 8, 'field', 'ip.proto'),
  f('Header Checksum', 'Checksum', 80, 16, 'field', 'ip.checksum'),
  f('Source Address', 'Src', 96, 32, 'field', 'ip.src'),
  f('Destination Address', 'Dst', 128, 32, 'field', 'ip.dst'),
  f('Options', 'Options', 160, null, 'options', null),
  f('Data', 'Data', 160, null, 'data', null),
]);

export const IPV6_HEADER = table([
  f('Version', 'Ver', 0, 4, 'field', 'ipv6.version'),
  f('Traffic Class', 'TC', 4, 8, 'field', 'ipv6.tclass'),
  f('Flow Label', 'Flow', 12, 20, 'field', 'ipv6.flow'),
  f('Payload Length', 'Payload Len', 32, 16, 'field', 'ipv6.plen'),
  f('Next Header', 'Next', 48, 8, 'field', 'ipv6.nxt'),
  f('Hop Limit', 'Hop Limit', 56, 8, 'field', 'ipv6.hlim'),
  f('Source Address', 'Src', 64, 128, 'field', 'ipv6.src'),
  f('Destination Address', 'Dst', 192, 128, 'field', 'ipv6.dst'),
  f('Payload', 'Payload', 320, null, 'data', null),
]);

/** An IPv6 extension header (Hop-by-Hop, Routing, Destination Options, Fragment) decoded generically. */
export const IPV6_EXTENSION_HEADER = table([
  f('Next Header', 'Next', 0, 8, 'field', null),
  f('Header Extension Length', 'Len', 8, 8, 'field', null),
  f('Options', 'Options', 16, null, 'options', null),
]);

const ICMP_COMMON = [
  f('Type', 'Type', 0, 8, 'field', 'icmp.type'),
  f('Code', 'Code', 8, 8, 'field', 'icmp.code'),
  f('Checksum', 'Checksum', 16, 16, 'field', 'icmp.checksum'),
];

/** The generic ICMP message: type, code, checksum, 32 bits that depend on the type, then data. */
export const ICMP_HEADER = table([
  ...ICMP_COMMON,
  f('Rest of Header', 'Rest', 32, 32, 'field', null),
  f('Data', 'Data', 64, null, 'data', 'data.data'),
]);

/** Echo request (type 8) and echo reply (type 0): what `ping` sends. */
export const ICMP_ECHO_HEADER = table([
  ...ICMP_COMMON,
  f('Identifier', 'ID', 32, 16, 'field', 'icmp.ident'),
  f('Sequence Number', 'Seq', 48, 16, 'field', 'icmp.seq'),
  f('Data', 'Data', 64, null, 'data', 'data.data'),
]);

/** Destination unreachable (type 3), with the next-hop MTU of RFC 1191 for code 4. */
export const ICMP_UNREACHABLE_HEADER = table([
  ...ICMP_COMMON,
  f('Unused', 'Unused', 32, 16, 'reserved', 'icmp.unused'),
  f('Next-Hop MTU', 'MTU', 48, 16, 'field', 'icmp.mtu'),
  f('Internet Header + 64 bits of Original Data', 'Original Datagram', 64, null, 'data', null),
]);

/** Time exceeded (type 11) — and destination unreachable with any code but 4, which has the same shape. */
export const ICMP_TIME_EXCEEDED_HEADER = table([
  ...ICMP_COMMON,
  f('Unused', 'Unused', 32, 32, 'reserved', 'icmp.unused'),
  f('Internet Header + 64 bits of Original Data', 'Original Datagram', 64, null, 'data', null),
]);

/** Redirect (type 5). */
export const ICMP_REDIRECT_HEADER = table([
  ...ICMP_COMMON,
  f('Gateway Internet Address', 'Gateway', 32, 32, 'field', 'icmp.redir_gw'),
  f('Internet Header + 64 bits of Original Data', 'Original Datagram', 64, null, 'data', null),
]);

const ICMPV6_COMMON = [
  f('Type', 'Type', 0, 8, 'field', 'icmpv6.type'),
  f('Code', 'Code', 8, 8, 'field', 'icmpv6.code'),
  f('Checksum', 'Checksum', 16, 16, 'field', 'icmpv6.checksum'),
];

export const ICMPV6_HEADER = table([...ICMPV6_COMMON, f('Message Body', 'Body', 32, null, 'data', null)]);

export const ICMPV6_ECHO_HEADER = table([
  ...ICMPV6_COMMON,
  f('Identifier', 'ID', 32, 16, 'field', 'icmpv6.echo.identifier'),
  f('Sequence Number', 'Seq', 48, 16, 'field', 'icmpv6.echo.sequence_number'),
  f('Data', 'Data', 64, null, 'data', 'data.data'),
]);

export const ETHERNET_HEADER = table([
  f('Destination', 'Dst', 0, 48, 'field', 'eth.dst'),
  f('Source', 'Src', 48, 48, 'field', 'eth.src'),
  f('Type', 'Type', 96, 16, 'field', 'eth.type'),
]);

/** An 802.1Q tag as it follows the Ethernet source address (the TPID 0x8100 is the Ethernet Type before it). */
export const VLAN_HEADER = table([
  f('Priority', 'PRI', 0, 3, 'field', 'vlan.priority'),
  f('Drop Eligible', 'DEI', 3, 1, 'flag', 'vlan.dei'),
  f('VLAN Identifier', 'VID', 4, 12, 'field', 'vlan.id'),
  f('Type', 'Type', 16, 16, 'field', 'vlan.etype'),
]);

export interface BuiltinHeader {
  /** Canonical name used in `packet-header` (`tcp`) and in HeaderModel.protocol. */
  name: string;
  /** Wireshark's protocol heading (`Transmission Control Protocol`). */
  title: string;
  fields: readonly HeaderField[];
  /** Other spellings accepted in `packet-header`. */
  aliases: readonly string[];
}

export const BUILTIN_HEADERS: Readonly<Record<string, BuiltinHeader>> = Object.freeze({
  tcp: { name: 'tcp', title: 'Transmission Control Protocol', fields: TCP_HEADER, aliases: ['tcp-rfc9293'] },
  'tcp-rfc793': { name: 'tcp-rfc793', title: 'Transmission Control Protocol', fields: TCP_RFC793_HEADER, aliases: ['tcp-classic', 'tcp-793'] },
  udp: { name: 'udp', title: 'User Datagram Protocol', fields: UDP_HEADER, aliases: [] },
  ipv4: { name: 'ipv4', title: 'Internet Protocol Version 4', fields: IPV4_HEADER, aliases: ['ip4', 'ip'] },
  ipv6: { name: 'ipv6', title: 'Internet Protocol Version 6', fields: IPV6_HEADER, aliases: ['ip6'] },
  'ipv6-ext': { name: 'ipv6-ext', title: 'IPv6 Extension Header', fields: IPV6_EXTENSION_HEADER, aliases: [] },
  icmp: { name: 'icmp', title: 'Internet Control Message Protocol', fields: ICMP_HEADER, aliases: ['icmpv4'] },
  'icmp-echo': { name: 'icmp-echo', title: 'Internet Control Message Protocol', fields: ICMP_ECHO_HEADER, aliases: ['ping'] },
  'icmp-unreachable': { name: 'icmp-unreachable', title: 'Internet Control Message Protocol', fields: ICMP_UNREACHABLE_HEADER, aliases: [] },
  'icmp-time-exceeded': { name: 'icmp-time-exceeded', title: 'Internet Control Message Protocol', fields: ICMP_TIME_EXCEEDED_HEADER, aliases: [] },
  'icmp-redirect': { name: 'icmp-redirect', title: 'Internet Control Message Protocol', fields: ICMP_REDIRECT_HEADER, aliases: [] },
  icmpv6: { name: 'icmpv6', title: 'Internet Control Message Protocol v6', fields: ICMPV6_HEADER, aliases: ['icmp6'] },
  'icmpv6-echo': { name: 'icmpv6-echo', title: 'Internet Control Message Protocol v6', fields: ICMPV6_ECHO_HEADER, aliases: ['icmp6-echo'] },
  ethernet: { name: 'ethernet', title: 'Ethernet II', fields: ETHERNET_HEADER, aliases: ['eth'] },
  vlan: { name: 'vlan', title: '802.1Q Virtual LAN', fields: VLAN_HEADER, aliases: ['802.1q', 'dot1q'] },
});

const ALIASES: Map<string, string> = new Map();
for (const b of Object.values(BUILTIN_HEADERS)) {
  ALIASES.set(b.name, b.name);
  for (const a of b.aliases) ALIASES.set(a, b.name);
}

/** The canonical built-in name for a name or alias (case-insensitive), or null. */
export function resolveBuiltin(name: string): string | null {
  return ALIASES.get(name.toLowerCase()) ?? null;
}

/** Every name `packet-header` accepts for a built-in, aliases included (for "did you mean" hints). */
export function builtinNames(): string[] {
  return [...ALIASES.keys()];
}

/** A mutable copy. Spelled out, not `{...field}`: spreading frozen objects was the hot spot of a decode. */
export function cloneField(f: HeaderField, shiftBits = 0): HeaderField {
  return { name: f.name, short: f.short, offset: f.offset + shiftBits, bits: f.bits, kind: f.kind, value: f.value, raw: f.raw, color: f.color, wireshark: f.wireshark, position: f.position };
}

/** A fresh, value-less HeaderModel for a built-in layout (`tcp`, `udp`, `ipv4`, …). */
export function builtinHeader(name: string): HeaderModel {
  const spec = BUILTIN_HEADERS[requireBuiltin(name)];
  if (!spec) throw new Error('unreachable: resolved built-in without a table');
  const fields = spec.fields.map((fl) => cloneField(fl));
  return headerModel({ protocol: spec.name, fields, groups: staticGroups(spec.name) });
}

/**
 * A HeaderModel with the defaults a built-in header starts from (32-bit rows, no ruler, no offsets, no bytes),
 * overridden by `init`. One place, so the decoders and `headerFromSegment` agree on them and on key order.
 */
export function headerModel(init: Pick<HeaderModel, 'protocol' | 'fields'> & Partial<HeaderModel>): HeaderModel {
  const defaults: HeaderModel = {
    kind: 'header',
    title: null,
    protocol: init.protocol,
    rowBits: 32,
    ruler: false,
    offsets: false,
    fields: init.fields,
    bytes: null,
    warnings: [],
    position: null,
    groups: [],
    summary: null,
    byteOffset: 0,
  };
  return Object.assign(defaults, init);
}

/** Copies of a table's fixed-width fields (the variable-length `bits: null` tail left out), for filling in. */
export function fixedFields(table: readonly HeaderField[]): HeaderField[] {
  return table.filter((f) => f.bits !== null).map((f) => cloneField(f));
}

/** The spans that exist without bytes (the TCP flags, the IPv4 flags). */
export function staticGroups(protocol: string): NonNullable<HeaderModel['groups']> {
  if (protocol === 'tcp' || protocol === 'tcp-rfc793') {
    return [{ kind: 'flags', name: 'Flags', short: 'Flags', offset: 100, bits: 12, value: null, raw: null, wireshark: 'tcp.flags' }];
  }
  if (protocol === 'ipv4') {
    return [{ kind: 'flags', name: 'Flags', short: 'Flags', offset: 48, bits: 3, value: null, raw: null, wireshark: 'ip.flags' }];
  }
  return [];
}

/** Resolve a built-in name or throw the error users see, with a "did you mean" hint. */
export function requireBuiltin(name: string, position: Position | null = null): string {
  const canonical = resolveBuiltin(name);
  if (canonical) return canonical;
  const guess = suggest(name, builtinNames());
  throw new WiregramError({
    code: 'header-unknown-builtin',
    reason: `unknown built-in header \`${clip(name)}\``,
    position,
    expected: 'one of tcp, tcp-rfc793, udp, ipv4, ipv6, icmp, icmp-echo, icmpv6, ethernet — or field lines such as `0-15: Source port`',
    hint: guess ? `did you mean \`${guess}\`?` : 'write the layout yourself with field lines (`0-15: Source port`, `+16: Window`, `+var: Options`)',
  });
}
