/**
 * First-start history for the simulator: when `candles_1m` is empty, bulk-write 1m candles for
 * the last `days` (default 3) NSE trading days before today for the whole simulator universe, and
 * materialise the 5m…1d aggregates over them, so a fresh start has charts, indicator warm-up,
 * previous closes (day change, OI change) and data for every scanner preset. Runs once: any
 * stored candle (a previous run, an import, a replay) skips it.
 *
 * Non-blocking (issue 13 point 4): `planSimulatorHistorySeed` only checks that `candles_1m` is
 * empty (one statement, before the live feed starts); the plan's `run()` then builds and writes
 * the history in the background while live ticks flow: it yields to the event loop after every
 * instrument, writes one binary COPY per ≈25,000 rows, and refreshes each aggregate once over
 * the seeded days only. It cannot collide with live candles: every seeded bucket lies before
 * today's IST day (and before `beforeMs`, the first live bucket), and the refresh windows end at
 * today's 00:00 IST at the latest, so no live bucket is materialised by it.
 *
 * Model (prices rupees, times epoch ms UTC, session minutes 09:15–15:30 IST per the calendar):
 * generated backwards from the simulator's starting point, so the last seeded close of every
 * instrument equals the previous close the live feed then reports:
 * - equities: per-minute log returns β·m + e (market m, sd 1.0%/session; idiosyncratic e, sd
 *   1.1%/session), an overnight gap (sd 0.6%) at each session open;
 * - indices: the market factor plus a little noise (sd 0.2%/session), no volume;
 * - futures: the underlying's path × (1 + 6.5% × years to expiry);
 * - options: Black-Scholes on the underlying's path with the smile (simulator-options.ts), for
 *   the **last seeded session only**: the option chain needs just its previous close and closing
 *   OI, and pricing every minute of every session was most of the seed's time (the pricing
 *   library's normal CDF is a 100-term series);
 * - volume: the day's average volume × the U-shaped profile share of the minute × noise, in
 *   whole lots; OI (futures, options) a random walk in lots ending at the starting OI.
 * About 130,000 candles for the default universe (3 sessions × 375 minutes × 55 instruments +
 * 1 session of 124 options).
 */
import type { Database } from '@/lib/db/client';
import { BinaryCopyWriter } from '@/lib/db/binary-copy';
import { CANDLE_AGGREGATES, refreshCandleAggregate, type OneMinuteCandle } from '@/lib/db/queries/candles';
import { nseCalendar, type ExchangeCalendar } from '@/lib/market/calendar';
import { DAY_MS, istDateStart, istDayStart, parseIstLocal } from '@/lib/market/session';
import { YEAR_MS } from '@/lib/options/expiry';
import { Prng } from './prng';
import { roundToStep, type SimulatorFeed } from './simulator';
import { simulatedOptionPrice } from './simulator-options';
import { cumulativeVolumeShare } from './simulator-profile';

export interface HistorySeedOptions {
  /** Trading days to seed (default 3). */
  days?: number;
  /** Now, epoch ms (default Date.now()); days before its IST day are seeded. */
  nowMs?: number;
  calendar?: ExchangeCalendar;
  /** First live bucket, epoch ms: nothing at or after it is seeded (default: `nowMs`). */
  beforeMs?: number;
}

export interface HistorySeedResult {
  /** False when candles were already stored (nothing written). */
  seeded: boolean;
  /** IST dates seeded, "YYYY-MM-DD". */
  days: string[];
  candles: number;
}

const PER_MINUTE = 1 / Math.sqrt(375);
const CARRY = 0.065;

/** A seed to run: the days it covers and `run()` (build, write, refresh; throws the database error). */
export interface HistorySeedPlan {
  days: string[];
  run(): Promise<HistorySeedResult>;
}

/** Rows per binary COPY. */
const COPY_ROWS = 25_000;
const COPY_COLUMNS = ['bucket', 'instrument_token', 'open', 'high', 'low', 'close', 'volume', 'oi'] as const;
/** Upper bound of one encoded row: field count + 8 fields × (length + 8 bytes). */
const ROW_BYTES = 2 + COPY_COLUMNS.length * 12;

/**
 * Decide whether to seed: null when `candles_1m` holds any row (or there is no trading day to
 * seed), else the plan. One quick statement: call it before the live feed starts, then `run()`
 * the plan without awaiting it. Throws the database error.
 */
