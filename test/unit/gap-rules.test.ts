/**
 * Scheduling rules of the worker's gap repair (worker/backfill/gap-rules.ts): settled minutes,
 * how far back a first check goes, which minutes are asked (once per gap, partial candles,
 * closed days), hole detection per segment, backoff.
 */
import { describe, expect, it } from 'vitest';
import { defaultMarketSessions } from '@/lib/market/sessions';
import { backoffMs, checkStart, isHole, selectWanted, settledBefore, type MinuteFacts } from '@/worker/backfill/gap-rules';

const ist = (text: string) => Date.parse(`${text}+05:30`);
const MIN = 60_000;
const nse = defaultMarketSessions.calendarFor({ exchange: 'NSE', tradingsymbol: 'INFY' });
const mcx = defaultMarketSessions.calendarFor({ exchange: 'MCX', tradingsymbol: 'CRUDEOIL25JANFUT' });

const facts = (over: Partial<MinuteFacts> = {}): MinuteFacts => ({
  storedComplete: new Set(),
  storedPartial: new Set(),
  finalDays: new Set(),
  producedComplete: () => false,
  producedPartial: () => false,
  asked: () => false,
  windowEnded: () => false,
  liveAfter: () => false,
  ...over,
});

describe('gap repair rules', () => {
  it('never counts the current minute, nor the last one until closed (grace) and written (settle)', () => {
    // 09:30:00.5 with 1 s grace and 3 s settle: 09:29 is not settled, 09:28 is.
    expect(settledBefore(ist('2025-01-06T09:30:00.500'), 1000, 3000)).toBe(ist('2025-01-06T09:29:00'));
    // 09:30:04: 09:29 closed at 09:30:01 and written by 09:30:04.
    expect(settledBefore(ist('2025-01-06T09:30:04'), 1000, 3000)).toBe(ist('2025-01-06T09:30:00'));
  });

  it('a first check starts at the previous stored session, bounded by the lookback', () => {
    const today = ist('2025-01-06T00:00:00'); // Monday
    expect(checkStart(today, null, 7)).toBe(today);
    expect(checkStart(today, ist('2025-01-03T00:00:00'), 7)).toBe(ist('2025-01-03T00:00:00')); // Friday
    expect(checkStart(today, ist('2024-12-20T00:00:00'), 7)).toBe(today - 7 * 86_400_000);
  });

  it('asks missing and partial minutes once; skips present, produced and final days; defers unwritten partial candles', () => {
    const today = ist('2025-01-06T00:00:00');
    const m = (hhmm: string, day = '2025-01-06') => ist(`${day}T${hhmm}:00`);
    const expected = [m('15:28', '2025-01-03'), m('15:29', '2025-01-03'), m('09:15', '2025-01-02'), m('09:15'), m('09:16'), m('09:17'), m('09:18'), m('09:19'), m('09:20'), m('09:21')].sort((a, b) => a - b);
    const result = selectWanted(expected, today, facts({
      storedComplete: new Set([m('09:15'), m('09:21')]),
      storedPartial: new Set([m('09:16')]),
      finalDays: new Set(['2025-01-02']),
      producedComplete: (x) => x === m('09:18'),
      producedPartial: (x) => x === m('09:19') || x === m('09:16'),
      asked: (x) => x === m('09:17'),
    }));
    expect(result.wanted).toEqual([
      m('15:28', '2025-01-03'), m('15:29', '2025-01-03'), // a day not fetched after its close
      m('09:16'), // stored partial → replaced by the broker's candle
      m('09:20'), // missing, never asked, closed by the 09:21 candle
    ]);
    expect(result.deferredFrom).toBe(m('09:19')); // partial, closed live, not yet stored
  });

  it('asks a gap of today whole, once it is closed by a later candle or by the end of its window', () => {
    const today = ist('2025-01-06T00:00:00');
    const m = (hhmm: string) => ist(`2025-01-06T${hhmm}:00`);
    const minutes = (from: string, n: number) => Array.from({ length: n }, (_, i) => m(from) + i * MIN);
    const expected = minutes('10:00', 10); // 10:00 … 10:09
    const produced = new Set(minutes('10:00', 3)); // the feed dropped at 10:03
    // Still down: nothing asked, the next check resumes at 10:03.
    let result = selectWanted(expected, today, facts({ producedComplete: (x) => produced.has(x) }));
    expect(result).toEqual({ wanted: [], deferredFrom: m('10:03') });
    // Back at 10:08: 10:03 … 10:07 asked in one go.
    produced.add(m('10:08'));
    result = selectWanted(expected, today, facts({ producedComplete: (x) => produced.has(x) }));
    expect(result).toEqual({ wanted: minutes('10:03', 5), deferredFrom: m('10:09') });
    // Back at 10:10, past the settled range: the gap is closed too.
    result = selectWanted(expected, today, facts({ producedComplete: (x) => x < m('10:03'), liveAfter: (x) => x < m('10:10') }));
    expect(result).toEqual({ wanted: minutes('10:03', 7), deferredFrom: null });
    // Never back, but the session has ended: the tail is asked.
    result = selectWanted(expected, today, facts({ producedComplete: (x) => x < m('10:03'), windowEnded: () => true }));
    expect(result).toEqual({ wanted: minutes('10:03', 7), deferredFrom: null });
  });

  it('detects holes in live candles against the instrument’s own session', () => {
    expect(isHole(ist('2025-01-06T10:05:00'), ist('2025-01-06T10:06:00'), nse)).toBe(false);
    expect(isHole(ist('2025-01-06T10:05:00'), ist('2025-01-06T10:12:00'), nse)).toBe(true);
    // 15:29 → next day's 09:15 is a new day, not a hole; NSE has no session minutes 16:00–17:00 but MCX does.
    expect(isHole(ist('2025-01-06T15:29:00'), ist('2025-01-07T09:15:00'), nse)).toBe(false);
    expect(isHole(ist('2025-01-06T15:59:00'), ist('2025-01-06T17:00:00'), nse)).toBe(false);
    expect(isHole(ist('2025-01-06T15:59:00'), ist('2025-01-06T17:00:00'), mcx)).toBe(true);
  });

  it('backs off 1, 2, 4 … minutes up to 30 after failures', () => {
    expect([0, 1, 2, 3, 5, 6, 10].map(backoffMs)).toEqual([0, MIN, 2 * MIN, 4 * MIN, 16 * MIN, 30 * MIN, 30 * MIN]);
  });
});
