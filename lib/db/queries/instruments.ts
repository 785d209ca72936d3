/**
 * Instruments master: search with relevance, filtered browsing, lookup by symbol or token, and
 * set-based upserts (imports, feeds).
 */
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
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

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Option/future names whose spot is an index with another tradingsymbol (lib/options/underlyings.ts). */
const INDEX_ALIASES: Readonly<Record<string, string>> = {
  NIFTY: 'NIFTY 50',
  BANKNIFTY: 'NIFTY BANK',
  FINNIFTY: 'NIFTY FIN SERVICE',
  MIDCPNIFTY: 'NIFTY MID SELECT',
  NIFTYNXT50: 'NIFTY NEXT 50',
};

/** Filters of the instrument browser (GET /api/instruments); all optional, combined with AND. */
export interface InstrumentFilters {
  /** Search text: every whitespace-separated term must match (see searchInstruments). */
  q?: string;
  exchange?: string;
  /** Kite segment, e.g. NFO-OPT, INDICES. */
  segment?: string;
  /** Kite instrument_type: EQ, FUT, CE, PE. */
  instrumentType?: string;
  /** Derivatives' `name` (NIFTY, BANKNIFTY, RELIANCE). */
  underlying?: string;
  /** "YYYY-MM-DD". */
  expiry?: string;
  /** Strike range, rupees, inclusive. */
  strikeMin?: number;
  strikeMax?: number;
}

function filterConditions(filters: InstrumentFilters): SQL[] {
  const where: SQL[] = [];
  for (const term of (filters.q ?? '').trim().split(/\s+/).filter(Boolean)) {
    const pattern = `%${escapeLike(term)}%`;
    const alias = INDEX_ALIASES[term.toUpperCase()];
    where.push(
      sql`(${instruments.tradingsymbol} ILIKE ${pattern} OR ${instruments.name} ILIKE ${pattern}
           OR ${instruments.instrumentType} = ${term.toUpperCase()}
           ${alias ? sql`OR (${instruments.segment} = 'INDICES' AND ${instruments.tradingsymbol} = ${alias})` : sql``})`,
    );
  }
  if (filters.exchange) where.push(eq(instruments.exchange, filters.exchange));
  if (filters.segment) where.push(eq(instruments.segment, filters.segment));
  if (filters.instrumentType) where.push(eq(instruments.instrumentType, filters.instrumentType));
  if (filters.underlying) where.push(eq(instruments.name, filters.underlying));
  if (filters.expiry) where.push(sql`${instruments.expiry} = ${filters.expiry}::date`);
  if (filters.strikeMin !== undefined) where.push(sql`${instruments.strike} >= ${filters.strikeMin}`);
  if (filters.strikeMax !== undefined) where.push(sql`${instruments.strike} <= ${filters.strikeMax}`);
  return where;
}

/**
 * Relevance order for search text `q`: (0) the exact tradingsymbol, or the index an option name
 * stands for ("banknifty" → NIFTY BANK); (1) tradingsymbols starting with the first term; then by
 * kind: index, equity, future, option, other; live contracts before expired ones, nearest expiry
 * first; then strike and tradingsymbol.
 */
function relevance(q: string): SQL[] {
  const terms = q.trim().split(/\s+/).filter(Boolean);
  const first = terms[0] ?? '';
  const alias = INDEX_ALIASES[q.trim().toUpperCase().replace(/\s+/g, '')];
  return [
    sql`CASE WHEN upper(${instruments.tradingsymbol}) = upper(${q.trim()}) THEN 0
             ${alias ? sql`WHEN ${instruments.segment} = 'INDICES' AND ${instruments.tradingsymbol} = ${alias} THEN 0` : sql``}
             WHEN ${instruments.tradingsymbol} ILIKE ${`${escapeLike(first)}%`} THEN 1 ELSE 2 END`,
    sql`CASE WHEN ${instruments.segment} = 'INDICES' THEN 0 WHEN ${instruments.instrumentType} = 'EQ' THEN 1
             WHEN ${instruments.instrumentType} = 'FUT' THEN 2 WHEN ${instruments.instrumentType} IN ('CE', 'PE') THEN 3 ELSE 4 END`,
    sql`CASE WHEN ${instruments.expiry} IS NOT NULL AND ${instruments.expiry} < (now() AT TIME ZONE 'Asia/Kolkata')::date THEN 1 ELSE 0 END`,
    sql`${instruments.expiry} ASC NULLS FIRST`,
    sql`${instruments.strike} ASC NULLS FIRST`,
    sql`${instruments.tradingsymbol}`,
  ];
}

/**
 * Instruments matching search text `q`, most relevant first (see relevance): every
 * whitespace-separated term must occur in the tradingsymbol or name (case-insensitive), or equal
 * the instrument type ("nifty fut" → NIFTY futures), or name an index alias ("banknifty" → the
 * NIFTY BANK index). Returns at most `limit` (default 20).
 */
export async function searchInstruments(db: Database, q: string, limit = 20): Promise<Instrument[]> {
  return (await browseInstruments(db, { q }, { limit, offset: 0 })).instruments;
}

/**
 * One page of instruments matching `filters`: with search text in relevance order, else by
 * exchange, name, expiry, strike, tradingsymbol. `total` counts every match.
 */
export async function browseInstruments(
  db: Database,
  filters: InstrumentFilters,
  page: { limit: number; offset: number },
): Promise<{ instruments: Instrument[]; total: number }> {
  const where = filterConditions(filters);
  const condition = where.length ? and(...where) : undefined;
  const order = filters.q?.trim()
    ? relevance(filters.q)
    : [instruments.exchange, sql`${instruments.name} ASC NULLS FIRST`, sql`${instruments.expiry} ASC NULLS FIRST`, sql`${instruments.strike} ASC NULLS FIRST`, instruments.tradingsymbol];
  const rows = await db.orm.select().from(instruments).where(condition).orderBy(...order).limit(page.limit).offset(page.offset);
  const [count] = await db.orm.select({ n: sql<number>`count(*)::int` }).from(instruments).where(condition);
  return { instruments: rows.map(toInstrument), total: Number(count?.n ?? 0) };
}

/** The instrument with `token`, or null. */
export async function findInstrumentByToken(db: Database, token: number): Promise<Instrument | null> {
  const rows = await db.orm.select().from(instruments).where(eq(instruments.instrumentToken, token)).limit(1);
  return rows[0] ? toInstrument(rows[0]) : null;
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
