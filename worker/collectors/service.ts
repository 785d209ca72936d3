/**
 * The worker's collectors: builds the manager (Kite through KiteTicker threads; instruments and
 * watchlists from the database), creates the collectors of the YAML config (MARKETDESK_CONFIG)
 * and starts those with autoStart, records their state changes in `feed_events` (subscribed to
 * the collectors' typed state events: every change, however short), and watches
 * the config file so that a new access token written there resumes a `token_expired`
 * collector without a restart.
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from 'pino';
import { loadCollectorsConfig, type CollectorConfig } from '@/lib/config/collectors-config';
import type { Database } from '@/lib/db/client';
import { countInstruments } from '@/lib/db/queries/instruments';
import { getWatchlistSymbols } from '@/lib/db/queries/watchlists';
import { nextIstTimeOfDay } from '@/lib/market/session';
import { syncFyersSymbolMaster } from '../sources/fyers/symbol-master';
import { syncKiteInstruments } from '../sources/kite/rest';
import { fyersDataStream } from '../sources/fyers/data-stream';
import { kiteTickerStream } from '../sources/kite/ticker-stream';
import type { Clock } from '../sources/clock';
import { recordStateChanges } from '../sources/state-recorder';
import type { BrokerId, BrokerStream } from '../sources/stream';
import type { CollectorsSource } from './collectors-source';
import { databaseResolver, type InstrumentResolver } from './instrument-resolver';
import { CollectorManager } from './manager';

export interface CollectorHealth {
  name: string;
  broker: string;
  state: string;
  instruments: number;
  neverTicked: number;
  ticksReceived: number;
  lastTickAt: string | null;
  lastError: string | null;
}

export interface CollectorService {
  readonly manager: CollectorManager;
  /** One line per collector for /health. */
  health(): CollectorHealth[];
  /** Re-read the config file: new collectors are created, changed access tokens applied. */
  reload(): Promise<void>;
  /** Resolves when every collector state change so far is written to feed_events. */
  recorded(): Promise<void>;
  stop(): Promise<void>;
}

export interface CollectorServiceOptions {
  db: Database;
  /** MARKETDESK_CONFIG: the YAML file, or undefined for none (collectors via the API only). */
  configPath?: string;
  /** Where the collectors' ticks go (the worker pumps it into the pipeline); default: the manager's own. */
  source?: CollectorsSource;
  logger: Logger;
  /** Overrides for tests. */
  streams?: Partial<Record<BrokerId, BrokerStream>>;
  resolver?: InstrumentResolver;
  /** Config file polling period, ms (default 2,000; 0 disables). */
  watchIntervalMs?: number;
  /** Time and timers of the collectors (default systemClock). */
  clock?: Clock;
}

/**
 * Start the collectors. Throws (so the process refuses to start) when the config file is invalid
 * or names instruments the instruments master does not have, naming the file and field.
 */
