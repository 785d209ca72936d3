/** The live socket → pull queue: coalesces per pull, never drops, hands over the rest when stopped. */
import { describe, expect, it } from 'vitest';
import { LiveTickQueue } from '@/worker/sources/live-queue';
import { makeTick } from '../support/ticks';

const tick = (n: number) => makeTick({ instrumentToken: n, exchangeTime: 1_700_000_000_000 + n, ltp: 100 + n, volume: n });

describe('LiveTickQueue', () => {
  it('coalesces what arrived since the last pull into one batch, in arrival order', async () => {
    const queue = new LiveTickQueue();
    const abort = new AbortController();
    queue.push([tick(1)]);
    queue.push([tick(2), tick(3)]);
    const iterator = queue.batches(abort.signal)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect((first.value as ReturnType<typeof tick>[]).map((t) => t.instrumentToken)).toEqual([1, 2, 3]);
    abort.abort();
    expect((await iterator.next()).done).toBe(true);
  });

  it('ticks still queued when the source stops are handed over as a last batch, not left in memory', async () => {
    const queue = new LiveTickQueue();
    const abort = new AbortController();
    const received: number[] = [];
    const consumer = (async () => {
      for await (const batch of queue.batches(abort.signal)) {
        for (const t of batch) received.push(t.instrumentToken);
        // A slow consumer (pipeline backpressure): more ticks arrive meanwhile, then the stop.
        if (received.length === 1) {
          queue.push([tick(2)]);
          queue.push([tick(3)]);
          abort.abort();
        }
      }
    })();
    queue.push([tick(1)]);
    await consumer;
    expect(received).toEqual([1, 2, 3]);
    expect(queue.depth).toBe(0);
  });
});