export async function planSimulatorHistorySeed(db: Database, feed: SimulatorFeed, options: HistorySeedOptions = {}): Promise<HistorySeedPlan | null> {
  const existing = await db.query<{ one: number }>('SELECT 1 AS one FROM candles_1m LIMIT 1');
  if (existing.length > 0) return null;
  const nowMs = options.nowMs ?? Date.now();
  const beforeMs = Math.min(options.beforeMs ?? nowMs, istDayStart(nowMs));
  const calendar = options.calendar ?? nseCalendar;
  const today = istDayStart(nowMs);
  const days = calendar.tradingDays(today - 20 * DAY_MS, today).slice(-(options.days ?? 3));
  const minutes = days.flatMap((day) => calendar.sessionMinutes(istDateStart(day), istDateStart(day) + DAY_MS)).filter((m) => m + 60_000 <= beforeMs);
  if (minutes.length === 0) return null;
  return { days, run: () => writeHistory(db, feed, days, minutes) };
}

/** Seed 1m history when the database has no candle, and wait for it; see the module comment. Throws the database error. */
export async function seedSimulatorHistory(db: Database, feed: SimulatorFeed, options: HistorySeedOptions = {}): Promise<HistorySeedResult> {
  const plan = await planSimulatorHistorySeed(db, feed, options);
  return plan ? plan.run() : { seeded: false, days: [], candles: 0 };
}

async function writeHistory(db: Database, feed: SimulatorFeed, days: string[], minutes: number[]): Promise<HistorySeedResult> {
  let pending: OneMinuteCandle[] = [];
  let written = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const out = new BinaryCopyWriter(pending.length * ROW_BYTES);
    for (const c of pending) {
      out.row(COPY_COLUMNS.length);
      out.timestamptz(c.bucket);
      out.int8(c.instrumentToken);
      out.float8(c.open);
      out.float8(c.high);
      out.float8(c.low);
      out.float8(c.close);
      out.int8(c.volume);
      out.int8(c.oi);
    }
    written += pending.length;
    pending = [];
    // The table was empty and every bucket is before the live feed's first: no conflict handling.
    await db.copyFrom('candles_1m', COPY_COLUMNS, out.finish(), 'binary');
  };
  for (const candles of instrumentHistories(feed, minutes)) {
    pending.push(...candles);
    if (pending.length >= COPY_ROWS) await flush();
    await new Promise<void>((resolve) => setImmediate(resolve)); // let live ticks through
  }
  await flush();
  // Each aggregate once, parents first, over the seeded days only (never a live bucket):
  // intraday up to 17:00 IST of the last day (the 15:15 1h bucket ends 16:15), 1d up to the
  // following 00:00 IST (today's at the latest).
  const first = istDateStart(days[0]);
  const last = istDateStart(days[days.length - 1]);
  for (const timeframe of CANDLE_AGGREGATES) {
    const to = timeframe === '1d' ? last + DAY_MS : last + 17 * 3_600_000;
    await refreshCandleAggregate(db, timeframe, new Date(first), new Date(to));
  }
  return { seeded: true, days, candles: written };
}

/** Minutes between two exact Black-Scholes prices of a seeded option (the last minute is always exact). */
const OPTION_PRICE_STRIDE = 5;

/**
 * An option's closes from minute `from` on: exact (`price(i)`) every OPTION_PRICE_STRIDE minutes
 * and at the last minute (the previous close the live feed reports); in between, the secant
 * through the two exact neighbours as a function of the underlying (so the option follows every
 * move of the underlying), or linear in time when the underlying did not move. Entries before
 * `from` are 0 (not emitted).
 */
function optionPath(under: readonly number[], from: number, price: (i: number) => number): number[] {
  const n = under.length;
  const path = new Array<number>(n).fill(0);
  const exact: number[] = [];
  for (let i = from; i < n - 1; i += OPTION_PRICE_STRIDE) exact.push(i);
  exact.push(n - 1);
  for (const i of exact) path[i] = price(i);
  for (let k = 0; k + 1 < exact.length; k++) {
    const a = exact[k];
    const b = exact[k + 1];
    const du = under[b] - under[a];
    for (let i = a + 1; i < b; i++) {
      const w = Math.abs(du) > 1e-9 ? (under[i] - under[a]) / du : (i - a) / (b - a);
      path[i] = Math.max(0, path[a] + w * (path[b] - path[a]));
    }
  }
  return path;
}

