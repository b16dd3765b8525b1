/**
 * The one text form of "which TCP stream": a Wireshark `tcp.stream` number, or the conversation's endpoints.
 * Shared by `wiregram import --stream …` and the `capture ./x.pcap stream …` statement so both read alike.
 *
 *   0                                       tcp.stream 0
 *   127.0.0.1:50762,127.0.0.1:18080         the first stream between these endpoints (either direction)
 *   [::1]:50762,[::1]:18080                 IPv6 in brackets, as in URLs
 *   127.0.0.1:18080                         the first stream with this endpoint on either side
 */
import { WiregramError } from '../errors.js';
import { normalizeAddress, type CaptureTuple } from './scan.js';

export type StreamSelector = { stream: number } | { tuple: CaptureTuple };

/** The grammar, for `expected:` in messages. */
export const STREAM_SELECTOR_EXPECTED = 'a stream number (0, 1, …) or endpoints such as 127.0.0.1:50762,127.0.0.1:18080 ([::1]:80 for IPv6)';

function bad(text: string, why: string): WiregramError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new WiregramError({
    code: 'capture-stream',
    reason: `"${shown}" does not name a TCP stream: ${why}`,
    expected: STREAM_SELECTOR_EXPECTED,
    hint: 'list the streams with `wiregram import FILE --list` (or `tshark -r FILE -q -z conv,tcp`)',
  });
}

function endpoint(text: string, whole: string): { address: string; port: number } {
  const m = /^\[([^\]]*)\]:(\d{1,5})$/.exec(text) ?? /^([0-9.]+):(\d{1,5})$/.exec(text);
  if (!m) {
    const why = /^[0-9a-fA-F:]*::?[0-9a-fA-F:]*$/.test(text) && text.split(':').length > 2 ? `write an IPv6 endpoint in brackets: [${text.replace(/:(\d+)$/, ']:$1')}` : `"${text}" is not address:port`;
    throw bad(whole, why);
  }
  const port = Number(m[2]);
  if (port > 65535) throw bad(whole, `port ${port} is above 65535`);
  let address: string;
  try {
    address = normalizeAddress(m[1]!);
  } catch (e) {
    throw bad(whole, e instanceof WiregramError ? e.reason : String(e));
  }
  return { address, port };
}

/** Parse a stream selector; a WiregramError (`capture-stream`) says what is wrong. */
export function parseStreamSelector(text: string): StreamSelector {
  const s = String(text).trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw bad(s, 'the number is too large');
    return { stream: n };
  }
  if (s === '') throw bad(s, 'it is empty');
  const parts = s.split(',').map((p) => p.trim());
  if (parts.length > 2) throw bad(s, 'give at most two endpoints, separated by a comma');
  const a = endpoint(parts[0]!, s);
  if (parts.length === 1) return { tuple: { srcAddress: a.address, srcPort: a.port } };
  const b = endpoint(parts[1]!, s);
  return { tuple: { srcAddress: a.address, srcPort: a.port, dstAddress: b.address, dstPort: b.port } };
}

/** The selector as text (`parseStreamSelector` reads it back). */
export function formatStreamSelector(selector: StreamSelector): string {
  if ('stream' in selector) return String(selector.stream);
  const t = selector.tuple;
  const ep = (a: string | undefined, p: number | undefined) => (a === undefined ? '' : `${a.includes(':') ? `[${a}]` : a}:${p ?? ''}`);
  return [ep(t.srcAddress, t.srcPort), ep(t.dstAddress, t.dstPort)].filter(Boolean).join(',');
}
