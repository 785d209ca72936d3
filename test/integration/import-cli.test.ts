/**
 * The import CLI as a user runs it: a real child process on a fresh database of each backend
 * (test/support/test-database.ts: the embedded folder under DATA_DIR, or DATABASE_URL on the
 * TimescaleDB server with TEST_DATABASE_URL).
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const INSTRUMENTS = 'kite-instruments/instruments_nse_2025-07-03.csv';
const ONE_MINUTE = 'easyaccounts-tradingapp/reliance_1min_60days.csv';
const FIFTEEN_MINUTE = 'easyaccounts-tradingapp/reliance_15min_200days.csv';

/** Run the import CLI on the database of `env` (DATA_DIR, plus DATABASE_URL on the server). */
function runImport(env: Record<string, string>, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'worker/cli/import.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describeEachBackend(`npm run import${needsSharedData(INSTRUMENTS, ONE_MINUTE, FIFTEEN_MINUTE)}`, (backend) => {
  const database = useTestDatabase(backend);
  let env: Record<string, string> = {};
  let dataDir = '';
  beforeAll(async () => {
    await database.close(); // the CLI processes open it
    env = database.env();
    dataDir = database.dataDir;
  });

  it.skipIf(!hasSharedData(INSTRUMENTS, ONE_MINUTE, FIFTEEN_MINUTE))(
    'imports instruments and candles with a summary, rejects wrong input with a message and exit 1',
    () => {
      const instruments = runImport(env, ['--format', 'kite-instruments', sharedData(INSTRUMENTS)]);
      expect(instruments.status).toBe(0);
      expect(instruments.stdout).toContain('Imported 8019 of 8019 records');

      const candles = runImport(env, ['--format', 'kite-candles', '--symbol', 'NSE:RELIANCE', sharedData(ONE_MINUTE)]);
      expect(candles.status).toBe(0);
      expect(candles.stdout).toMatch(/Imported 15372 of 15372 records .* \(candles 2025-10-29T03:45:00.000Z … 2025-12-26T09:59:00.000Z\)/);

      const wrongInterval = runImport(env, ['--format', 'kite-candles', '--symbol', 'NSE:RELIANCE', sharedData(FIFTEEN_MINUTE)]);
      expect(wrongInterval.status).toBe(1);
      expect(wrongInterval.stderr).toContain('only 1-minute candles can be imported');

      const unknownSymbol = runImport(env, ['--format', 'kite-candles', '--symbol', 'NSE:NOSUCH', sharedData(ONE_MINUTE)]);
      expect(unknownSymbol.status).toBe(1);
      expect(unknownSymbol.stderr).toContain('NSE:NOSUCH is not in the instruments table');
    },
  );

  it.skipIf(backend === 'server')(
    `refuses with exit 2 and says so while another live process owns the embedded database${backend === 'server' ? ' [embedded only: a server database has no single owner process; imports run alongside the app]' : ''}`,
    async () => {
      const owner = spawn('sleep', ['60']);
      try {
        writeFileSync(
          path.join(dataDir, 'owner.json'),
          JSON.stringify({ pid: owner.pid, url: 'http://localhost:3999', startedAt: new Date().toISOString() }),
        );
        const csv = path.join(dataDir, 'tiny.csv');
        writeFileSync(csv, 'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange\n');
        const result = runImport(env, ['--format', 'kite-instruments', csv]);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain(`in use by process ${owner.pid} (the app at http://localhost:3999)`);
        expect(result.stderr).toContain('Stop it first');
      } finally {
        owner.kill();
        rmSync(path.join(dataDir, 'owner.json'), { force: true });
      }
    },
  );

  it('exits 1 with usage for an unknown format and for a missing file', () => {
    const format = runImport(env, ['--format', 'bogus', 'x.csv']);
    expect(format.status).toBe(1);
    expect(format.stderr).toContain("argument 'bogus' is invalid. must be one of kite-instruments, kite-candles");
    const missing = runImport(env, ['--format', 'kite-instruments', path.join(dataDir, 'nope.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('File not found');
  });
});
