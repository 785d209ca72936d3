/**
 * `npm run backfill -- (--watchlist NAME | --symbols A,B) --from DATE --to DATE [--concurrency N] [--dry-run]`
 *
 * Fills missing 1m candles from the broker's historical API (HISTORY_SOURCE=kite with
 * KITE_API_KEY / KITE_ACCESS_TOKEN; docs/storage.md): for each instrument, the NSE session
 * minutes of the IST dates [from, to] (both inclusive) with no candle are planned into requests
 * within the broker's limits (Kite: 60 days of minute candles per request, 3 requests/s shared
 * by all instruments), fetched, stored, and the aggregates refreshed. Days already fetched after
 * their close are skipped, so a rerun resumes where a partial run stopped. `--dry-run` prints the
 * plan without fetching (no credentials needed). Shows a progress bar with ETA and per-symbol
 * counts. Uses DATABASE_URL, else the embedded database under DATA_DIR (refused while the app
 * runs on it). Exit codes: 0 done, 1 bad usage or a failed instrument, 2 database in use.
 */
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { parseHistoryEnv } from '@/lib/config/history-env';
import type { Database } from '@/lib/db/client';
import { findInstrument } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import { formatIst, istDateStart } from '@/lib/market/session';
import { parseSymbol, symbolOf } from '@/lib/market/tick';
import { backfillInstrument, type BackfillResult } from '../backfill/backfill';
import { createHistorySource } from '../backfill/source';
import type { HistoricalLimits } from '../sources/historical';
import { cliFailure, EXIT_DATABASE_IN_USE, openCliDatabase, runCli } from './cli-support';

const KITE_LIMITS: HistoricalLimits = { maxMinuteSpanDays: 60, requestsPerSecond: 3 };

const date = (value: string) => {
  if (Number.isNaN(istDateStart(value))) throw new InvalidArgumentError('expected an IST date YYYY-MM-DD');
  return value;
};

const program = new Command('backfill')
  .description('Fill missing 1m candles from the broker historical API')
  .option('--watchlist <name>', 'a watchlist (predefined, e.g. NIFTY50, or your own)')
  .option('--symbols <list>', 'comma-separated EXCHANGE:TRADINGSYMBOL, e.g. NSE:INFY,NSE:TCS')
  .requiredOption('--from <date>', 'first IST date, YYYY-MM-DD', date)
  .requiredOption('--to <date>', 'last IST date (inclusive), YYYY-MM-DD', date)
  .option('--concurrency <n>', 'instruments fetched in parallel (the rate limit is shared)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('must be an integer from 1 to 16');
    return n;
  }, 2)
  .option('--dry-run', 'plan and print the requests without fetching')
  .showHelpAfterError();

interface Options {
  watchlist?: string;
  symbols?: string;
  from: string;
  to: string;
  concurrency: number;
  dryRun?: boolean;
}

/** The watchlist's symbols (issue 5's lib/db/queries/watchlists.ts). Throws for an unknown list. */
async function watchlistSymbols(db: Database, name: string): Promise<string[]> {
  const { getWatchlistSymbols } = await import('@/lib/db/queries/watchlists');
  const symbols = await getWatchlistSymbols(db, name);
  if (!symbols) throw new Error(`Unknown watchlist "${name}"`);
  return symbols;
}

