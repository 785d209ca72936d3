/**
 * Replay parse thread (issue 12 point 4): runs ./records.ts readRecordChunks on a worker thread
 * so that CSV parsing and normalising (most of a max-speed replay's CPU on the serving thread)
 * leave the event loop that serves HTTP and Socket.IO.
 *
 * workerData: { file, format (FormatId), chunkSize }. Messages out: `{ chunk: EncodedChunk }`
 * (the ticks as one lib/market/tick-codec.ts batch, transferred, not cloned: a structured clone
 * of 1,000 tick objects cost both threads ~1 µs per tick; and the skips, in file order), then
 * `{ done: true }` or `{ error: message }`. Messages in:
 * `{ credit: n }`: the thread posts at most the chunks it was granted (bounded memory: the
 * main side grants a few ahead of what it consumes). Started by ./threaded-records.ts through
 * ./parse-thread-boot.cjs (registers tsx: Node 20 does not pass --import loaders to workers),
 * which loads this file as CommonJS: no top-level await here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeTickBatch } from '@/lib/market/tick-codec';
import { getFormat, type FormatId } from '../formats';
import { readRecordChunks } from './records';
import type { EncodedChunk } from './threaded-records';

const { file, format, chunkSize } = workerData as { file: string; format: FormatId; chunkSize: number };
let credit = 0;
let wake: (() => void) | null = null;
parentPort!.on('message', (message: { credit: number }) => {
  credit += message.credit;
  wake?.();
});

async function main(): Promise<void> {
  try {
    for await (const chunk of readRecordChunks(file, getFormat(format), chunkSize)) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      credit--;
      const encoded: EncodedChunk = { ticks: encodeTickBatch(chunk.ticks), skips: chunk.skips };
      parentPort!.postMessage({ chunk: encoded }, [encoded.ticks.buffer as ArrayBuffer]);
    }
    parentPort!.postMessage({ done: true });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
  parentPort!.close();
}

void main();
