/**
 * What `participant … at ADDRESS:PORT` accepts: an IPv4 address (four numbers 0–255), an IPv6 address
 * (bracketed when a port follows: `[2001:db8::1]:80`), or a host name with at least one dot (`server.example`,
 * RFC 1123 labels) or `localhost`. A single word (`at server:80`) is refused: it is almost always a participant
 * name in the wrong place, and Wireshark-style labels would print it as if it were an address.
 */

/** Null when `text` is a usable address; otherwise what is wrong with it, in words. */
export function addressProblem(text: string): string | null {
  if (text.includes(':')) return ipv6(text) ? null : `"${clip(text)}" is not an IPv6 address`;
  const labels = text.split('.');
  const last = labels[labels.length - 1]!;
  if (/^\d+$/.test(last) || /^[\d.]+$/.test(text)) {
    return ipv4(text) ? null : `"${clip(text)}" is not an IPv4 address (four numbers from 0 to 255)`;
  }
  if (text.toLowerCase() === 'localhost') return null;
  if (text.length > 253) return 'the host name is longer than 253 characters';
  if (labels.length < 2) return `"${clip(text)}" is not an address: a host name has a dot (e.g. server.example)`;
  for (const label of labels) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)) return `"${clip(text)}" is not a host name (letters, digits and inner hyphens between dots)`;
  }
  return null;
}

function ipv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function ipv6(text: string): boolean {
  // A trailing dotted quad (`::ffff:10.0.0.1`) counts as two groups.
  let groups = text;
  let extra = 0;
  const quad = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    if (!ipv4(quad[1]!)) return false;
    groups = text.slice(0, quad.index + 1) + '0';
    extra = 1;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const hex = (s: string) => (s === '' ? [] : s.split(':'));
  const parts = halves.flatMap(hex);
  if (!parts.every((p) => /^[0-9A-Fa-f]{1,4}$/.test(p))) return false;
  const count = parts.length + extra;
  return halves.length === 2 ? count <= 7 : count === 8;
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}
