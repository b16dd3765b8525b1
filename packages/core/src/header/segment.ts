/**
 * A `header` statement inside `tcp-sequence`: the TCP header of one simulated segment, its values taken from
 * the Timeline (ports from the participants, seq/ack as the labels show them — symbolic `x+1` stays text).
 */
import { WiregramError } from '../errors.js';
import type { Segment, SeqNumber, TcpOption, Timeline } from '../timeline.js';
import { tcpFlagsText, tcpOptionField } from './decode.js';
import type { HeaderField, HeaderGroup, HeaderModel } from './model.js';
import { TCP_HEADER, cloneField, headerModel } from './tables.js';
import { plural } from './util.js';

const FLAG_BIT: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, AE: 256 };

function seqText(n: SeqNumber, numbering: string): { value: string; raw: number | null } {
  if (n.symbol !== null) {
    const v = n.offset === 0 ? n.symbol : n.offset > 0 ? `${n.symbol}+${n.offset}` : `${n.symbol}${n.offset}`;
    return { value: v, raw: null };
  }
  const raw = numbering === 'absolute' ? n.offset >>> 0 : n.relative;
  return { value: String(raw), raw };
}

function optionLength(o: TcpOption): number {
  switch (o.kind) {
    case 'MSS':
      return 4;
    case 'WS':
      return 3;
    case 'SACK_PERM':
      return 2;
    case 'SACK':
      return 2 + 8 * (o.blocks?.length ?? 0);
    case 'TS':
      return 10;
    case 'NOP':
    case 'EOL':
      return 1;
    default:
      return 2;
  }
}

function optionField(o: TcpOption, at: number): HeaderField {
  const f = tcpOptionField(o, at, optionLength(o));
  // A simulated option known only by its kind has no real length: do not print the 2 assumed above.
  if (o.kind === 'UNKNOWN') f.value = `Kind ${o.code ?? '?'}`;
  return f;
}

/** The TCP header of `segment` (an element of `timeline.segments`, or its index) with the values it carries. */
export function headerFromSegment(segment: Segment | number, timeline: Timeline): HeaderModel {
  const seg = typeof segment === 'number' ? timeline.segments[segment] : segment;
  if (!seg) {
    throw new WiregramError({
      code: 'header-unknown-segment',
      reason: `there is no segment ${String(segment)} (the diagram has ${timeline.segments.length})`,
      expected: `a segment number from 0 to ${Math.max(0, timeline.segments.length - 1)}`,
      hint: 'segments are counted in the order they are sent',
    });
  }
  const numbering = timeline.options?.numbering ?? 'relative';
  const from = timeline.participants.find((p) => p.id === seg.from);
  const to = timeline.participants.find((p) => p.id === seg.to);
  let flags = 0;
  for (const fl of seg.flags) flags |= FLAG_BIT[fl] ?? 0;
  let optBytes = 0;
  for (const o of seg.options) optBytes += optionLength(o);
  const pad = (4 - (optBytes % 4)) % 4;
  const headerLen = Math.min(60, 20 + optBytes + pad);
  const fields: HeaderField[] = [];
  for (const t of TCP_HEADER) {
    if (t.bits === null) continue;
    const f = cloneField(t);
    switch (t.wireshark) {
      case 'tcp.srcport':
      case 'tcp.dstport': {
        const p = t.wireshark === 'tcp.srcport' ? from : to;
        f.raw = p?.port ?? null;
        f.value = p?.port != null ? String(p.port) : (p?.label ?? null);
        break;
      }
      case 'tcp.seq_raw': {
        const s = seqText(seg.seq, numbering);
        f.value = s.value;
        f.raw = s.raw;
        break;
      }
      case 'tcp.ack_raw': {
        const s = seg.ack && seg.flags.includes('ACK') ? seqText(seg.ack, numbering) : { value: '0', raw: 0 };
        f.value = s.value;
        f.raw = s.raw;
        break;
      }
      case 'tcp.hdr_len':
        f.raw = headerLen / 4;
        f.value = `${headerLen} bytes (${headerLen / 4})`;
        break;
      case 'tcp.flags.res':
        f.raw = 0;
        f.value = 'Not set';
        break;
      case 'tcp.window_size_value':
        f.raw = seg.window;
        f.value = seg.window === null ? null : String(seg.window);
        break;
      case 'tcp.checksum':
        break;
      case 'tcp.urgent_pointer':
        f.raw = 0;
        f.value = '0';
        break;
      default:
        if (t.kind === 'flag' && t.short) {
          const set = (flags & (FLAG_BIT[t.short] ?? 0)) !== 0;
          f.raw = set ? 1 : 0;
          f.value = set ? 'Set' : 'Not set';
        }
    }
    fields.push(f);
  }
  const groups: HeaderGroup[] = [{ kind: 'flags', name: 'Flags', short: 'Flags', offset: 100, bits: 12, value: tcpFlagsText(flags), raw: flags, wireshark: 'tcp.flags' }];
  let at = 20;
  const texts: string[] = [];
  for (const o of seg.options) {
    if (at + optionLength(o) > 60) break;
    const f = optionField(o, at);
    fields.push(f);
    texts.push(f.value ?? '');
    at += optionLength(o);
  }
  if (pad && at < 60) {
    fields.push({ name: 'Padding', short: 'Pad', offset: at * 8, bits: pad * 8, kind: 'padding', value: plural(pad, 'byte'), raw: null, color: null, wireshark: null, position: null });
  }
  if (seg.options.length) groups.push({ kind: 'options', name: 'Options', short: 'Options', offset: 160, bits: (headerLen - 20) * 8, value: texts.join(', '), raw: headerLen - 20, wireshark: 'tcp.options' });
  if (seg.len > 0) {
    fields.push({ name: 'Data', short: 'Data', offset: headerLen * 8, bits: null, kind: 'data', value: plural(seg.len, 'byte'), raw: seg.len, color: null, wireshark: 'tcp.payload', position: null });
  }
  const v = (ws: string) => fields.find((x) => x.wireshark === ws)?.value ?? '?';
  return headerModel({
    title: seg.label || null,
    protocol: 'tcp',
    fields,
    position: seg.position,
    groups,
    summary: `Transmission Control Protocol, Src Port: ${v('tcp.srcport')}, Dst Port: ${v('tcp.dstport')}, Seq: ${v('tcp.seq_raw')}, Ack: ${v('tcp.ack_raw')}, Len: ${seg.len}`,
  });
}
