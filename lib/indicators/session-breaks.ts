/**
 * Where a session-anchored line (VWAP, reset each IST day: lib/indicators/engines.ts) must not be
 * joined to the next point. Lightweight Charts draws a line series through every valued point and
 * has no gaps (whitespace points are skipped, tradingview/lightweight-charts#699), colouring the
 * segment from point i to point i+1 with point i's colour. So the last valued point of a session
 * is drawn transparent when a later valued point falls on another IST day: the line ends at the
 * session's close and the next session's line starts at its own first value, as on Kite's and
 * TradingView's charts.
 *
 * A session that drew a single point (a 1d chart: one candle per session) is not broken off, so
 * a daily chart keeps one line through its sessions' values.
 *
 * Times are epoch ms UTC; sessions are IST days (lib/market/session.ts `istDayStart`).
 */
import { istDayStart } from '@/lib/market/session';

/** The last valued point drawn, as the tracker sees it. */
interface LastValued {
  time: number;
  value: number;
  session: number;
  /** Valued points drawn in `session` so far. */
  inSession: number;
}

/**
 * Follows the valued points of one line in time order and says which point ends a session.
 * `history` scans a whole series; `next` takes one live point and returns the previous point to
 * redraw transparent, if the new one starts another session.
 */
export class SessionBreaks {
  private last: LastValued | null = null;
  /** Whether the line's last item is the last valued point (no whitespace drawn after it). */
  private lastIsTail = false;

  /**
   * Indices of `points` (time order) to draw transparent; resets the tracker to the series' end.
   * @param points time epoch ms UTC, value null for a whitespace (undefined) point.
   */
  history(points: readonly { time: number; value: number | null }[]): Set<number> {
    const ends = new Set<number>();
    this.last = null;
    this.lastIsTail = false;
    let lastIndex = -1;
    points.forEach((p, i) => {
      if (p.value === null) {
        this.lastIsTail = false;
        return;
      }
      if (this.startsSession(p.time) && lastIndex >= 0) ends.add(lastIndex);
      this.record(p.time, p.value);
      lastIndex = i;
    });
    return ends;
  }

  /**
   * A live point at `time` (≥ the last one drawn; the same time replaces it).
   * @returns the previous valued point to redraw transparent before drawing this one (it must
   *   still be the line's last item), or null.
   */
  next(time: number, value: number | null): { time: number; value: number } | null {
    const last = this.last;
    if (value === null) {
      this.lastIsTail = false; // whitespace is now the line's last item
      return null;
    }
    if (last && time === last.time) {
      last.value = value;
      this.lastIsTail = true;
      return null;
    }
    const end = last && this.lastIsTail && this.startsSession(time) ? { time: last.time, value: last.value } : null;
    this.record(time, value);
    return end;
  }

  /** Whether a valued point at `time` starts another session after one of ≥ 2 drawn points. */
  private startsSession(time: number): boolean {
    return this.last !== null && istDayStart(time) !== this.last.session && this.last.inSession >= 2;
  }

  private record(time: number, value: number): void {
    const session = istDayStart(time);
    const inSession = this.last && this.last.session === session ? this.last.inSession + 1 : 1;
    this.last = { time, value, session, inSession };
    this.lastIsTail = true;
  }
}