/** Candles for `minutes` (1m bucket starts, ascending) of every instrument of `feed` (options: the last session only). Pure given the feed's seed. */
export function buildHistory(feed: SimulatorFeed, minutes: readonly number[]): OneMinuteCandle[] {
  return [...instrumentHistories(feed, minutes)].flat();
}

/** buildHistory one instrument at a time (each yield: one instrument's candles, ascending). */
export function* instrumentHistories(feed: SimulatorFeed, minutes: readonly number[]): Generator<OneMinuteCandle[]> {
  const rng = new Prng(feed.seed ^ 0x5eed);
  const n = minutes.length;
  const dayOpen = minutes.map((m, i) => i === 0 || istDayStart(minutes[i - 1]) !== istDayStart(m));
  const market = Array.from({ length: n }, (_, i) => 0.01 * PER_MINUTE * rng.normal() + (dayOpen[i] ? 0.004 * rng.normal() : 0));
  const start = feed.startingPoint();
  const closes = new Map<number, number[]>(); // token → unrounded close per minute
  // Options are priced over the last session only (see the module comment).
  let optionsFrom = n - 1;
  while (optionsFrom > 0 && !dayOpen[optionsFrom]) optionsFrom--;

  /** Backward walk: closes ending at `last` with per-minute log returns `ret(i)`. */
  const walk = (last: number, ret: (i: number) => number) => {
    const path = new Array<number>(n);
    path[n - 1] = last;
    for (let i = n - 1; i > 0; i--) path[i - 1] = path[i] * Math.exp(-ret(i));
    return path;
  };
  for (const kind of ['equity', 'index', 'future', 'option'] as const) {
    for (const { spec, prevClose, oi } of start.filter((s) => s.spec.kind === kind)) {
      const token = spec.instrument.instrumentToken;
      const from = kind === 'option' ? optionsFrom : 0;
      let path: number[];
      if (kind === 'equity') {
        const beta = 0.7 + 0.6 * rng.next();
        path = walk(prevClose, (i) => beta * market[i] + 0.011 * PER_MINUTE * rng.normal() + (dayOpen[i] ? 0.004 * rng.normal() : 0));
      } else if (kind === 'index') {
        path = walk(prevClose, (i) => market[i] + 0.002 * PER_MINUTE * rng.normal());
      } else {
        const under = closes.get(spec.underlying ?? -1) ?? new Array<number>(n).fill(prevClose);
        const expiryMs = spec.instrument.expiry ? parseIstLocal(`${spec.instrument.expiry} 15:30:00`) : minutes[n - 1];
        const years = (i: number) => Math.max(0, expiryMs - minutes[i] - 60_000) / YEAR_MS;
        path =
          kind === 'future'
            ? under.map((u, i) => u * (1 + CARRY * years(i)))
            : optionPath(under, from, (i) => simulatedOptionPrice(spec.option!, under[i], years(i), feed.riskFreeRate));
      }
      closes.set(token, path);
      let oiNow = oi;
      const oiPath = new Array<number | null>(n);
      for (let i = n - 1; i >= from; i--) {
        oiPath[i] = oiNow;
        if (oiNow !== null) oiNow = Math.max(spec.lot, oiNow - Math.round(rng.normal() * 3) * spec.lot);
      }
      const step = spec.priceStep;
      const out: OneMinuteCandle[] = [];
      for (let i = from; i < n; i++) {
        const close = roundToStep(path[i], step);
        const open = roundToStep(i === from || dayOpen[i] ? path[i] * (1 + 0.001 * rng.normal()) : path[i - 1], step);
        const wiggle = Math.abs(path[i] - (i > from ? path[i - 1] : path[i])) * 0.6 + path[i] * 0.0003 * rng.next();
        const high = roundToStep(Math.max(open, close) + wiggle * rng.next(), step);
        const low = Math.max(step, roundToStep(Math.min(open, close) - wiggle * rng.next(), step));
        let volume = 0;
        if (spec.lot > 0) {
          const share = cumulativeVolumeShare(minutes[i] + 60_000) - cumulativeVolumeShare(minutes[i]);
          volume = Math.round(((spec.adv * share) / spec.lot) * (0.5 + rng.next())) * spec.lot;
        }
        out.push({ instrumentToken: token, bucket: minutes[i], open, high, low: Math.min(low, open, close), close, volume, oi: oiPath[i] });
      }
      yield out;
    }
  }
}
