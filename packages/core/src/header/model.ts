/**
 * The HeaderModel: what a `packet-header` block (or a `header` statement, or a decoded frame) describes and
 * what the header layout draws — fields on a bit grid, optionally with decoded values. No pixels.
 */
import type { Diagnostic, Position } from '../errors.js';

export interface HeaderField {
  /** Full name, `Source Port`. */
  name: string;
  /** Short form for narrow cells and vertical flag letters: `SYN`, `Src Port`. */
  short: string | null;
  /** First bit, counted from 0 at the start of the header (bit 0 = most significant bit of byte 0). */
  offset: number;
  /**
   * Width in bits; null for a variable-length field (options, data), drawn open-ended. A field that follows a
   * variable-length one carries the offset it would have if every variable field before it were empty; draw
   * fields in array order.
   */
  bits: number | null;
  kind: 'field' | 'flag' | 'reserved' | 'options' | 'data' | 'padding';
  /** Decoded value as Wireshark shows it: `80`, `20 bytes (5)`, `Set`, `MSS: 1460`, `0xe6c1 [correct]`. */
  value: string | null;
  /** Raw numeric value when decoded and it fits; hex string in `value` otherwise. */
  raw: number | null;
  /** A validated CSS colour the author chose (`#rrggbb` or a named colour); null for the theme's. */
  color: string | null;
  /** Wireshark field name (`tcp.srcport`) when the field maps to one. */
  wireshark: string | null;
  position: Position | null;
}

/**
 * A named span over several fields, drawn (if at all) as a bracket or a caption: the TCP flags
 * (`0x012 (SYN, ACK)`), the decoded options, or one protocol layer of a stacked `ipv4 + tcp` header.
 * Added after the first contract: optional on HeaderModel, so older models stay valid.
 */
export interface HeaderGroup {
  kind: 'flags' | 'options' | 'layer';
  /** `Flags`, `Options`, `Internet Protocol Version 4`. */
  name: string;
  short: string | null;
  /** First bit, as HeaderField.offset. */
  offset: number;
  /** Width in bits; null when it runs into variable-length fields. */
  bits: number | null;
  /** Decoded value as Wireshark shows it (`0x012 (SYN, ACK)`), or null without bytes. */
  value: string | null;
  raw: number | null;
  wireshark: string | null;
}

export interface HeaderModel {
  kind: 'header';
  title: string | null;
  /** Built-in layout name (`tcp`, `udp`, `ipv4`, `ipv6`, `icmp`) or null for a custom one. */
  protocol: string | null;
  /** Bits per row, 32 by default. */
  rowBits: number;
  /** Draw an RFC-style bit ruler (0 … 31 over the grid). */
  ruler: boolean;
  /** Show byte offsets beside each row. */
  offsets: boolean;
  fields: HeaderField[];
  /** The bytes decoded into `value`s, if any. */
  bytes: Uint8Array | null;
  warnings: Diagnostic[];
  position: Position | null;
  /** Flag, option and layer spans (additive; absent on models built before it existed). */
  groups?: HeaderGroup[];
  /** One line in words, Wireshark's tree heading: `Transmission Control Protocol, Src Port: 80, …`. */
  summary?: string | null;
  /** Where this header starts inside the decoded packet (`decodePacket`), in bytes; 0 otherwise. */
  byteOffset?: number;
  /**
   * Mermaid's `bitOrder`: `descending` mirrors every row (its highest bit on the left), as hardware register
   * figures do; fields are still declared lowest bit first. Absent or `ascending`: RFC order (additive).
   */
  bitOrder?: 'ascending' | 'descending';
  /** Accessibility text a Mermaid source gave (`accTitle:` / `accDescr:`); layouts may use it for `<desc>`. */
  description?: string | null;
}