async function main(): Promise<number> {
  program.parse();
  const options = program.opts<Options>();
  if (!options.watchlist === !options.symbols) return fail('give exactly one of --watchlist NAME or --symbols A,B');
  const from = istDateStart(options.from);
  const to = istDateStart(options.to) + 86_400_000;
  if (to <= from) return fail('--from must not be after --to');

  let history;
  try {
    history = parseHistoryEnv();
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const source = createHistorySource(history);
  if (!source && !options.dryRun) {
    return fail('no broker history configured: set HISTORY_SOURCE=kite with KITE_API_KEY and KITE_ACCESS_TOKEN (or use --dry-run)');
  }
  const limits = source?.limits ?? KITE_LIMITS;

  const opened = await openCliDatabase('backfill', 'The backfill');
  if (!opened) return EXIT_DATABASE_IN_USE;
  const { db, close } = opened;
  try {
    const symbols = options.watchlist
      ? await watchlistSymbols(db, options.watchlist)
      : options.symbols!.split(',').map((s) => s.trim()).filter(Boolean);
    const instruments: Instrument[] = [];
    const unknown: string[] = [];
    for (const symbol of symbols) {
      const parsed = parseSymbol(symbol);
      const instrument = parsed ? await findInstrument(db, parsed.exchange, parsed.tradingsymbol) : null;
      if (instrument) instruments.push(instrument);
      else unknown.push(symbol);
    }
    if (unknown.length > 0) {
      console.error(`backfill: not in the instruments table (import the instruments dump first): ${unknown.join(', ')}`);
    }
    if (instruments.length === 0) return fail('nothing to backfill');

    // Each instrument is checked against its own session calendar (backfillInstrument's default).
    // Plan first (cheap, database only): gives the progress bar its total and the dry run its output.
    const plans = new Map<number, BackfillResult>();
    for (const instrument of instruments) {
      plans.set(instrument.instrumentToken, await backfillInstrument(db, source, instrument, { from, to, allDays: true, dryRun: true }, limits));
    }
    const total = [...plans.values()].reduce((n, p) => n + p.requests.length, 0);
    console.log(
      `${instruments.length} instrument(s), ${options.from} … ${options.to}: ${total} request(s) planned ` +
        `(${limits.maxMinuteSpanDays}-day span, ${limits.requestsPerSecond}/s: at least ${Math.ceil(total / limits.requestsPerSecond)} s)`,
    );
    if (options.dryRun) {
      for (const instrument of instruments) {
        const plan = plans.get(instrument.instrumentToken)!;
        console.log(`  ${symbolOf(instrument).padEnd(28)} missing ${String(plan.missingBefore).padStart(7)} of ${plan.expected} minutes, ${plan.requests.length} request(s)`);
        for (const r of plan.requests) console.log(`    ${formatIst(r.from)} … ${formatIst(r.to)} IST (${r.days.length} day(s), ${r.minutes} minutes)`);
      }
      return 0;
    }

    const bar = new cliProgress.SingleBar(
      { format: ' {bar} {percentage}% | {value}/{total} requests | ETA {eta}s | {symbol}', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { symbol: '' });
    const results = new Map<number, BackfillResult | Error>();
    const queue = [...instruments];
    const worker = async () => {
      for (let instrument = queue.shift(); instrument; instrument = queue.shift()) {
        try {
          const result = await backfillInstrument(db, source, instrument, {
            from,
            to,
            allDays: true,
            onRequest: () => bar.increment({ symbol: symbolOf(instrument!) }),
          });
          results.set(instrument.instrumentToken, result);
        } catch (error) {
          results.set(instrument.instrumentToken, error instanceof Error ? error : new Error(String(error)));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, instruments.length) }, worker));
    bar.stop();

    let failures = 0;
    for (const instrument of instruments) {
      const result = results.get(instrument.instrumentToken)!;
      const name = symbolOf(instrument).padEnd(28);
      if (result instanceof Error) {
        failures++;
        console.log(`  ${name} FAILED: ${result.message}`);
      } else {
        const still = result.stillMissing.reduce((n, g) => n + g.minutes, 0);
        console.log(`  ${name} requests ${result.requests.length}, fetched ${result.fetched}, stored ${result.stored}, still missing ${still} of ${result.expected} minutes`);
      }
    }
    if (unknown.length > 0 || failures > 0) {
      console.error(`backfill: ${failures} instrument(s) failed, ${unknown.length} unknown`);
      return 1;
    }
    return 0;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    await close();
  }
}

const fail = (message: string) => cliFailure('backfill', message);

runCli(main);
