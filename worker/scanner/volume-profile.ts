/**
 * An instrument's usual intraday volume: the average volume traded in each IST minute of the day
 * over its previous ≤20 sessions (from stored 1m candles), so that a volume "for the same time
 * of day" can be compared with today's.
 *
 * Averages divide by the number of sessions in which the instrument traded at all (a minute
 * without a candle in one of them counts as 0 volume).
 */
import { istTimeOfDayMs } from '@/lib/market/session';

const MINUTES_PER_DAY = 24 * 60;

export class VolumeProfile {
  /** Prefix sums: cumulative[m] = average volume of minutes [0, m). */
  private readonly cumulative = new Float64Array(MINUTES_PER_DAY + 1);

  /**
   * @param minuteVolumes total volume per IST minute-of-day (0 … 1439) over the sessions
   * @param sessions number of sessions those totals cover (≥ 1)
   */
  constructor(
    minuteVolumes: ReadonlyMap<number, number>,
    readonly sessions: number,
  ) {
    for (let m = 0; m < MINUTES_PER_DAY; m += 1) {
      this.cumulative[m + 1] = this.cumulative[m] + (minuteVolumes.get(m) ?? 0) / Math.max(1, sessions);
    }
  }

  /** Average volume traded in [fromMs, toMs) by time of day (IST, same day; ms instants). */
  expected(fromMs: number, toMs: number): number {
    const from = Math.floor(istTimeOfDayMs(fromMs) / 60_000);
    const to = Math.min(MINUTES_PER_DAY, from + Math.ceil((toMs - fromMs) / 60_000));
    if (to <= from) return 0;
    return this.cumulative[to] - this.cumulative[from];
  }

  /** Average volume of a whole session. */
  get sessionVolume(): number {
    return this.cumulative[MINUTES_PER_DAY];
  }
}

/**
 * Ratio of `actual` to the profile's expected volume over [fromMs, nowMs] (the current minute
 * counted whole). Null when there is no history or the expected volume is 0.
 */
export function volumeRatio(profile: VolumeProfile | null, actual: number, fromMs: number, nowMs: number): number | null {
  if (!profile || profile.sessions === 0) return null;
  const minuteEnd = Math.floor(nowMs / 60_000) * 60_000 + 60_000;
  const expected = profile.expected(fromMs, Math.max(minuteEnd, fromMs + 60_000));
  return expected > 0 ? actual / expected : null;
}
