/**
 * One tracked instrument's day, minute by minute, as gap repair (./gap-repairer.ts) sees it:
 * which session minutes the live aggregator closed in this process (complete or partial), which
 * ones repair already asked the broker for, how far today has been checked, and the newest live
 * 1m candle (for hole detection). Minutes are bucket starts, epoch ms UTC; the day is the IST day
 * (lib/market/session.ts istDayStart) of the feed's clock. Memory: 1,440 bytes per instrument.
 */
import type { ExchangeCalendar } from '@/lib/market/calendar';
import type { Instrument } from '@/lib/market/instrument';
import { DAY_MS, istDayStart } from '@/lib/market/session';
import type { Candle, FeedSource } from '@/lib/market/tick';
import { isHole, MINUTE_MS } from './gap-rules';

const MINUTES_PER_DAY = 1440;
const PRODUCED = 1;
const PRODUCED_PARTIAL = 2;
const ASKED = 4;

export class MinuteLedger {
  /** IST day start (epoch ms) the flags and `checkedThrough` belong to. */
  day: number;
  /** Minutes before this were checked today; null: not yet checked today. */
  checkedThrough: number | null = null;
  /** Newest live 1m candle seen (bucket start), for hole detection. */
  lastProduced: number | null = null;
  private flags = new Uint8Array(MINUTES_PER_DAY);

  constructor(
    readonly instrument: Instrument,
    readonly feed: FeedSource | undefined,
    readonly calendar: ExchangeCalendar,
    day: number,
  ) {
    this.day = day;
  }

  /** A new IST day: fresh per-minute flags, and a first check (previous session included) next. */
  rollDay(day: number): void {
    this.day = day;
    this.flags = new Uint8Array(MINUTES_PER_DAY);
    this.checkedThrough = null;
  }

  /**
   * Note a closed live 1m candle (a later day rolls the ledger over). A complete candle clears an
   * earlier partial mark. @returns true when it jumped over session minutes since the newest
   * one (a feed reconnect or a dropped connection left a hole: ./gap-rules.ts isHole).
   */
  noteClosed(candle: Candle): boolean {
    const day = istDayStart(candle.bucket);
    if (day > this.day) this.rollDay(day);
    if (day === this.day) {
      const index = (candle.bucket - this.day) / MINUTE_MS;
      this.flags[index] |= candle.partial ? PRODUCED_PARTIAL : PRODUCED;
      if (!candle.partial) this.flags[index] &= ~PRODUCED_PARTIAL;
    }
    const previous = this.lastProduced;
    if (previous === null || candle.bucket > previous) this.lastProduced = candle.bucket;
    return previous !== null && candle.bucket > previous && isHole(previous, candle.bucket, this.calendar);
  }

  /** The live feed closed minute `m` (of this day) complete. */
  produced(m: number): boolean {
    return this.has(m, PRODUCED);
  }

  /** The live feed closed minute `m` partial (volume unknown) and not complete since. */
  producedPartial(m: number): boolean {
    return this.has(m, PRODUCED_PARTIAL);
  }

  /** Repair already asked the broker for minute `m` in this process. */
  asked(m: number): boolean {
    return this.has(m, ASKED);
  }

  /** Mark this day's minutes of [from, to) asked. */
  markAsked(from: number, to: number): void {
    for (let m = Math.max(from, this.day); m < Math.min(to, this.day + DAY_MS); m += MINUTE_MS) this.flags[(m - this.day) / MINUTE_MS] |= ASKED;
  }

  private has(m: number, bit: number): boolean {
    return m >= this.day && m < this.day + DAY_MS && (this.flags[(m - this.day) / MINUTE_MS] & bit) !== 0;
  }
}
