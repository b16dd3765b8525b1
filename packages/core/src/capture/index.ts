/**
 * Capture support: pcap/pcapng readers, Wireshark-compatible TCP stream index and analysis, and conversion of
 * a stream into a Timeline, `tcp-sequence` text or JSON. Pure TypeScript (no Node APIs): runs in browsers.
 * Node helpers that read files live in `@wiregram/core/node`.
 */
import type { Diagnostic } from '../errors.js';
import { CaptureReader, packetSeconds, type CaptureDamage, type CaptureFormat, type CaptureInterface } from './reader.js';
import { chunksOf, scanCapture, type ScanOptions, type ScanResult } from './scan.js';

export { CaptureReader, MAX_BLOCK, MAX_PACKET, packetSeconds, packetDelta, WarningLog } from './reader.js';
export type { CaptureDamage, CaptureFormat, CaptureInterface, PacketRef, PacketHandler, TimeBase } from './reader.js';
export { parseStreamSelector, formatStreamSelector, STREAM_SELECTOR_EXPECTED } from './selector.js';
export type { StreamSelector } from './selector.js';
export { LINKTYPE, LINKTYPE_NAMES, decodeFrame, newTcpFrame, parseTcpOptions, formatAddress, flagNames, Decoded } from './decode.js';
export type { TcpFrame } from './decode.js';
export { StreamTable } from './streams.js';
export { CaptureScanner, scanCapture, normalizeAddress } from './scan.js';
export type { CaptureTuple, Endpoint, ScanOptions, ScanResult, StreamInfo, StreamPacket } from './scan.js';
export { analyzeStream } from './analysis.js';
export type { SegmentAnalysis } from './analysis.js';
export { timelineFromCapture, timelineFromScan, selectStream, withStream, streamScanOptions, endpointText } from './timeline.js';
export type { CaptureInput, CaptureStreamOptions } from './timeline.js';
export { captureToJson, timelineToJson } from './export.js';
export type { CaptureJsonSegment, SequenceTextOptions } from './export.js';

export interface CapturedPacket {
  /** 1-based frame number. */
  frame: number;
  /** Seconds since the epoch. */
  time: number;
  interfaceId: number;
  linkType: number;
  originalLength: number;
  /** The captured bytes (a copy). */
  data: Uint8Array;
}

export interface Capture {
  format: CaptureFormat;
  interfaces: CaptureInterface[];
  packets: CapturedPacket[];
  warnings: Diagnostic[];
  /** Where reading stopped at a cut-short or corrupt record, if it did (also among `warnings`). */
  damage: CaptureDamage | null;
}

/**
 * Read every packet of a small capture into memory. For large files use `CaptureReader` (streaming) or
 * `indexStreams`, which never hold more than one record. `maxPackets` (default 1 000 000) bounds memory and
 * warns (`capture-too-many`) when packets are dropped; `upTo: N` reads frames 1…N only, on purpose: the rest
 * of the file is not parsed and nothing is reported about it.
 */
export function readCapture(input: Uint8Array | ArrayBuffer | Iterable<Uint8Array>, options: { maxPackets?: number; upTo?: number } = {}): Capture {
  const max = options.maxPackets ?? 1_000_000;
  const upTo = options.upTo ?? Infinity;
  const packets: CapturedPacket[] = [];
  let cut = false;
  const reader = new CaptureReader((p) => {
    if (p.frame > upTo) {
      reader.close();
      return;
    }
    if (packets.length >= max) {
      cut = true;
      return;
    }
    packets.push({
      frame: p.frame,
      time: packetSeconds(p),
      interfaceId: p.interfaceId,
      linkType: p.linkType,
      originalLength: p.originalLength,
      data: p.bytes.slice(p.offset, p.offset + p.capturedLength),
    });
    if (p.frame >= upTo) reader.close();
  });
  for (const chunk of chunksOf(input)) {
    if (reader.stopped) break;
    reader.push(chunk);
  }
  reader.end();
  if (cut) reader.warnings.add('capture-too-many', `only the first ${max} packets were kept`, 'use indexStreams or CaptureReader for large captures');
  return { format: reader.format!, interfaces: reader.interfaces, packets, warnings: reader.warnings.list(), damage: reader.damage };
}

/** Index the TCP streams of a capture exactly as Wireshark numbers them (`tcp.stream`). */
export function indexStreams(input: Uint8Array | ArrayBuffer | Iterable<Uint8Array>, options: Pick<ScanOptions, 'frameStreams'> = {}): ScanResult {
  return scanCapture(input, { frameStreams: options.frameStreams ?? false });
}
