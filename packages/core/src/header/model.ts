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
  /** Width in bits; null for a variable-length field (options, data), drawn open-ended. */
  bits: number | null;
  kind: 'field' | 'flag' | 'reserved' | 'options' | 'data' | 'padding';
  /** Decoded value as shown: `80`, `0x5002`, `Set`, `MSS=1460, SACK_PERM`. */
  value: string | null;
  /** Raw numeric value when decoded and it fits; hex string in `value` otherwise. */
  raw: number | null;
  /** A validated CSS colour the author chose (`#rrggbb` or a named colour); null for the theme's. */
  color: string | null;
  /** Wireshark field name (`tcp.srcport`) when the field maps to one. */
  wireshark: string | null;
  position: Position | null;
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
}
