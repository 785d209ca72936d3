/**
 * Seeds stored history for the desk's scanner tests: `sessions` previous weekdays of 1m candles
 * (09:15–15:29 IST) per instrument, with a flat `minuteVolume` and closes drifting to `close`
 * on the last session, then materialises the continuous aggregates.
 */
import type { Database } from '@/lib/db/client';
import { refreshCandleAggregates, upsertOneMinuteCandles, type OneMinuteCandle } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import { istDayStart } from '@/lib/market/session';

const DAY_MS = 86_400_000;

export const equity = (token: number, tradingsymbol: string): Instrument => ({
  instrumentToken: token,
  exchange: 'NSE',
  tradingsymbol,
  name: tradingsymbol,
  segment: 'NSE',
  instrumentType: 'EQ',
  tickSize: 0.05,
  lotSize: 1,
  expiry: null,
  strike: null,
});

/** The IST weekdays before `today` (epoch ms of any instant that day), newest last. */
export function previousWeekdays(today: number, count: number): number[] {
  const days: number[] = [];
  let day = istDayStart(today) - DAY_MS;
  while (days.length < count) {
    const weekday = new Date(day + 5.5 * 3_600_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.unshift(day);
    day -= DAY_MS;
  }
  return days;
}

export async function seedSessions(
  db: Database,
  options: { instruments: Instrument[]; today: number; sessions: number; close: number; minuteVolume: number },
): Promise<void> {
  await upsertInstruments(db, options.instruments);
  const days = previousWeekdays(options.today, options.sessions);
  for (const instrument of options.instruments) {
    const candles: OneMinuteCandle[] = [];
    days.forEach((day, d) => {
      // Gentle oscillation ending exactly at `close` on the last minute of the last session.
      for (let m = 0; m < 375; m += 1) {
        const last = d === days.length - 1 && m === 374;
        const price = last ? options.close : options.close * (1 + 0.004 * Math.sin((d * 375 + m) / 40));
        candles.push({
          instrumentToken: instrument.instrumentToken,
          bucket: day + (9 * 60 + 15 + m) * 60_000,
          open: price,
          high: price * 1.001,
          low: price * 0.999,
          close: price,
          volume: options.minuteVolume,
          oi: null,
        });
      }
    });
    for (let i = 0; i < candles.length; i += 5000) await upsertOneMinuteCandles(db, candles.slice(i, i + 5000));
  }
  await refreshCandleAggregates(db, new Date(days[0] - DAY_MS), new Date(istDayStart(options.today)));
}
