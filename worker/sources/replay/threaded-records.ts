/**
 * The main-thread side of the replay parse thread (./parse-thread.ts): the same chunks as
 * ./records.ts readRecordChunks, parsed on a worker thread. Keeps AHEAD chunks granted (read
 * ahead while the consumer works, bounded memory: AHEAD × chunkSize ticks). Stopping the
 * iteration early (or `signal`) terminates the thread. Throws the thread's reading error.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decodeTickBatch } from '@/lib/market/tick-codec';
import type { FormatId } from '../formats';
import type { RecordChunk, SkippedRecord } from './records';

const AHEAD = 4;

/** A chunk as the thread posts it: the ticks encoded (lib/market/tick-codec.ts), transferred. */
export interface EncodedChunk {
  ticks: Uint8Array;
  skips: SkippedRecord[];
}

type ThreadMessage = { chunk: EncodedChunk } | { done: true } | { error: string };

export async function* readRecordChunksOnThread(file: string, format: FormatId, chunkSize: number, signal?: AbortSignal): AsyncGenerator<RecordChunk> {
  const worker = new Worker(new URL('./parse-thread-boot.cjs', import.meta.url), {
    workerData: { file, format, chunkSize, entry: fileURLToPath(new URL('./parse-thread.ts', import.meta.url)) },
  });
  const inbox: ThreadMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: ThreadMessage) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (error) => push({ error: error.message }));
  worker.on('exit', (code) => push(code === 0 ? { done: true } : { error: `replay parse thread exited (code ${code})` }));
  const onAbort = () => push({ done: true });
  signal?.addEventListener('abort', onAbort);
  worker.postMessage({ credit: AHEAD });
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = inbox.shift()!;
      if ('error' in message) throw new Error(message.error);
      if ('done' in message) return;
      worker.postMessage({ credit: 1 });
      yield { ticks: decodeTickBatch(message.chunk.ticks), skips: message.chunk.skips };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
