/**
 * The body of GET /api/candles at memory speed (issue 12 point 3; route.ts documents the API).
 *
 * `candleResponse(db, query, recent)` → `{ body (UTF-8 JSON bytes), etag }`:
 * 1. the worker's memory (`recent`: CandleCache through the gateway) answers the range from its
 *    coverage start (`boundary` = max(from, coveredFrom), or `to` when it covers nothing of it);
 * 2. the database answers [from, boundary), cached per worker `generation` (response-cache.ts),
 *    so a day whose morning is stored costs one query per generation, not one per request;
 * 3. the gap report: stored 1m minutes before the 1m memory coverage (cached the same way) plus
 *    the memory's own 1m candles after it, against the instrument's session calendar
 *    (lib/db/queries/gaps.ts minuteGapsOf: the same arithmetic as the database-only report);
 * 4. the body and its weak ETag are rebuilt only when the stamp (stored-rows key, the memory's
 *    closed-candle version, the open candle's values, the current minute) changed.
 * Without a worker answer that carries a generation (no worker, an older worker) every read goes
 * to the database (readCandles + reportCandleGaps), as before. Database work runs under the
 * shared heavy-route limit (lib/security/heavy-routes.ts runHeavy: 429 when saturated); reads
 * served from memory and the caches take no slot.
 *
 * Units: epoch ms UTC throughout; candle prices in rupees. Errors: database errors propagate
 * (500 through the route wrapper); SaturatedError (429).
 */
import { createHash } from 'node:crypto';
import type { Database } from '@/lib/db/client';
import { getCandles, type StoredCandle } from '@/lib/db/queries/candles';
import { getMinuteBuckets, MAX_GAP_CHECK_DAYS, minuteGapsOf, reportCandleGaps, toGapReport } from '@/lib/db/queries/gaps';
import type { ExchangeCalendar } from '@/lib/market/calendar';
import type { Candle } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';
import { runHeavy } from '@/lib/security/heavy-routes';
import { readCandles, toStoredCandle, type CandleRange } from './candle-reader';
import {
  bodies, cachedLoad, candlesJson, candlesJsonInSlices, gapReports, nextLoad, RESPONSE_CACHE, responseStats, storedMinutes, storedMinutesInFlight, storedRows, storedRowsInFlight, type StoredMinutes, type StoredPart,
} from './response-cache';

/** The worker's memory answer (lib/gateway RecentCandles). */
export interface MemoryAnswer {
  coveredFrom: number | null;
  candles: readonly Candle[];
  generation?: string;
  version?: number;
}

export type MemoryRead = (range: { instrumentToken: number; timeframe: Timeframe; from: number; to: number }) => Promise<MemoryAnswer | null>;

export interface CandleQuery {
  instrumentToken: number;
  symbol: string;
  timeframe: Timeframe;
  from: Date;
  to: Date;
  calendar: ExchangeCalendar;
  /** Newest candles kept (default 5,000). */
  limit?: number;
}

const MINUTE = 60_000;
const databaseIds = new WeakMap<Database, number>();
let databases = 0;
/** Cache keys are per database (tests open several in one process). */
function dbId(db: Database): number {
  let id = databaseIds.get(db);
  if (id === undefined) databaseIds.set(db, (id = ++databases));
  return id;
}

const utf8 = new TextEncoder();

export const weakEtag = (body: string) => `W/"${createHash('sha1').update(body).digest('base64url')}"`;

/** JSON of the response object, in the key order of the API (symbol, timeframe, from, to, candles, gaps). */
function bodyOf(query: CandleQuery, candlesText: string, gapsText: string): string {
  return `{"symbol":${JSON.stringify(query.symbol)},"timeframe":"${query.timeframe}","from":"${query.from.toISOString()}","to":"${query.to.toISOString()}","candles":[${candlesText}],"gaps":${gapsText}}`;
}

/** The database-only answer (no usable memory): as before issue 12 point 3, under the heavy limit. */
async function fromDatabase(db: Database, query: CandleQuery, memory: MemoryAnswer | null): Promise<{ body: Uint8Array<ArrayBuffer>; etag: string }> {
  const range: CandleRange = { instrumentToken: query.instrumentToken, timeframe: query.timeframe, from: query.from, to: query.to, limit: query.limit };
  const [gaps, { candles }] = await runHeavy(() =>
    Promise.all([
      reportCandleGaps(db, { instrumentToken: query.instrumentToken, from: query.from.getTime(), to: query.to.getTime(), calendar: query.calendar }),
      readCandles(db, range, memory ? async () => memory : undefined),
    ]),
  );
  const text = bodyOf(query, await candlesJsonInSlices(candles), JSON.stringify(gaps));
  return { body: utf8.encode(text), etag: weakEtag(text) };
}

const calendarIds = new WeakMap<ExchangeCalendar, number>();
/** The session calendars are long-lived objects (lib/config/history-env.ts configuredSessions): one id each. */
function calendarId(calendar: ExchangeCalendar): number {
  let id = calendarIds.get(calendar);
  if (id === undefined) calendarIds.set(calendar, (id = ++databases));
  return id;
}

