import { describe, expect, it } from 'vitest';
import { createNseCalendar, nseCalendar, parseCalendarExtra } from '@/lib/market/calendar';

const ist = (text: string) => Date.parse(`${text}+05:30`);

describe('NSE calendar', () => {
  it('a normal weekday has the 375 minutes 09:15–15:29', () => {
    const minutes = nseCalendar.sessionMinutes(ist('2022-11-28T00:00:00'), ist('2022-11-29T00:00:00'));
    expect(minutes).toHaveLength(375);
    expect(minutes[0]).toBe(ist('2022-11-28T09:15:00'));
    expect(minutes.at(-1)).toBe(ist('2022-11-28T15:29:00'));
  });

  it('weekends and holidays have no session minutes; Muhurat and special sessions do', () => {
    expect(nseCalendar.sessionMinutes(ist('2022-11-26T00:00:00'), ist('2022-11-28T00:00:00'))).toEqual([]); // Sat, Sun
    expect(nseCalendar.isTradingDay(ist('2022-11-08T12:00:00'))).toBe(false); // Gurunanak Jayanti
    expect(nseCalendar.closedReason(ist('2022-11-08T12:00:00'))).toBe('Gurunanak Jayanti');
    expect(nseCalendar.closedReason(ist('2022-11-26T12:00:00'))).toBe('weekend');
    const diwali = nseCalendar.sessionMinutes(ist('2022-10-24T00:00:00'), ist('2022-10-25T00:00:00'));
    expect(diwali).toHaveLength(60);
    expect(diwali[0]).toBe(ist('2022-10-24T18:15:00'));
    expect(nseCalendar.isTradingDay(ist('2024-01-22T10:00:00'))).toBe(false);
    expect(nseCalendar.sessionMinutes(ist('2024-01-20T00:00:00'), ist('2024-01-21T00:00:00'))).toHaveLength(375); // Saturday session
    expect(nseCalendar.sessionMinutes(ist('2024-03-02T00:00:00'), ist('2024-03-03T00:00:00'))).toHaveLength(45 + 60);
    expect(nseCalendar.isTradingDay(ist('2026-01-15T10:00:00'))).toBe(false);
  });

  it('counts the trading days of a year and takes configured extras', () => {
    const days2025 = nseCalendar.tradingDays(ist('2025-01-01T00:00:00'), ist('2026-01-01T00:00:00'));
    // 261 weekdays − 14 weekday holidays + the Saturday budget session (1 Feb) + Muhurat on the 21 Oct holiday
    expect(days2025).toHaveLength(261 - 14 + 1 + 1);
    const extended = createNseCalendar('2027-01-26,2026-11-08@18:00-19:15');
    expect(extended.isTradingDay(ist('2027-01-26T10:00:00'))).toBe(false);
    expect(extended.sessionMinutes(ist('2026-11-08T00:00:00'), ist('2026-11-09T00:00:00'))).toHaveLength(75);
    expect(() => parseCalendarExtra('2026-13-45x')).toThrow(/Invalid calendar entry/);
    expect(() => parseCalendarExtra('2026-11-08@19:00-18:00')).toThrow(/close must be after open/);
  });
});
