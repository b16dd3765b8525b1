/**
 * Link layer → IP → TCP, decoded in place into one reusable object (no allocation per packet: indexing a
 * million packets must not create a million objects).
 */
import type { TcpFlag, TcpOption } from '../timeline.js';
import { formatIPv6Groups } from '../header/decode.js';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_12: 12,
  RAW_14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const LINKTYPE_NAMES: Record<number, string> = {
  0: 'BSD loopback (NULL)',
  1: 'Ethernet',
  12: 'raw IP',
  14: 'raw IP',
  101: 'raw IP',
  108: 'OpenBSD loopback',
  113: 'Linux cooked (SLL)',
  228: 'raw IPv4',
  229: 'raw IPv6',
  276: 'Linux cooked v2 (SLL2)',
};

export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PSH = 0x08;
export const TH_ACK = 0x10;
export const TH_URG = 0x20;
export const TH_ECE = 0x40;
export const TH_CWR = 0x80;
export const TH_NS = 0x100;

export const enum Decoded {
  Tcp = 0,
  /** Not IP, or IP but not TCP: silently not a TCP packet. */
  Other = 1,
  /** A later IP fragment: its TCP header is in the first fragment. */
  Fragment = 2,
  /** The frame ends before the TCP header does. */
  Truncated = 3,
  /** A header field is impossible (IHL < 5, TCP data offset < 5, …). */
  Malformed = 4,
  /** A link type we do not read. */
  UnknownLink = 5,
}

/** The fields of one TCP/IP packet; reused from packet to packet. */
export interface TcpFrame {
  family: 4 | 6;
  /** Source address words 0–3, destination 4–7 (IPv4 uses words 0 and 4 only). */
  addr: Uint32Array;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TH_* bits, AE (ex-NS) as 0x100. */
  flags: number;
  window: number;
  urgent: number;
  checksum: number;
  /** TCP header length in bytes (data offset × 4). */
  headerLength: number;
  /** Payload bytes as the IP length says (what Wireshark shows as tcp.len). */
  payloadLength: number;
  /** Offset of the TCP header in the packet's bytes. */
  tcpOffset: number;
  /** Offset of the IP header in the packet's bytes. */
  ipOffset: number;
  /** End of the captured bytes (ipOffset + captured IP bytes). */
  end: number;
  /** True for the first fragment of a fragmented datagram. */
  firstFragment: boolean;
  ttl: number;
  /**
   * An IP fragment (first or later): the length of the part not fragmented (IPv4 header; IPv6 header and extension
   * headers before the Fragment header), the datagram's end as IP says it (ipOffset-relative), identification, and
   * the offset word in IPv4's shape (offset in 8-byte units, 0x2000 = more fragments) for IPv6 too.
   */
  ipHeaderLength: number;
  ipTotal: number;
  ipId: number;
  ipFragment: number;
  /** IPv6 only: where the byte naming the Fragment header (44) sits, ipOffset-relative, and the header after it. */
  ipNextAt: number;
  ipNext: number;
}