/** The gap report of the query: stored minutes before the 1m memory coverage, memory minutes after it. */
async function gapsText(db: Database, query: CandleQuery, memory1m: MemoryAnswer | null, now: number): Promise<{ text: string; stamp: string }> {
  const from = query.from.getTime();
  const to = query.to.getTime();
  if (to - from > MAX_GAP_CHECK_DAYS * 86_400_000) return { text: '{"status":"skipped","missing":[]}', stamp: 'skipped' };
  const clippedTo = Math.min(to, Math.floor(now / MINUTE) * MINUTE);
  if (!memory1m || memory1m.generation === undefined) {
    const report = await runHeavy(() => reportCandleGaps(db, { instrumentToken: query.instrumentToken, from, to, calendar: query.calendar, now }));
    return { text: JSON.stringify(report), stamp: `db.${now}` };
  }
  const boundary = memory1m.coveredFrom === null ? clippedTo : Math.max(from, Math.min(memory1m.coveredFrom, clippedTo));
  const key = `${dbId(db)}|${query.instrumentToken}|${from}|${boundary}|${memory1m.generation}`;
  const stored: StoredMinutes =
    boundary > from
      ? await cachedLoad(storedMinutes, storedMinutesInFlight, key, RESPONSE_CACHE.storedTtlMs, async () => {
          responseStats.minuteLoads++;
          return { ...(await runHeavy(() => getMinuteBuckets(db, query.instrumentToken, from, boundary))), seq: nextLoad() };
        })
      : { complete: new Set<number>(), partial: new Set<number>(), seq: 0 };
  const stamp = `${key}|${stored.seq}|${to}|${memory1m.version}|${clippedTo}|${calendarId(query.calendar)}`;
  const known = gapReports.get(stamp);
  if (known !== undefined) return { text: known, stamp };
  const complete = new Set(stored.complete);
  const partial = new Set(stored.partial);
  for (const candle of memory1m.candles) {
    if (candle.bucket < boundary || candle.bucket >= clippedTo) continue;
    (candle.partial ? partial : complete).add(candle.bucket);
  }
  const gaps = minuteGapsOf({ from, to: clippedTo, calendar: query.calendar }, complete, partial);
  const text = JSON.stringify(toGapReport(gaps.gaps));
  gapReports.set(stamp, text);
  return { text, stamp };
}

/** The last candle's values (the open one when it is there): part of the body stamp. */
function tailStamp(candles: readonly Candle[]): string {
  const c = candles.at(-1);
  return c ? `${candles.length}|${c.bucket}|${c.open}|${c.high}|${c.low}|${c.close}|${c.volume}|${c.oi}|${c.partial ? 1 : 0}` : '0';
}

/**
 * Body and weak ETag of one candle read (see the file comment).
 * @throws database errors; SaturatedError (429) when database work finds the heavy limit full
 */
export async function candleResponse(db: Database, query: CandleQuery, recent: MemoryRead): Promise<{ body: Uint8Array<ArrayBuffer>; etag: string }> {
  const from = query.from.getTime();
  const to = query.to.getTime();
  const limit = query.limit ?? 5000;
  const token = query.instrumentToken;
  const memory = await recent({ instrumentToken: token, timeframe: query.timeframe, from, to }).catch(() => null);
  if (!memory || memory.generation === undefined) return fromDatabase(db, query, memory);
  const memory1m = query.timeframe === '1m' ? memory : await recent({ instrumentToken: token, timeframe: '1m', from, to }).catch(() => null);
  const boundary = memory.coveredFrom === null || memory.coveredFrom >= to ? to : Math.max(from, memory.coveredFrom);
  const storedKey = `${dbId(db)}|${token}|${query.timeframe}|${from}|${boundary}|${limit}|${memory.generation}`;
  const stored: StoredPart =
    boundary > from
      ? await cachedLoad(storedRows, storedRowsInFlight, storedKey, RESPONSE_CACHE.storedTtlMs, async () => {
          responseStats.storedLoads++;
          const candles = await runHeavy(() => getCandles(db, { instrumentToken: token, timeframe: query.timeframe, from: query.from, to: new Date(boundary), limit }));
          return { candles, json: await candlesJsonInSlices(candles), seq: nextLoad() };
        })
      : { candles: [], json: '', seq: 0 };
  const fresh = memory.candles.filter((c) => c.bucket >= boundary && c.bucket < to);
  const gaps = await gapsText(db, query, memory1m, Date.now());
  const bodyKey = `${dbId(db)}|${token}|${query.timeframe}|${from}|${to}|${limit}`;
  const stamp = `${storedKey}|${stored.seq}|${memory.version}|${tailStamp(fresh)}|${gaps.stamp}`;
  const cached = bodies.get(bodyKey);
  if (cached && cached.stamp === stamp) return cached;
  responseStats.bodiesBuilt++;
  let candlesText: string;
  const total = stored.candles.length + fresh.length;
  // The memory candles but the last (closed ones: they change only with `version`) keep their
  // JSON between rebuilds; the last one (usually the open candle) is serialised each time.
  const prefixKey = `${storedKey}|${stored.seq}|${memory.version}|${fresh.length}|${fresh[0]?.bucket}`;
  let prefixText = '';
  if (total > limit) {
    const merged: StoredCandle[] = [...stored.candles, ...fresh.map(toStoredCandle)].slice(total - limit);
    candlesText = await candlesJsonInSlices(merged);
  } else {
    const head = fresh.slice(0, -1);
    prefixText = cached?.prefixKey === prefixKey ? cached.prefixText : candlesJson(head.map(toStoredCandle));
    const tail = fresh.length > 0 ? candlesJson([toStoredCandle(fresh[fresh.length - 1])]) : '';
    candlesText = [stored.json, prefixText, tail].filter((part) => part !== '').join(',');
  }
  const text = bodyOf(query, candlesText, gaps.text);
  const built = { stamp, body: utf8.encode(text), etag: weakEtag(text), prefixKey, prefixText };
  bodies.set(bodyKey, built);
  return built;
}
