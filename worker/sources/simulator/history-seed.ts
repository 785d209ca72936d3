/**
 * First-start history for the simulator: when `candles_1m` is empty, bulk-write 1m candles for
 * the last `days` (default 3) NSE trading days before today for the whole simulator universe, and
 * materialise the 5m…1d aggregates over them, so a fresh start has charts, indicator warm-up,
 * previous closes (day change, OI change) and data for every scanner preset. Runs once: any
 * stored candle (a previous run, an import, a replay) skips it.
 *
 * Model (prices rupees, times epoch ms UTC, session minutes 09:15–15:30 IST per the calendar):
 * generated backwards from the simulator's starting point, so the last seeded close of every
 * instrument equals the previous close the live feed then reports:
 * - equities: per-minute log returns β·m + e (market m, sd 1.0%/session; idiosyncratic e, sd
 *   1.1%/session), an overnight gap (sd 0.6%) at each session open;
 * - indices: the market factor plus a little noise (sd 0.2%/session), no volume;
 * - futures: the underlying's path × (1 + 6.5% × years to expiry);
 * - options: Black-Scholes on the underlying's path with the smile (simulator-options.ts);
 * - volume: the day's average volume × the U-shaped profile share of the minute × noise, in
 *   whole lots; OI (futures, options) a random walk in lots ending at the starting OI.
 * About 200,000 candles for the default universe, written with COPY in chunks of 50,000.
 */
import type { Database } from '@/lib/db/client';
import { refreshCandleAggregates, type OneMinuteCandle } from '@/lib/db/queries/candles';
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

/** Seed 1m history when the database has no candle; see the module comment. Throws the database error. */
export async function seedSimulatorHistory(db: Database, feed: SimulatorFeed, options: HistorySeedOptions = {}): Promise<HistorySeedResult> {
  const existing = await db.query<{ one: number }>('SELECT 1 AS one FROM candles_1m LIMIT 1');
  if (existing.length > 0) return { seeded: false, days: [], candles: 0 };
  const nowMs = options.nowMs ?? Date.now();
  const calendar = options.calendar ?? nseCalendar;
  const today = istDayStart(nowMs);
  const days = calendar.tradingDays(today - 20 * DAY_MS, today).slice(-(options.days ?? 3));
  const minutes = days.flatMap((day) => calendar.sessionMinutes(istDateStart(day), istDateStart(day) + DAY_MS));
  if (minutes.length === 0) return { seeded: false, days, candles: 0 };
  const candles = buildHistory(feed, minutes);
  // The table is empty: one COPY per 50,000 rows (no conflict handling needed).
  for (let i = 0; i < candles.length; i += 50_000) {
    const csv = candles
      .slice(i, i + 50_000)
      .map((c) => `${new Date(c.bucket).toISOString()},${c.instrumentToken},${c.open},${c.high},${c.low},${c.close},${c.volume},${c.oi ?? ''},false`)
      .join('\n');
    await db.copyFrom('candles_1m', ['bucket', 'instrument_token', 'open', 'high', 'low', 'close', 'volume', 'oi', 'partial'], `${csv}\n`, 'csv');
  }
  await refreshCandleAggregates(db, new Date(istDateStart(days[0]) - DAY_MS), new Date(istDateStart(days[days.length - 1]) + 2 * DAY_MS));
  return { seeded: true, days, candles: candles.length };
}

/** Candles for `minutes` (1m bucket starts, ascending) of every instrument of `feed`. Pure given the feed's seed. */
export function buildHistory(feed: SimulatorFeed, minutes: readonly number[]): OneMinuteCandle[] {
  const rng = new Prng(feed.seed ^ 0x5eed);
  const n = minutes.length;
  const dayOpen = minutes.map((m, i) => i === 0 || istDayStart(minutes[i - 1]) !== istDayStart(m));
  const market = Array.from({ length: n }, (_, i) => 0.01 * PER_MINUTE * rng.normal() + (dayOpen[i] ? 0.004 * rng.normal() : 0));
  const start = feed.startingPoint();
  const closes = new Map<number, number[]>(); // token → unrounded close per minute
  const out: OneMinuteCandle[] = [];

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
            : under.map((u, i) => simulatedOptionPrice(spec.option!, u, years(i), feed.riskFreeRate));
      }
      closes.set(token, path);
      let oiNow = oi;
      const oiPath = new Array<number | null>(n);
      for (let i = n - 1; i >= 0; i--) {
        oiPath[i] = oiNow;
        if (oiNow !== null) oiNow = Math.max(spec.lot, oiNow - Math.round(rng.normal() * 3) * spec.lot);
      }
      const step = spec.priceStep;
      for (let i = 0; i < n; i++) {
        const close = roundToStep(path[i], step);
        const open = roundToStep(i === 0 || dayOpen[i] ? path[i] * (1 + 0.001 * rng.normal()) : path[i - 1], step);
        const wiggle = Math.abs(path[i] - (i > 0 ? path[i - 1] : path[i])) * 0.6 + path[i] * 0.0003 * rng.next();
        const high = roundToStep(Math.max(open, close) + wiggle * rng.next(), step);
        const low = Math.max(step, roundToStep(Math.min(open, close) - wiggle * rng.next(), step));
        let volume = 0;
        if (spec.lot > 0) {
          const share = cumulativeVolumeShare(minutes[i] + 60_000) - cumulativeVolumeShare(minutes[i]);
          volume = Math.round(((spec.adv * share) / spec.lot) * (0.5 + rng.next())) * spec.lot;
        }
        out.push({ instrumentToken: token, bucket: minutes[i], open, high, low: Math.min(low, open, close), close, volume, oi: oiPath[i] });
      }
    }
  }
  return out;
}
