import { describe, expect, it } from 'vitest';
import { currentMonthlyExpiry, istTimeOfDayMs, parseIstLocal, parseZonedTimestamp } from '@/lib/market/session';

describe('parseZonedTimestamp', () => {
  it('parses Kite CSV, ISO-8601 and Kite historical offsets', () => {
    expect(parseZonedTimestamp('2025-12-29 07:17:00+00:00')).toBe(Date.parse('2025-12-29T07:17:00Z'));
    expect(parseZonedTimestamp('2025-12-29T07:17:00.123Z')).toBe(Date.parse('2025-12-29T07:17:00.123Z'));
    expect(parseZonedTimestamp('2017-12-15T09:15:00+0530')).toBe(Date.parse('2017-12-15T03:45:00Z'));
    expect(parseZonedTimestamp('2025-11-17T12:07:57.022308-01:00')).toBe(Date.parse('2025-11-17T13:07:57.022Z'));
  });

  it('returns NaN without an offset or for junk', () => {
    expect(parseZonedTimestamp('2025-12-29 07:17:00')).toBeNaN();
    expect(parseZonedTimestamp('')).toBeNaN();
    expect(parseZonedTimestamp('2025-13-29 07:17:00Z')).toBeNaN();
  });
});

describe('istTimeOfDayMs', () => {
  it('is the time since 00:00 IST', () => {
    expect(istTimeOfDayMs(parseIstLocal('2026-11-23 09:15:00'))).toBe((9 * 60 + 15) * 60_000);
    expect(istTimeOfDayMs(parseIstLocal('2026-11-23 00:00:00'))).toBe(0);
  });
});

describe('currentMonthlyExpiry', () => {
  it('is the last Tuesday from September 2025 and rolls after expiry day', () => {
    expect(currentMonthlyExpiry(parseIstLocal('2025-12-29 12:47:00')).expiry).toBe('2025-12-30'); // NIFTY25DECFUT
    expect(currentMonthlyExpiry(parseIstLocal('2025-11-17 12:07:57'))).toEqual({ year: 2025, month: 11, expiry: '2025-11-25' });
    expect(currentMonthlyExpiry(parseIstLocal('2026-08-22 10:00:00')).expiry).toBe('2026-08-25'); // Kite dump NIFTY26AUGFUT
    expect(currentMonthlyExpiry(parseIstLocal('2026-11-24 15:00:00')).expiry).toBe('2026-11-24');
    expect(currentMonthlyExpiry(parseIstLocal('2026-11-25 00:00:00')).expiry).toBe('2026-12-29');
    expect(currentMonthlyExpiry(parseIstLocal('2026-12-30 10:00:00'))).toEqual({ year: 2027, month: 1, expiry: '2027-01-26' });
  });

  it('is the last Thursday before September 2025', () => {
    expect(currentMonthlyExpiry(parseIstLocal('2025-08-01 10:00:00')).expiry).toBe('2025-08-28');
    // 2022-11-24 (last Thursday) has passed on the 28th, so December's contract is current.
    expect(currentMonthlyExpiry(parseIstLocal('2022-11-28 10:00:00')).expiry).toBe('2022-12-29');
  });
});
