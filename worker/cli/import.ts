/**
 * `npm run import -- --format <kite-instruments|kite-candles|fyers-symbols> [--symbol NSE:XYZ] <file>`
 *
 * Loads a Kite instruments dump or a Fyers symbol master into `instruments`, or Kite 1-minute historical candles for one
 * symbol into `candles_1m` (then refreshes the 5m…1d continuous aggregates), with a progress bar
 * and a summary. Uses DATABASE_URL when set, else the embedded database under DATA_DIR; if the
 * app is running on that embedded database the import refuses and says to stop it first.
 * Exit codes: 0 done, 1 bad usage or input, 2 database in use.
 */
import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { findInstrument, upsertInstruments } from '@/lib/db/queries/instruments';
import { parseSymbol } from '@/lib/market/tick';
import { importFyersSymbols } from '../import/fyers-import';
import { importKiteCandles, importKiteInstruments, type ImportSummary } from '../import/run-import';
import { cliFailure, EXIT_DATABASE_IN_USE, openCliDatabase, runCli } from './cli-support';

const FORMATS = ['kite-instruments', 'kite-candles', 'fyers-symbols'] as const;

const program = new Command('import')
  .description('Import broker data into the market-data database')
  .requiredOption('--format <format>', `one of ${FORMATS.join(', ')}`, (value) => {
    if (!(FORMATS as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`must be one of ${FORMATS.join(', ')}`);
    }
    return value as (typeof FORMATS)[number];
  })
  .option('--symbol <EXCHANGE:TRADINGSYMBOL>', 'instrument the candles belong to, e.g. NSE:RELIANCE (kite-candles)')
  .option('--token <instrument_token>', 'instrument token to use when the symbol is not in the instruments table', (v) => {
    const token = Number(v);
    if (!Number.isSafeInteger(token) || token <= 0) throw new InvalidArgumentError('must be a positive integer');
    return token;
  })
  .argument('<file>', 'CSV file to import')
  .showHelpAfterError();

async function main(): Promise<number> {
  program.parse();
  const options = program.opts<{ format: (typeof FORMATS)[number]; symbol?: string; token?: number }>();
  const [file] = program.args;
  if (!existsSync(file)) return fail(`File not found: ${file}`);
  const symbol = options.symbol ? parseSymbol(options.symbol) : null;
  if (options.format === 'kite-candles' && !symbol) {
    return fail('--symbol EXCHANGE:TRADINGSYMBOL is required for kite-candles (e.g. --symbol NSE:RELIANCE)');
  }

  const opened = await openCliDatabase('import', 'An import');
  if (!opened) return EXIT_DATABASE_IN_USE;
  const { db, close } = opened;
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {value}/{total} KB | ETA {eta}s', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const onProgress = (read: number, total: number) => {
    if (!bar.isActive) bar.start(Math.ceil(total / 1024), 0);
    bar.update(Math.ceil(read / 1024));
  };
  try {
    let summary: ImportSummary;
    if (options.format === 'kite-instruments') {
      summary = await importKiteInstruments(db, file, { onProgress });
    } else if (options.format === 'fyers-symbols') {
      summary = await importFyersSymbols(db, file, { onProgress });
    } else {
      let instrument = await findInstrument(db, symbol!.exchange, symbol!.tradingsymbol);
      if (!instrument && options.token) {
        await upsertInstruments(db, [
          { instrumentToken: options.token, ...symbol!, name: null, segment: symbol!.exchange, instrumentType: 'EQ', tickSize: null, lotSize: null, expiry: null, strike: null },
        ]);
        instrument = await findInstrument(db, symbol!.exchange, symbol!.tradingsymbol);
      }
      if (!instrument) {
        bar.stop();
        return fail(
          `${options.symbol} is not in the instruments table. Import the instruments dump first ` +
            `(npm run import -- --format kite-instruments <instruments.csv>) or pass --token <instrument_token>.`,
        );
      }
      summary = await importKiteCandles(db, file, instrument.instrumentToken, { onProgress });
    }
    bar.stop();
    console.log(
      `Imported ${summary.imported} of ${summary.records} records from ${summary.file} in ${(summary.ms / 1000).toFixed(1)} s` +
        (summary.from ? ` (candles ${summary.from} … ${summary.to})` : ''),
    );
    if (summary.skipped > 0) {
      console.log(`Skipped ${summary.skipped} records:\n  ${summary.problems.join('\n  ')}`);
    }
    return 0;
  } catch (error) {
    bar.stop();
    return fail(error instanceof Error ? error.message : String(error));
  } finally {
    await close();
  }
}

const fail = (message: string) => cliFailure('import', message);

runCli(main);
