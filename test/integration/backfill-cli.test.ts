/**
 * `npm run backfill` as a child process against the embedded database and a local Kite REST
 * server (real KiteConnect client): dry-run plans, per-instrument-year request count, a failing
 * instrument exits non-zero with a clear message, and a rerun fetches only what is missing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '@/lib/db/client';
import { embeddedClusterDir } from '@/lib/db/embedded-owner';
import { upsertInstruments, } from '@/lib/db/queries/instruments';
import { upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { migrateDatabase } from '@/lib/db/migrate';
import { nseCalendar } from '@/lib/market/calendar';
import { kiteError, startKiteRestServer, type KiteRestServer } from '../support/kite-rest-server';

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

describe('backfill CLI', () => {
  let dataDir: string;
  let kite: KiteRestServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-cli-'));
    const db = await openEmbeddedDatabase(embeddedClusterDir(dataDir));
    await migrateDatabase(db);
    const base = { name: null, tickSize: null, lotSize: null, expiry: null, strike: null };
    await upsertInstruments(db, [
      { ...base, instrumentToken: NIFTY, exchange: 'NSE', tradingsymbol: 'NIFTY 50', segment: 'INDICES', instrumentType: 'EQ' },
      { ...base, instrumentToken: INFY, exchange: 'NSE', tradingsymbol: 'INFY', segment: 'NSE', instrumentType: 'EQ' },
    ]);
    // INFY already has all of January 2025.
    const january = nseCalendar.sessionMinutes(ist('2025-01-01T00:00:00'), ist('2025-02-01T00:00:00'));
    await upsertOneMinuteCandles(db, january.map((m) => candleAt(INFY, m)));
    await db.close();
    kite = await startKiteRestServer();
    // The broker has every session minute of Q1 2025 for both.
    const q1 = nseCalendar.sessionMinutes(ist('2025-01-01T00:00:00'), ist('2025-04-01T00:00:00'));
    kite.candles.set(NIFTY, q1.map((m) => candleAt(NIFTY, m)));
    kite.candles.set(INFY, q1.map((m) => candleAt(INFY, m)));
    env = { DATA_DIR: dataDir, HISTORY_SOURCE: 'kite', KITE_API_KEY: 'test', KITE_ACCESS_TOKEN: 'test', KITE_API_ROOT: kite.url };
  });
  afterAll(async () => {
    await kite?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('dry run plans requests within the 60-day span: 7 per instrument-year; Q1 with INFY’s January done: 2 + 1', async () => {
    const year = await runCli(['--symbols', 'NSE:NIFTY 50', '--from', '2024-01-01', '--to', '2024-12-31', '--dry-run'], { DATA_DIR: dataDir });
    expect(year.code).toBe(0);
    expect(year.out).toMatch(/1 instrument\(s\), 2024-01-01 … 2024-12-31: 7 request\(s\) planned/);
    const q1 = await runCli(['--symbols', 'NSE:NIFTY 50,NSE:INFY', '--from', '2025-01-01', '--to', '2025-03-31', '--dry-run'], { DATA_DIR: dataDir });
    expect(q1.code).toBe(0);
    expect(q1.out).toMatch(/2 instrument\(s\), 2025-01-01 … 2025-03-31: 3 request\(s\) planned/);
    expect(q1.out).toMatch(/NSE:INFY\s+missing\s+\d+ of \d+ minutes, 1 request\(s\)/);
    expect(kite.requests.total).toBe(0);
  });

  it('a failing instrument exits 1 naming it; the rerun fetches only what is missing', async () => {
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

    const db = await openEmbeddedDatabase(embeddedClusterDir(dataDir));
    try {
      const expected = nseCalendar.sessionMinutes(ist('2025-01-01T00:00:00'), ist('2025-04-01T00:00:00')).length;
      const rows = await db.query<{ t: string; n: string }>(`SELECT instrument_token::text AS t, count(*) AS n FROM candles_1m GROUP BY 1 ORDER BY 1`);
      expect(rows.map((r) => [Number(r.t), Number(r.n)])).toEqual([[NIFTY, expected], [INFY, expected]]);
    } finally {
      await db.close();
    }
  });

  it('bad usage exits 1 with a clear message', async () => {
    const both = await runCli(['--symbols', 'NSE:INFY', '--watchlist', 'NIFTY50', '--from', '2025-01-01', '--to', '2025-01-31'], env);
    expect(both.code).toBe(1);
    expect(both.out).toMatch(/exactly one of --watchlist NAME or --symbols/);
    const noSource = await runCli(['--symbols', 'NSE:INFY', '--from', '2025-01-01', '--to', '2025-01-31'], { DATA_DIR: dataDir });
    expect(noSource.code).toBe(1);
    expect(noSource.out).toMatch(/HISTORY_SOURCE=kite/);
  });
});
