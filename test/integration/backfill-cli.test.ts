/**
 * `npm run backfill` as a child process, on each backend (a fresh database per block,
 * test/support/test-database.ts; DATA_DIR, plus DATABASE_URL on the server), and a local Kite REST
 * server (real KiteConnect client): dry-run plans, per-instrument-year request count, a failing
 * instrument exits non-zero with a clear message, and a rerun fetches only what is missing.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertInstruments, } from '@/lib/db/queries/instruments';
import { upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { nseCalendar } from '@/lib/market/calendar';
import { kiteError, startKiteRestServer, type KiteRestServer } from '../support/kite-rest-server';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const NIFTY = 256265;
const INFY = 408065;
const ist = (text: string) => Date.parse(`${text}+05:30`);

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/cli/backfill.ts', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const candleAt = (token: number, bucket: number) => ({ instrumentToken: token, bucket, open: 100, high: 101, low: 99, close: 100.5, volume: 10, oi: null });

describeEachBackend('backfill CLI', (backend) => {
  const database = useTestDatabase(backend);
  let kite: KiteRestServer;
  let env: Record<string, string>;
  let dbEnv: Record<string, string>;

  beforeAll(async () => {
    const db = database.db;
    const base = { name: null, tickSize: null, lotSize: null, expiry: null, strike: null };
    await upsertInstruments(db, [
      { ...base, instrumentToken: NIFTY, exchange: 'NSE', tradingsymbol: 'NIFTY 50', segment: 'INDICES', instrumentType: 'EQ' },
      { ...base, instrumentToken: INFY, exchange: 'NSE', tradingsymbol: 'INFY', segment: 'NSE', instrumentType: 'EQ' },
    ]);
    // INFY already has all of January 2025.
    const january = nseCalendar.sessionMinutes(ist('2025-01-01T00:00:00'), ist('2025-02-01T00:00:00'));
    await upsertOneMinuteCandles(db, january.map((m) => candleAt(INFY, m)));
    await database.close(); // the CLI processes open it
    dbEnv = database.env();
    kite = await startKiteRestServer();
    // The broker has every session minute of Q1 2025 for both.
    const q1 = nseCalendar.sessionMinutes(ist('2025-01-01T00:00:00'), ist('2025-04-01T00:00:00'));
    kite.candles.set(NIFTY, q1.map((m) => candleAt(NIFTY, m)));
    kite.candles.set(INFY, q1.map((m) => candleAt(INFY, m)));
    env = { ...dbEnv, HISTORY_SOURCE: 'kite', KITE_API_KEY: 'test', KITE_ACCESS_TOKEN: 'test', KITE_API_ROOT: kite.url };
  });
  afterAll(async () => {
    await kite?.close();
  });

  it('dry run plans requests within the 60-day span: 7 per instrument-year; Q1 with INFY’s January done: 2 + 1', async () => {
    const year = await runCli(['--symbols', 'NSE:NIFTY 50', '--from', '2024-01-01', '--to', '2024-12-31', '--dry-run'], dbEnv);
    expect(year.code).toBe(0);
    expect(year.out).toMatch(/1 instrument\(s\), 2024-01-01 … 2024-12-31: 7 request\(s\) planned/);
    const q1 = await runCli(['--symbols', 'NSE:NIFTY 50,NSE:INFY', '--from', '2025-01-01', '--to', '2025-03-31', '--dry-run'], dbEnv);
    expect(q1.code).toBe(0);
    expect(q1.out).toMatch(/2 instrument\(s\), 2025-01-01 … 2025-03-31: 3 request\(s\) planned/);
    expect(q1.out).toMatch(/NSE:INFY\s+missing\s+\d+ of \d+ minutes, 1 request\(s\)/);
    expect(kite.requests.total).toBe(0);
  });

  // Both backends (on the server this ran only on the embedded database until the test clones'
  // paused jobs fixed the stray scheduler runs: test/support/database-templates.ts).
  it(`a failing instrument exits 1 naming it; the rerun fetches only what is missing`, async () => {
    kite.historicalFault = (token) => (token === INFY ? kiteError(403, 'TokenException', 'Incorrect `api_key` or `access_token`.') : undefined);
    const first = await runCli(['--symbols', 'NSE:NIFTY 50,NSE:INFY', '--from', '2025-01-01', '--to', '2025-03-31'], env);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/NSE:INFY\s+FAILED: Kite history for NSE:INFY: access token rejected/);
    expect(first.out).toMatch(/NSE:NIFTY 50\s+requests 2, fetched \d+, stored \d+, still missing 0 of \d+ minutes/);
    expect(kite.requests.historicalByToken.get(NIFTY)).toBe(2);

    kite.historicalFault = undefined;
    kite.resetCounts();
    const rerun = await runCli(['--symbols', 'NSE:NIFTY 50,NSE:INFY', '--from', '2025-01-01', '--to', '2025-03-31'], env);
    expect(rerun.code).toBe(0);
    expect(kite.requests.historicalByToken.get(NIFTY) ?? 0).toBe(0);
    expect(kite.requests.historicalByToken.get(INFY)).toBe(1);
    expect(rerun.out).toMatch(/NSE:INFY\s+requests 1, fetched \d+, stored \d+, still missing 0 of \d+ minutes/);

    const db = await database.reopen();
    try {
      const expected = nseCalendar.sessionMinutes(ist('2025-01-01T00:00:00'), ist('2025-04-01T00:00:00')).length;
      const rows = await db.query<{ t: string; n: string }>(`SELECT instrument_token::text AS t, count(*) AS n FROM candles_1m GROUP BY 1 ORDER BY 1`);
      expect(rows.map((r) => [Number(r.t), Number(r.n)])).toEqual([[NIFTY, expected], [INFY, expected]]);
    } finally {
      await database.close();
    }
  }, 240_000); // two CLI runs of a few seconds each on an idle machine, ~60 s each on a loaded CI runner

  it('bad usage exits 1 with a clear message', async () => {
    const both = await runCli(['--symbols', 'NSE:INFY', '--watchlist', 'NIFTY50', '--from', '2025-01-01', '--to', '2025-01-31'], env);
    expect(both.code).toBe(1);
    expect(both.out).toMatch(/exactly one of --watchlist NAME or --symbols/);
    const noSource = await runCli(['--symbols', 'NSE:INFY', '--from', '2025-01-01', '--to', '2025-01-31'], dbEnv);
    expect(noSource.code).toBe(1);
    expect(noSource.out).toMatch(/HISTORY_SOURCE=kite/);
  });
});
