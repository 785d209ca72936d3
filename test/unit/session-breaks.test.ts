/**
 * Session breaks of a session-anchored line (lib/indicators/session-breaks.ts): which points end
 * an IST session, over a history and point by point live; a 1d line is never broken.
 */
import { describe, expect, it } from 'vitest';
import { SessionBreaks } from '@/lib/indicators/session-breaks';

const IST = 'T{t}+05:30';
const at = (day: string, hhmm: string) => Date.parse(`${day}${IST.replace('{t}', `${hhmm}:00`)}`);
const minutes = (day: string, from: string, count: number) => Array.from({ length: count }, (_, i) => at(day, from) + i * 60_000);

describe('session breaks', () => {
  it('history: the last valued point of each multi-point session before another session', () => {
    const times = [...minutes('2026-12-01', '15:27', 3), ...minutes('2026-12-02', '09:15', 3), ...minutes('2026-12-03', '09:15', 2)];
    const points = times.map((time, i) => ({ time, value: 100 + i }));
    expect([...new SessionBreaks().history(points)]).toEqual([2, 5]);
  });

  it('history: whitespace does not end a session; the break goes on the last valued point before the day changes', () => {
    const points = [
      { time: at('2026-12-01', '15:28'), value: 10 },
      { time: at('2026-12-01', '15:29'), value: 11 },
      { time: at('2026-12-02', '09:15'), value: null }, // an index: no volume, no VWAP yet
      { time: at('2026-12-02', '09:16'), value: 12 },
    ];
    expect([...new SessionBreaks().history(points)]).toEqual([1]);
  });

  it('a 1d line (one point per session) is never broken; nor is a single session', () => {
    const daily = ['2026-11-30', '2026-12-01', '2026-12-02'].map((day, i) => ({ time: Date.parse(`${day}T00:00:00+05:30`), value: i }));
    expect(new SessionBreaks().history(daily).size).toBe(0);
    expect(new SessionBreaks().history(minutes('2026-12-01', '09:15', 375).map((time) => ({ time, value: 1 }))).size).toBe(0);
  });

  it('live: the first point of a new session returns the previous session’s last point (with its latest value)', () => {
    const breaks = new SessionBreaks();
    breaks.history(minutes('2026-12-01', '15:28', 2).map((time, i) => ({ time, value: i })));
    expect(breaks.next(at('2026-12-01', '15:29'), 5)).toBeNull();
    expect(breaks.next(at('2026-12-01', '15:29'), 6)).toBeNull(); // the same bucket replaced
    expect(breaks.next(at('2026-12-02', '09:15'), 7)).toEqual({ time: at('2026-12-01', '15:29'), value: 6 });
    expect(breaks.next(at('2026-12-02', '09:16'), 8)).toBeNull();
  });

  it('live: no break after a one-point session, nor when whitespace was drawn after the last value', () => {
    const single = new SessionBreaks();
    single.history([{ time: at('2026-12-01', '15:29'), value: 1 }]);
    expect(single.next(at('2026-12-02', '09:15'), 2)).toBeNull();

    const gap = new SessionBreaks();
    gap.history(minutes('2026-12-01', '15:28', 2).map((time, i) => ({ time, value: i })));
    expect(gap.next(at('2026-12-02', '09:15'), null)).toBeNull();
    expect(gap.next(at('2026-12-02', '09:16'), 3)).toBeNull(); // 15:29 is no longer the line's last item
  });
});