export function newTcpFrame(): TcpFrame {
  return {
    family: 4,
    addr: new Uint32Array(8),
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    urgent: 0,
    checksum: 0,
    headerLength: 0,
    payloadLength: 0,
    tcpOffset: 0,
    ipOffset: 0,
    end: 0,
    firstFragment: false,
    ttl: 0,
    ipHeaderLength: 0,
    ipTotal: 0,
    ipId: 0,
    ipFragment: 0,
    ipNextAt: -1,
    ipNext: 0,
  };
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;

/** Decode a frame of the given link type. `off`/`len` delimit the captured bytes inside `view`. */
export function decodeFrame(linkType: number, view: DataView, off: number, len: number, out: TcpFrame): Decoded {
  const end = off + len;
  let etherType = 0;
  let p = off;
  switch (linkType) {
    case 1: {
      // Ethernet II, with any number (we allow 8) of 802.1Q / 802.1ad / QinQ tags.
      if (len < 14) return Decoded.Truncated;
      etherType = view.getUint16(off + 12);
      p = off + 14;
      for (let tags = 0; tags < 8 && (etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100); tags++) {
        if (p + 4 > end) return Decoded.Truncated;
        etherType = view.getUint16(p + 2);
        p += 4;
      }
      if (etherType < 0x0600) {
        // 802.3 length field: IP only behind LLC/SNAP (AA AA 03, OUI, type).
        if (p + 8 > end) return Decoded.Other;
        if (view.getUint16(p) !== 0xaaaa || view.getUint8(p + 2) !== 3) return Decoded.Other;
        etherType = view.getUint16(p + 6);
        p += 8;
      }
      break;
    }
    case 113:
      if (len < 16) return Decoded.Truncated;
      etherType = view.getUint16(off + 14);
      p = off + 16;
      break;
    case 276:
      if (len < 20) return Decoded.Truncated;
      etherType = view.getUint16(off);
      p = off + 20;
      break;
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      if (len < 1) return Decoded.Truncated;
      etherType = view.getUint8(off) >> 4 === 6 ? ETH_IPV6 : ETH_IPV4;
      break;
    case 0:
    case 108: {
      if (len < 4) return Decoded.Truncated;
      // NULL stores the address family in the capturing host's byte order, LOOP in network order.
      let af = view.getUint32(off, linkType === 0);
      if (linkType === 0 && af > 0xffff) af = view.getUint32(off, false);
      p = off + 4;
      if (af === 2) etherType = ETH_IPV4;
      else if (af === 10 || af === 24 || af === 28 || af === 30) etherType = ETH_IPV6;
      else return Decoded.Other;
      break;
    }
    default:
      return Decoded.UnknownLink;
  }
  if (etherType === ETH_IPV4) return decodeIpv4(view, p, end, out);
  if (etherType === ETH_IPV6) return decodeIpv6(view, p, end, out);
  return Decoded.Other;
}

function decodeIpv4(view: DataView, p: number, end: number, out: TcpFrame): Decoded {
  if (p + 20 > end) return Decoded.Truncated;
  const vihl = view.getUint8(p);
  if (vihl >> 4 !== 4) return Decoded.Malformed;
  const ihl = (vihl & 15) * 4;
  if (ihl < 20) return Decoded.Malformed;
  if (p + ihl > end) return Decoded.Truncated;
  if (view.getUint8(p + 9) !== 6) return Decoded.Other;
  let total = view.getUint16(p + 2);
  // Total length 0 is what TSO/GSO-offloaded captures show: use what was captured.
  if (total === 0) total = end - p;
  if (total < ihl) return Decoded.Malformed;
  const frag = view.getUint16(p + 6);
  out.family = 4;
  out.ttl = view.getUint8(p + 8);
  out.addr[0] = view.getUint32(p + 12);
  out.addr[4] = view.getUint32(p + 16);
  out.ipOffset = p;
  out.ipHeaderLength = ihl;
  out.ipTotal = total;
  out.ipId = view.getUint16(p + 4);
  out.ipFragment = frag & 0x3fff;
  out.ipNextAt = -1;
  if ((frag & 0x1fff) !== 0) return Decoded.Fragment;
  out.firstFragment = (frag & 0x2000) !== 0;
  return decodeTcp(view, p + ihl, Math.min(end, p + total), total - ihl, out);
}

function decodeIpv6(view: DataView, p: number, end: number, out: TcpFrame): Decoded {
  if (p + 40 > end) return Decoded.Truncated;
  if (view.getUint8(p) >> 4 !== 6) return Decoded.Malformed;
  let payload = view.getUint16(p + 4);
  if (payload === 0) payload = end - p - 40; // jumbogram or offloaded: what was captured
  let next = view.getUint8(p + 6);
  out.family = 6;
  out.ttl = view.getUint8(p + 7);
  out.ipOffset = p;
  for (let i = 0; i < 4; i++) {
    out.addr[i] = view.getUint32(p + 8 + 4 * i);
    out.addr[4 + i] = view.getUint32(p + 24 + 4 * i);
  }
  out.firstFragment = false;
  out.ipFragment = 0;
  out.ipNextAt = -1;
  const limit = Math.min(end, p + 40 + payload);
  let q = p + 40;
  let nextAt = 6;
  // Extension headers (hop-by-hop, routing, fragment, destination options, AH), at most 16 of them.
  for (let hops = 0; hops < 16; hops++) {
    if (next === 6) return decodeTcp(view, q, limit, payload - (q - p - 40), out);
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (q + 2 > end) return Decoded.Truncated;
      const n = view.getUint8(q);
      nextAt = q - p;
      q += (view.getUint8(q + 1) + 1) * 8;
      next = n;
    } else if (next === 51) {
      if (q + 2 > end) return Decoded.Truncated;
      const n = view.getUint8(q);
      nextAt = q - p;
      q += (view.getUint8(q + 1) + 2) * 4;
      next = n;
    } else if (next === 44) {
      if (q + 8 > end) return Decoded.Truncated;
      const fo = view.getUint16(q + 2);
      // Kept for reassembly, in IPv4's shape: offset in 8-byte units, 0x2000 for more fragments.
      out.ipHeaderLength = q - p;
      out.ipTotal = 40 + payload;
      out.ipId = view.getUint32(q + 4);
      out.ipFragment = (fo >>> 3) | (fo & 1 ? 0x2000 : 0);
      out.ipNextAt = nextAt;
      out.ipNext = view.getUint8(q);
      if ((fo & 0xfff8) !== 0) return Decoded.Fragment;
      out.firstFragment = (fo & 1) !== 0;
      next = view.getUint8(q);
      nextAt = q - p;
      q += 8;
    } else return Decoded.Other;
    if (q > p + 40 + payload) return Decoded.Malformed;
  }
  return Decoded.Other;
}

