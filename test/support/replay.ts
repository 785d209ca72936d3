/** Test helper: replay a recorded file at max speed through the real pipeline into a database. */
import type { Database } from '@/lib/db/client';
import type { Tick } from '@/lib/market/tick';
import { createReplayFeed } from '@/worker/sources/replay/replay';
import { TickPipeline } from '@/worker/pipeline/pipeline';

/**
 * Replay `file` (any supported format) through a TickPipeline on `db`, as the worker does
 * (restart continuation on unless `continueFromStorage: false`), and stop it (ticks flushed,
 * open candles finalised). Returns the pipeline (its counters) after the stop.
 * Throws when the stop could not persist everything.
 */
export async function replayIntoDatabase(
  db: Database,
  file: string,
  options: { continueFromStorage?: boolean; onTicks?: (ticks: readonly Tick[]) => void } = {},
): Promise<TickPipeline> {
  const feed = createReplayFeed({ file, speed: 'max' });
  const pipeline = new TickPipeline({
    db,
    flushSize: 1000,
    flushIntervalMs: 1000,
    maxBufferTicks: 50_000,
    candleGraceMs: 0,
    continueFromStorage: options.continueFromStorage ?? true,
    onTicks: options.onTicks,
    clock: () => feed.now(),
  });
  await pipeline.start();
  for await (const batch of feed.ticks(new AbortController().signal)) {
    const wait = pipeline.accept(batch);
    if (wait) await wait;
  }
  if (!(await pipeline.stop())) throw new Error(`replay of ${file}: not everything was persisted`);
  return pipeline;
}
