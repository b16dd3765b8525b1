/**
 * The capture worker: a dropped pcap/pcapng is read here, in slices, so a 100 MB file never freezes the page.
 * `open` indexes every TCP stream (what `wiregram import --list` prints) with progress; `import` reads the file
 * again keeping one stream and answers with its tcp-sequence text. The file never leaves the browser.
 */
import { CaptureScanner, endpointText, timelineFromScan, timelineToSequenceText, toWiregramError, withStream, type ScanResult } from '@wiregram/core';

export interface StreamRow {
  stream: number;
  a: string;
  b: string;
  frames: number;
  bytes: number;
  payload: number;
  start: number;
  duration: number;
}

export type WorkerRequest = { type: 'open'; file: Blob; name: string } | { type: 'import'; stream: number };
export type WorkerReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'streams'; name: string; streams: StreamRow[]; warnings: string[] }
  | { type: 'text'; stream: number; text: string; warnings: string[] }
  | { type: 'error'; message: string; hint: string | null };

const SLICE = 4 << 20;
let current: { file: Blob; name: string } | null = null;
const post = (m: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(m);

async function scan(file: Blob, options: ConstructorParameters<typeof CaptureScanner>[0]): Promise<ScanResult> {
  const scanner = new CaptureScanner(options);
  for (let at = 0; at < file.size; at += SLICE) {
    scanner.push(new Uint8Array(await file.slice(at, Math.min(file.size, at + SLICE)).arrayBuffer()));
    post({ type: 'progress', done: Math.min(file.size, at + SLICE), total: file.size });
  }
  return scanner.finish();
}

const warningsOf = (s: ScanResult) => s.warnings.map((w) => w.message);

async function handle(req: WorkerRequest): Promise<void> {
  if (req.type === 'open') {
    current = { file: req.file, name: req.name };
    const result = await scan(req.file, {});
    // No stream at all: the same clear error as the CLI (no TCP, or a truncated/corrupt file).
    if (!result.streams.length) withStream(result, {});
    const ep = (e: { address: string; port: number }) => endpointText(e.address, e.port);
    post({
      type: 'streams',
      name: req.name,
      warnings: warningsOf(result),
      streams: result.streams.map((s) => ({ stream: s.index, a: ep(s.a), b: ep(s.b), frames: s.packets, bytes: s.frameBytes, payload: s.bytes, start: s.start, duration: s.end - s.start })),
    });
    return;
  }
  if (!current) throw new Error('no capture opened');
  const options = { stream: req.stream, numbering: 'relative' as const, source: current.name };
  const picked = withStream(await scan(current.file, { stream: req.stream }), options);
  const timeline = timelineFromScan(picked, options);
  const text = timelineToSequenceText(timeline, picked.packets.map((p) => p.frame), options);
  post({ type: 'text', stream: req.stream, text, warnings: warningsOf(picked) });
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  handle(event.data).catch((e: unknown) => {
    const err = toWiregramError(e);
    post({ type: 'error', message: err.message, hint: err.hint ?? null });
  });
};
