/**
 * The one consumer loop of every tick source: pull a batch, hand it to `accept` (the pipeline),
 * and await the returned backpressure promise before pulling the next one (tardis-node style:
 * one async-iterator pipeline for live and replayed data). No promise is ever dropped.
 */
import type { Tick } from '@/lib/market/tick';
import type { TickSource } from './feed';

/** What a source's batches go to: TickPipeline.accept (returns a promise while it is full). */
export type TickSink = (ticks: Tick[]) => Promise<void> | void;

/**
 * Drain `source` into `accept` until the source ends or `signal` aborts. Resolves with the
 * number of ticks handed over; rejects with the source's error (a replay whose file became
 * unreadable) or with the sink's.
 */
export async function pumpSource(source: Pick<TickSource, 'ticks'>, accept: TickSink, signal: AbortSignal): Promise<number> {
  let count = 0;
  for await (const batch of source.ticks(signal)) {
    count += batch.length;
    const wait = accept(batch);
    if (wait) await wait;
  }
  return count;
}
