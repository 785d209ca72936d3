/**
 * Instruments master: search, lookup by symbol, and set-based upserts (imports, feeds).
 */
import { and, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Instrument } from '@/lib/market/instrument';
import type { Exchange } from '@/lib/market/tick';
import type { Database } from '../client';
import { instruments } from '../schema';

/** An `instruments` row as the domain `Instrument`. */
export function toInstrument(row: typeof instruments.$inferSelect): Instrument {
  return {
    instrumentToken: row.instrumentToken,
    exchange: row.exchange as Exchange,
    tradingsymbol: row.tradingsymbol,
    name: row.name,
    segment: row.segment,
    instrumentType: row.instrumentType,
    tickSize: row.tickSize,
    lotSize: row.lotSize,
    expiry: row.expiry,
    strike: row.strike,
  };
}

/**
 * Instruments whose tradingsymbol or name contains `q` (case-insensitive); exact and prefix
 * matches on tradingsymbol rank first. Returns at most `limit` (default 20).
 */
export async function searchInstruments(db: Database, q: string, limit = 20): Promise<Instrument[]> {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db.orm
    .select()
    .from(instruments)
    .where(or(ilike(instruments.tradingsymbol, pattern), ilike(instruments.name, pattern)))
    .orderBy(
      sql`CASE WHEN upper(${instruments.tradingsymbol}) = upper(${q}) THEN 0
               WHEN ${instruments.tradingsymbol} ILIKE ${prefix} THEN 1 ELSE 2 END`,
      instruments.tradingsymbol,
    )
    .limit(limit);
  return rows.map(toInstrument);
}

/** The instrument for "EXCHANGE:TRADINGSYMBOL", or null. */
export async function findInstrument(
  db: Database,
  exchange: string,
  tradingsymbol: string,
): Promise<Instrument | null> {
  const rows = await db.orm
    .select()
    .from(instruments)
    .where(and(eq(instruments.exchange, exchange), eq(instruments.tradingsymbol, tradingsymbol)))
    .limit(1);
  return rows[0] ? toInstrument(rows[0]) : null;
}

/**
 * Insert or update instruments by instrument_token, in chunks of 1,000 rows per statement (PGlite rejects messages with ~50k bind parameters).
 * With `onlyMissing`, existing rows are left untouched (feeds registering what they tick
 * must not overwrite a richer row from the instruments master).
 */
export async function upsertInstruments(
  db: Database,
  list: readonly Instrument[],
  options: { onlyMissing?: boolean } = {},
): Promise<void> {
  for (let i = 0; i < list.length; i += 1000) {
    const chunk = list.slice(i, i + 1000).map((item) => ({
      instrumentToken: item.instrumentToken,
      exchange: item.exchange,
      tradingsymbol: item.tradingsymbol,
      name: item.name,
      segment: item.segment,
      instrumentType: item.instrumentType,
      tickSize: item.tickSize,
      lotSize: item.lotSize,
      expiry: item.expiry,
      strike: item.strike,
    }));
    const insert = db.orm.insert(instruments).values(chunk);
    if (options.onlyMissing) {
      await insert.onConflictDoNothing();
    } else {
      await insert.onConflictDoUpdate({
        target: instruments.instrumentToken,
        set: {
          exchange: sql`excluded.exchange`,
          tradingsymbol: sql`excluded.tradingsymbol`,
          name: sql`excluded.name`,
          segment: sql`excluded.segment`,
          instrumentType: sql`excluded.instrument_type`,
          tickSize: sql`excluded.tick_size`,
          lotSize: sql`excluded.lot_size`,
          expiry: sql`excluded.expiry`,
          strike: sql`excluded.strike`,
          updatedAt: sql`now()`,
        },
      });
    }
  }
}

/**
 * Instruments by instrument_token (collectors resolving configured tokens). Tokens without a
 * row are simply absent from the result; order is not guaranteed.
 */
export async function findInstrumentsByTokens(db: Database, tokens: readonly number[]): Promise<Instrument[]> {
  const out: Instrument[] = [];
  for (let i = 0; i < tokens.length; i += 1000) {
    const chunk = tokens.slice(i, i + 1000);
    const rows = await db.orm.select().from(instruments).where(inArray(instruments.instrumentToken, chunk));
    out.push(...rows.map(toInstrument));
  }
  return out;
}

/**
 * Instruments by "EXCHANGE:TRADINGSYMBOL" pairs (collectors resolving configured symbols), in
 * chunks of 500 pairs per statement. Pairs without a row are absent from the result.
 */
export async function findInstrumentsBySymbols(
  db: Database,
  symbols: readonly { exchange: string; tradingsymbol: string }[],
): Promise<Instrument[]> {
  const out: Instrument[] = [];
  for (let i = 0; i < symbols.length; i += 500) {
    const chunk = symbols.slice(i, i + 500);
    const rows = await db.orm
      .select()
      .from(instruments)
      .where(or(...chunk.map((s) => and(eq(instruments.exchange, s.exchange), eq(instruments.tradingsymbol, s.tradingsymbol)))));
    out.push(...rows.map(toInstrument));
  }
  return out;
}

/** Number of rows in `instruments` (the collectors decide whether a boot-time sync must finish first). */
export async function countInstruments(db: Database): Promise<number> {
  const [row] = await db.orm.select({ n: sql<number>`count(*)::int` }).from(instruments);
  return Number(row?.n ?? 0);
}
