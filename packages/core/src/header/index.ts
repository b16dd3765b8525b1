// The header module: field tables, the `packet-header` parser, byte decoding. Re-exported by ../index.ts.
export {
  TCP_HEADER,
  TCP_RFC793_HEADER,
  UDP_HEADER,
  IPV4_HEADER,
  IPV6_HEADER,
  IPV6_EXTENSION_HEADER,
  ICMP_HEADER,
  ICMP_ECHO_HEADER,
  ICMP_UNREACHABLE_HEADER,
  ICMP_TIME_EXCEEDED_HEADER,
  ICMP_REDIRECT_HEADER,
  ICMPV6_HEADER,
  ICMPV6_ECHO_HEADER,
  ETHERNET_HEADER,
  VLAN_HEADER,
  BUILTIN_HEADERS,
  builtinHeader,
  builtinNames,
  resolveBuiltin,
  type BuiltinHeader,
} from './tables.js';
export {
  decodeHeader,
  decodePacket,
  internetChecksum,
  formatIPv4,
  formatIPv6,
  formatMac,
  tcpFlagsText,
  MAX_DECODE_BYTES,
  type DecodeOptions,
  type DecodePacketOptions,
  type PseudoHeader,
} from './decode.js';
export { parsePacketHeader, HEADER_LIMITS, type ParsePacketHeaderOptions } from './parse.js';
export { headerFromSegment } from './segment.js';
export { normalizeColor } from './colors.js';
