/**
 * Deterministic bench ticks and the bench's database: `generateTicks(count)` gives `count`
 * ticks of INSTRUMENTS instruments (tokens 5,000,000 + i), ~4 ticks/s each from 09:15 IST on
 * 2025-12-29, prices in rupees, cumulative volumes; `benchDatabase(context, name)` opens a fresh,
 * migrated database on the context's backend (embedded: a new folder under the run's workDir, on
 * the database thread unless EMBEDDED_DB_THREAD=0; server: a new database `md_bench_<name>_<pid>`
 * created on BENCH_DATABASE_URL's server and dropped by `drop()`).
 */
import path from 'node:path';
import { openEmbeddedDatabase, openServerDatabase, type Database } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import type { Tick } from '@/lib/market/tick';
import type { BenchContext } from './figures';

export const INSTRUMENTS = 200;

export function generateTicks(count: number, startMs = Date.parse('2025-12-29T09:15:00+05:30')): Tick[] {
  const ticks: Tick[] = new Array(count);
  const prices = Array.from({ length: INSTRUMENTS }, (_, i) => 100 + i * 7.5);
  const volumes = new Array(INSTRUMENTS).fill(0);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let n = 0; n < count; n++) {
    const i = n % INSTRUMENTS;
    prices[i] = Math.max(1, Math.round(prices[i] * (1 + (random() - 0.5) * 0.002) * 20) / 20);
    const quantity = 1 + Math.floor(random() * 500);
    volumes[i] += quantity;
    ticks[n] = {
      instrumentToken: 5_000_000 + i,
      exchange: 'NSE',
      tradingsymbol: `BENCH${i}`,
      exchangeTime: startMs + Math.floor((n / INSTRUMENTS) * 250),
      ltp: prices[i],
      lastQuantity: quantity,
      volume: volumes[i],
      averagePrice: prices[i],
      oi: null,
      bidPrice: prices[i] - 0.05,
      bidQuantity: 100,
      askPrice: prices[i] + 0.05,
      askQuantity: 120,
      feed: 'replay',
    };
  }
  return ticks;
}

export interface BenchDatabase {
  db: Database;
  /** The server database's URL (server backend only), for a child process to open. */
  url?: string;
  /** Close it and remove what it created (the server database). */
  drop(): Promise<void>;
}

/** A fresh migrated database for one area (see the file comment). */
export async function benchDatabase(context: BenchContext, name: string): Promise<BenchDatabase> {
  if (context.backend.kind === 'embedded') {
    const db = await openEmbeddedDatabase(path.join(context.workDir, `db-${name}`));
    await migrateDatabase(db);
    return { db, drop: () => db.close() };
  }
  const url = new URL(context.backend.url!);
  const database = `md_bench_${name}_${process.pid}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = await openServerDatabase(url.toString(), 1);
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  const db = await openServerDatabase(target.toString(), 4);
  await migrateDatabase(db);
  return {
    db,
    url: target.toString(),
    async drop() {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
      await admin.close();
    },
  };
}