export async function startCollectors(options: CollectorServiceOptions): Promise<CollectorService> {
  const { db, logger, configPath } = options;
  const manager = new CollectorManager({
    streams: options.streams ?? { kite: kiteTickerStream, fyers: fyersDataStream },
    resolver: options.resolver ?? databaseResolver(db, (name) => getWatchlistSymbols(db, name)),
    source: options.source,
    clock: options.clock,
    logger,
  });
  // State changes → feed_events (the gap ledger), one feed name per collector.
  const recorder = recordStateChanges(db, manager.source.collectorEvents, logger);
  const appliedTokens = new Map<string, string>();

  const apply = async (configs: CollectorConfig[], atBoot: boolean) => {
    const existing = new Set((await manager.list()).map((c) => c.name));
    for (const config of configs) {
      if (!existing.has(config.name)) {
        try {
          await manager.create(config);
        } catch (error) {
          const message = `collector ${config.name} (${configPath}): ${error instanceof Error ? error.message : String(error)}`;
          if (atBoot) throw new Error(message);
          logger.error(message);
          continue;
        }
        appliedTokens.set(config.name, config.credentials.accessToken);
      } else if (appliedTokens.get(config.name) !== config.credentials.accessToken) {
        await manager.setAccessToken(config.name, config.credentials.accessToken);
        appliedTokens.set(config.name, config.credentials.accessToken);
        logger.info({ collector: config.name }, 'access token updated from the config file');
      }
    }
  };

  /**
   * Instruments masters, once per (broker, API key, REST endpoint) of collectors that sync:
   * Kite's /instruments through KiteConnect; Fyers' public symbol master (NSE_CM; `rest.endpoint`
   * overrides its root, e.g. a mirror). A failure is logged and the stored master is kept.
   */
  const syncInstruments = async (
    accounts: { broker: CollectorConfig['broker']; apiKey: string; accessToken: string; rest?: CollectorConfig['rest'] }[],
  ) => {
    const done = new Set<string>();
    for (const account of accounts) {
      if (!account.rest?.syncInstruments) continue;
      const key = `${account.broker}:${account.broker === 'kite' ? account.apiKey : ''}@${account.rest.endpoint ?? ''}`;
      if (done.has(key)) continue;
      done.add(key);
      try {
        if (account.broker === 'kite') {
          await syncKiteInstruments(db, { apiKey: account.apiKey, accessToken: account.accessToken, root: account.rest.endpoint }, logger);
        } else {
          const summaries = await syncFyersSymbolMaster(db, { root: account.rest.endpoint });
          logger.info({ broker: 'fyers', files: summaries.length }, 'Fyers symbol master synced');
        }
      } catch (error) {
        logger.error({ err: error, broker: account.broker }, 'instruments sync failed; using the instruments already stored');
      }
    }
  };
  const syncingAccounts = (configs: CollectorConfig[]) => configs.map((c) => ({ broker: c.broker, ...c.credentials, rest: c.rest }));

  if (configPath) {
    const configs = loadCollectorsConfig(configPath);
    // An empty master must be synced before symbols can resolve; otherwise refresh in the background.
    if ((await countInstruments(db)) === 0) await syncInstruments(syncingAccounts(configs));
    else void syncInstruments(syncingAccounts(configs));
    await apply(configs, true);
  }

  // Daily instruments sync at 08:00 IST (Kite and Fyers regenerate their masters before the 09:00 pre-open).
  let dailySync: NodeJS.Timeout | null = null;
  const scheduleSync = () => {
    dailySync = setTimeout(() => {
      void syncInstruments(manager.all().map((c) => ({ broker: c.broker, ...c.account }))).finally(scheduleSync);
    }, nextIstTimeOfDay(Date.now(), 8 * 60) - Date.now());
    dailySync.unref();
  };
  scheduleSync();

  const reload = async () => {
    if (!configPath) return;
    try {
      await apply(loadCollectorsConfig(configPath), false);
    } catch (error) {
      logger.error({ err: error }, 'collectors config reload failed; keeping the running collectors');
    }
  };
  const interval = options.watchIntervalMs ?? 2000;
  if (configPath && interval > 0) watchFile(configPath, { interval }, () => void reload());


  return {
    manager,
    health() {
      return manager.all().map((c) => {
        const s = c.snapshot(0);
        return {
          name: s.name,
          broker: s.broker,
          state: s.state,
          instruments: s.instruments,
          neverTicked: s.neverTicked,
          ticksReceived: s.metrics.ticksReceived,
          lastTickAt: s.metrics.lastTickAt,
          lastError: s.metrics.lastError,
        };
      });
    },
    reload,
    recorded: () => recorder.idle(),
    async stop() {
      if (dailySync) clearTimeout(dailySync);
      if (configPath) unwatchFile(configPath);
      await manager.stopAll();
      recorder.stop();
      await recorder.idle();
    },
  };
}
