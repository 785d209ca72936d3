/**
 * Subscribes `feed_events` (lib/db/queries/feed-events.ts, the gap ledger's record of
 * disconnects and reconnects) to a source's typed state events: every change is written, in
 * order, however short it lasted. Writes are serial; a failed write is logged and skipped.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { recordFeedEvent } from '@/lib/db/queries/feed-events';
import type { SourceEvents, StateChange } from './source-events';

export interface StateRecorder {
  /** Resolves when every change seen so far is written (or its write has failed). */
  idle(): Promise<void>;
  /** Stop listening (pending writes still complete; await `idle()` for them). */
  stop(): void;
}

/**
 * Record every `state` event of `events` into feed_events (time = the change's `at`, feed =
 * its source, kind = the state entered, detail). `initial` changes (a source's state before
 * the subscription) are written first.
 */
export function recordStateChanges(
  db: Database,
  events: SourceEvents,
  logger: Pick<Logger, 'warn'>,
  initial: readonly StateChange[] = [],
): StateRecorder {
  let chain: Promise<void> = Promise.resolve();
  const write = (change: StateChange) => {
    chain = chain.then(() =>
      recordFeedEvent(db, { time: new Date(change.at), feed: change.source, kind: change.state, detail: change.detail }).catch((error: unknown) =>
        logger.warn({ err: error, feed: change.source, state: change.state }, 'could not record a feed state change'),
      ),
    );
  };
  for (const change of initial) write(change);
  events.on('state', write);
  return {
    idle: async () => {
      // A write may queue another while we wait: loop until the chain is stable.
      for (let seen = chain; ; seen = chain) {
        await seen;
        if (seen === chain) return;
      }
    },
    stop: () => void events.off('state', write),
  };
}
