/**
 * `npm run export -- [--symbol NSE:XYZ] [--from ISO] [--to ISO] [--out FILE]`
 *
 * Writes stored ticks in the marketdesk tick CSV format (docs/tick-format.md), oldest first,
 * to FILE or stdout. The output replays with FEED=replay REPLAY_FILE=FILE.
 * Exit codes: 0 done, 1 bad usage, 2 embedded database in use by the running app.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, InvalidArgumentError } from 'commander';
import { findInstrument } from '@/lib/db/queries/instruments';
import { readTicks } from '@/lib/db/queries/tick-export';
import { parseSymbol } from '@/lib/market/tick';
import { EXIT_DATABASE_IN_USE, openCliDatabase, runCli } from './cli-support';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '../sources/formats';

const isoDate = (name: string) => (value: string) => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`${name} must be an ISO date-time, e.g. 2025-12-29T09:15:00+05:30`);
  return new Date(ms);
};

const program = new Command('export')
  .description('Export stored ticks as marketdesk tick CSV')
  .option('--symbol <EXCHANGE:TRADINGSYMBOL>', 'only this instrument')
  .option('--from <ISO>', 'first exchange time (inclusive)', isoDate('--from'), new Date(0))
  .option('--to <ISO>', 'last exchange time (exclusive)', isoDate('--to'), new Date('2100-01-01T00:00:00Z'))
  .option('--out <file>', 'write here instead of stdout')
  .showHelpAfterError();

async function main(): Promise<number> {
  program.parse();
  const options = program.opts<{ symbol?: string; from: Date; to: Date; out?: string }>();
  const opened = await openCliDatabase('export', 'An export');
  if (!opened) return EXIT_DATABASE_IN_USE;
  const { db, close } = opened;
  try {
    let instrumentToken: number | undefined;
    if (options.symbol) {
      const symbol = parseSymbol(options.symbol);
      const instrument = symbol && (await findInstrument(db, symbol.exchange, symbol.tradingsymbol));
      if (!instrument) {
        console.error(`export: unknown symbol ${options.symbol}`);
        return 1;
      }
      instrumentToken = instrument.instrumentToken;
    }
    const out = options.out ? createWriteStream(options.out) : process.stdout;
    out.write(`${MARKETDESK_HEADER}\n`);
    let count = 0;
    for await (const page of readTicks(db, { from: options.from, to: options.to, instrumentToken })) {
      if (!out.write(`${page.map(formatMarketdeskCsvRow).join('\n')}\n`)) await once(out, 'drain');
      count += page.length;
    }
    if (options.out) {
      out.end();
      await once(out, 'finish');
      console.error(`Exported ${count} ticks to ${options.out}`);
    }
    return 0;
  } finally {
    await close();
  }
}

runCli(main);