function decodeTcp(view: DataView, t: number, end: number, segmentLength: number, out: TcpFrame): Decoded {
  if (t + 20 > end) return Decoded.Truncated;
  const thl = (view.getUint8(t + 12) >> 4) * 4;
  if (thl < 20) return Decoded.Malformed;
  if (segmentLength < thl) return Decoded.Malformed;
  out.srcPort = view.getUint16(t);
  out.dstPort = view.getUint16(t + 2);
  out.seq = view.getUint32(t + 4);
  out.ack = view.getUint32(t + 8);
  out.flags = view.getUint16(t + 12) & 0x1ff;
  out.window = view.getUint16(t + 14);
  out.checksum = view.getUint16(t + 16);
  out.urgent = view.getUint16(t + 18);
  out.headerLength = thl;
  out.payloadLength = segmentLength - thl;
  out.tcpOffset = t;
  out.end = end;
  return Decoded.Tcp;
}

/** One shared, frozen object for every NOP and EOL: a long capture keeps tens of thousands of them. */
const NOP_OPTION: TcpOption = Object.freeze({ kind: 'NOP' });
const EOL_OPTION: TcpOption = Object.freeze({ kind: 'EOL' });

/** TCP options of the header at `t` (only the captured part is read). SACK edges are absolute here. */
/** The options of a TCP header at `t`, appended to `out` (a fresh list unless one is given to be reused). */
export function parseTcpOptions(view: DataView, t: number, headerLength: number, end: number, out: TcpOption[] = []): TcpOption[] {
  let p = t + 20;
  const stop = Math.min(t + headerLength, end);
  while (p < stop && out.length < 40) {
    const kind = view.getUint8(p);
    if (kind === 0) {
      out.push(EOL_OPTION);
      break;
    }
    if (kind === 1) {
      out.push(NOP_OPTION);
      p++;
      continue;
    }
    if (p + 2 > stop) break;
    const len = view.getUint8(p + 1);
    if (len < 2 || p + len > stop) {
      out.push({ kind: 'UNKNOWN', code: kind });
      break;
    }
    switch (kind) {
      case 2:
        out.push(len === 4 ? { kind: 'MSS', value: view.getUint16(p + 2) } : { kind: 'UNKNOWN', code: kind });
        break;
      case 3:
        out.push(len === 3 ? { kind: 'WS', value: view.getUint8(p + 2) } : { kind: 'UNKNOWN', code: kind });
        break;
      case 4:
        out.push({ kind: 'SACK_PERM' });
        break;
      case 5: {
        const blocks: Array<[number, number]> = [];
        for (let b = p + 2; b + 8 <= p + len; b += 8) blocks.push([view.getUint32(b), view.getUint32(b + 4)]);
        out.push({ kind: 'SACK', blocks });
        break;
      }
      case 8:
        out.push(len === 10 ? { kind: 'TS', value: view.getUint32(p + 2), echo: view.getUint32(p + 6) } : { kind: 'UNKNOWN', code: kind });
        break;
      default:
        out.push({ kind: 'UNKNOWN', code: kind });
    }
    p += len;
  }
  return out;
}

/** Dotted quad or RFC 5952 text of the source (side 0) or destination (side 1) address. */
export function formatAddress(family: 4 | 6, addr: Uint32Array, side: 0 | 1): string {
  const b = side * 4;
  if (family === 4) {
    const a = addr[b]!;
    return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) {
    const w = addr[b + i]!;
    groups.push(w >>> 16, w & 0xffff);
  }
  return formatIPv6Groups(groups);
}

/**
 * `flagNames`, one frozen list per combination of flags, shared: a long stream's segments would otherwise hold a
 * list each (a tenth of an import's memory).
 */
export function sharedFlagNames(flags: number): TcpFlag[] {
  const key = flags & 0x1ff;
  let names = FLAG_LISTS[key];
  if (!names) FLAG_LISTS[key] = names = Object.freeze(flagNames(key)) as TcpFlag[];
  return names;
}
const FLAG_LISTS: Array<TcpFlag[] | undefined> = [];

/** Flag names in Wireshark's order; AE is the AccECN bit (RFC 9768, ex-NS), which tshark 4.0.17 names `AE`. */
export function flagNames(flags: number): TcpFlag[] {
  const out: TcpFlag[] = [];
  if (flags & TH_SYN) out.push('SYN');
  if (flags & TH_FIN) out.push('FIN');
  if (flags & TH_RST) out.push('RST');
  if (flags & TH_PSH) out.push('PSH');
  if (flags & TH_ACK) out.push('ACK');
  if (flags & TH_URG) out.push('URG');
  if (flags & TH_ECE) out.push('ECE');
  if (flags & TH_CWR) out.push('CWR');
  if (flags & TH_NS) out.push('AE');
  return out;
}
