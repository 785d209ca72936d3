/**
 * The trader's desk in the worker: the scanner and the alert engine, composed for
 * worker/runtime.ts (which only forwards the pipeline's callbacks and stops it).
 *
 * The web side reaches the scanner through the worker gateway (worker/composition.ts hands it
 * over); alert targets naming a dynamic watchlist are ranked by this scanner. Alerts go to every
 * Socket.IO client as the `alert` event.
 */
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import type { Candle, Tick } from '@/lib/market/tick';
import { getWatchlistSymbols } from '@/lib/db/queries/watchlists';
import { AlertEngine } from '../alerts/engine';
import type { RealtimeServer } from '../realtime/broadcaster';
import { Scanner, type OpenCandleSource } from './scanner';

export interface Desk {
  readonly scanner: Scanner;
  readonly alerts: AlertEngine;
  onTicks(ticks: readonly Tick[]): void;
  onClosedCandle(candle: Candle): void;
  stop(): Promise<void>;
}

/** Create and start the scanner and the alert engine. `openCandles` is read lazily (the pipeline's aggregator). */
export function startDesk(options: { db: Database; io: RealtimeServer; logger?: Logger; openCandles: () => OpenCandleSource }): Desk {
  const { db, io, logger } = options;
  const scanner = new Scanner({
    db,
    logger,
    openCandles: { current: (token, timeframe) => options.openCandles().current(token, timeframe) },
  });
  const alerts = new AlertEngine({
    db,
    scanner,
    logger,
    emit: (event) => io.emit('alert', event),
    resolveWatchlist: (name) => getWatchlistSymbols(db, name, (query) => scanner.scan(query)),
  });
  scanner.start();
  alerts.start();
  return {
    scanner,
    alerts,
    onTicks: (ticks) => scanner.onTicks(ticks),
    onClosedCandle: (candle) => scanner.onClosedCandle(candle),
    async stop() {
      await alerts.stop();
      await scanner.stop();
    },
  };
}
