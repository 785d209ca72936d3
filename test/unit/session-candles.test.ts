/**
 * Session rules in the aggregator (issue 8): only ticks inside the instrument's session form
 * candles, per segment; pre-open volume goes to the first session candle; a mid-session start
 * without a baseline marks its first candle partial; a seeded instrument-day continues the
 * stored candle in progress.
 */
import { describe, expect, it } from 'vitest';
import { createMarketSessions, defaultMarketSessions, sessionClassOf, usDaylightSaving } from '@/lib/market/sessions';
import type { Candle, Tick } from '@/lib/market/tick';
import type { Timeframe } from '@/lib/market/timeframes';
import { CandleAggregator } from '@/worker/pipeline/aggregator';
import { makeTick } from '../support/ticks';

const ist = (text: string) => Date.parse(`${text}+05:30`);

function setup(timeframes: Timeframe[] = ['1m', '5m', '1h', '1d']) {
  const closed: Candle[] = [];
  const aggregator = new CandleAggregator({ timeframes, onClose: (c) => closed.push({ ...c }) });
  return { aggregator, closed };
}

const nifty = (time: string, ltp: number, volume = 0, extra: Partial<Tick> = {}) =>
  makeTick({ instrumentToken: 256265, tradingsymbol: 'NIFTY 50', exchangeTime: ist(time), ltp, volume, ...extra });

describe('session rules per segment (lib/market/sessions.ts)', () => {
  it('classifies segments, MCX agri contracts and the simulator', () => {
    expect(sessionClassOf({ exchange: 'NFO', tradingsymbol: 'NIFTY25DECFUT' })).toBe('equity');
    expect(sessionClassOf({ exchange: 'BSE', tradingsymbol: 'SENSEX' })).toBe('equity');
    expect(sessionClassOf({ exchange: 'CDS', tradingsymbol: 'USDINR25DECFUT' })).toBe('currency');
    expect(sessionClassOf({ exchange: 'MCX', tradingsymbol: 'CRUDEOIL25DECFUT' })).toBe('commodity');
    expect(sessionClassOf({ exchange: 'MCX', tradingsymbol: 'GUARSEED25DECFUT' })).toBe('commodity-agri');
    expect(sessionClassOf({ exchange: 'MCX', tradingsymbol: 'COTTONCNDY25DECFUT' })).toBe('commodity-agri-intl');
    expect(sessionClassOf({ exchange: 'NSE', tradingsymbol: 'INFY', feed: 'simulator' })).toBe('around-the-clock');
  });

  it('gives each segment its windows: NSE 09:15–15:30, CDS 09:00–17:00, MCX to 23:30 in US summer and 23:55 in US winter', () => {
    const s = defaultMarketSessions;
    const windows = (exchange: string, tradingsymbol: string, date: string) =>
      s.windows({ exchange, tradingsymbol }, ist(`${date}T12:00:00`)).map((w) => [w.open, w.close]);
    expect(windows('NSE', 'INFY', '2025-07-15')).toEqual([[ist('2025-07-15T09:15:00'), ist('2025-07-15T15:30:00')]]);
    expect(windows('CDS', 'USDINR', '2025-07-15')).toEqual([[ist('2025-07-15T09:00:00'), ist('2025-07-15T17:00:00')]]);
    expect(windows('MCX', 'CRUDEOIL', '2025-07-15')).toEqual([[ist('2025-07-15T09:00:00'), ist('2025-07-15T23:30:00')]]);
    expect(windows('MCX', 'CRUDEOIL', '2025-01-15')).toEqual([[ist('2025-01-15T09:00:00'), ist('2025-01-15T23:55:00')]]);
    expect(windows('MCX', 'KAPASKHALI', '2025-01-15')).toEqual([[ist('2025-01-15T09:00:00'), ist('2025-01-15T17:00:00')]]);
    expect(windows('MCX', 'MENTHAOIL', '2025-01-15')).toEqual([[ist('2025-01-15T09:00:00'), ist('2025-01-15T21:00:00')]]);
    // US DST 2025: 9 March – 2 November.
    expect(usDaylightSaving(ist('2025-03-07T12:00:00'))).toBe(false);
    expect(usDaylightSaving(ist('2025-03-10T12:00:00'))).toBe(true);
    expect(usDaylightSaving(ist('2025-10-31T12:00:00'))).toBe(true);
    expect(usDaylightSaving(ist('2025-11-03T12:00:00'))).toBe(false);
    // Holidays: equity closed on 2025-08-15 (Independence Day), MCX not unless configured.
    expect(windows('NFO', 'NIFTY', '2025-08-15')).toEqual([]);
    expect(windows('MCX', 'GOLD', '2025-08-15')).toHaveLength(1);
    const configured = createMarketSessions('MCX:2025-08-15,CDS:2025-07-15');
    expect(configured.windows({ exchange: 'MCX', tradingsymbol: 'GOLD' }, ist('2025-08-15T12:00:00'))).toEqual([]);
    expect(configured.windows({ exchange: 'CDS', tradingsymbol: 'USDINR' }, ist('2025-07-15T12:00:00'))).toEqual([]);
    expect(configured.windows({ exchange: 'NSE', tradingsymbol: 'INFY' }, ist('2025-07-15T12:00:00'))).toHaveLength(1);
    // The simulator trades around the clock, weekends included.
    expect(s.isOpen({ exchange: 'NSE', tradingsymbol: 'INFY', feed: 'simulator' }, ist('2025-07-13T23:59:59'))).toBe(true);
  });
});

describe('CandleAggregator inside sessions', () => {
  it('NSE: pre-open and post-close ticks form no bar and move no OHLC; 1h buckets 09:15 … 15:15; day OHL from session ticks', () => {
    const { aggregator, closed } = setup();
    aggregator.apply(nifty('2022-11-30T09:00:02', 18_207.05)); // pre-open print far below
    aggregator.apply(nifty('2022-11-30T09:08:00', 18_300));
    aggregator.apply(nifty('2022-11-30T09:15:01', 18_650));
    aggregator.apply(nifty('2022-11-30T12:00:00', 18_700));
    aggregator.apply(nifty('2022-11-30T15:29:59', 18_758.35));
    aggregator.apply(nifty('2022-11-30T15:30:00', 18_900)); // the close instant is outside
    aggregator.apply(nifty('2022-11-30T15:33:22', 18_100));
    expect(aggregator.outOfSession).toBe(4);
    aggregator.closeAll();
    const oneMinute = closed.filter((c) => c.timeframe === '1m');
    expect(oneMinute.map((c) => c.bucket)).toEqual([ist('2022-11-30T09:15:00'), ist('2022-11-30T12:00:00'), ist('2022-11-30T15:29:00')]);
    expect(oneMinute[0]).toMatchObject({ open: 18_650, low: 18_650 });
    expect(closed.filter((c) => c.timeframe === '1h').map((c) => c.bucket)).toEqual([
      ist('2022-11-30T09:15:00'),
      ist('2022-11-30T11:15:00'),
      ist('2022-11-30T15:15:00'),
    ]);
    expect(closed.find((c) => c.timeframe === '1d')).toMatchObject({ open: 18_650, high: 18_758.35, low: 18_650, close: 18_758.35 });
  });

  it('the pre-open auction’s cumulative volume belongs to the first session candle; post-close volume to none', () => {
    const { aggregator, closed } = setup(['1m', '1d']);
    const infy = (time: string, ltp: number, volume: number) =>
      makeTick({ instrumentToken: 408065, tradingsymbol: 'INFY', exchangeTime: ist(time), ltp, volume });
    aggregator.apply(infy('2025-10-29T09:07:30', 1500, 120_000));
    aggregator.apply(infy('2025-10-29T09:15:02', 1502, 125_000));
    aggregator.apply(infy('2025-10-29T09:16:01', 1503, 130_000));
    aggregator.apply(infy('2025-10-29T15:29:30', 1510, 900_000));
    aggregator.apply(infy('2025-10-29T15:45:00', 1511, 950_000));
    aggregator.closeAll();
    const oneMinute = closed.filter((c) => c.timeframe === '1m');
    expect(oneMinute.map((c) => c.volume)).toEqual([125_000, 5_000, 770_000]);
    expect(oneMinute.every((c) => !c.partial)).toBe(true);
    expect(closed.find((c) => c.timeframe === '1d')!.volume).toBe(900_000);
  });

  it('segments: CDS at 09:05 and MCX crude at 23:40 in January form candles; MCX crude at 23:40 in July and agri at 18:00 do not', () => {
    const { aggregator, closed } = setup(['1m']);
    const t = (token: number, exchange: Tick['exchange'], tradingsymbol: string, time: string) =>
      makeTick({ instrumentToken: token, exchange, tradingsymbol, exchangeTime: ist(time), ltp: 100, volume: 0 });
    aggregator.apply(t(1, 'CDS', 'USDINR25JANFUT', '2025-01-15T09:05:00'));
    aggregator.apply(t(2, 'MCX', 'CRUDEOIL25JANFUT', '2025-01-15T23:40:00'));
    aggregator.apply(t(3, 'MCX', 'CRUDEOIL25JULFUT', '2025-07-15T23:40:00'));
    aggregator.apply(t(4, 'MCX', 'KAPASKHALI25JANFUT', '2025-01-15T18:00:00'));
    aggregator.apply(t(5, 'NSE', 'INFY', '2025-01-15T09:05:00'));
    aggregator.closeAll();
    expect(closed.map((c) => c.instrumentToken).sort()).toEqual([1, 2]);
    expect(aggregator.outOfSession).toBe(3);
  });

  it('Muhurat day: only the special session forms candles', () => {
    const { aggregator, closed } = setup(['1m']);
    aggregator.apply(nifty('2024-11-01T10:00:00', 24_300)); // Diwali: exchange holiday by day
    aggregator.apply(nifty('2024-11-01T18:00:05', 24_320));
    aggregator.apply(nifty('2024-11-01T18:59:59', 24_330));
    aggregator.apply(nifty('2024-11-01T19:00:00', 24_340));
    aggregator.closeAll();
    expect(closed.map((c) => c.bucket)).toEqual([ist('2024-11-01T18:00:00'), ist('2024-11-01T18:59:00')]);
  });

  it('a mid-session start without a baseline marks the first candle partial and never gives it the day’s cumulative volume', () => {
    const { aggregator, closed } = setup(['1m', '5m']);
    const t = (time: string, volume: number) =>
      makeTick({ instrumentToken: 7, tradingsymbol: 'SBIN', exchangeTime: ist(time), ltp: 800, volume });
    aggregator.apply(t('2025-10-29T11:02:10', 4_000_000));
    aggregator.apply(t('2025-10-29T11:02:40', 4_000_300));
    aggregator.apply(t('2025-10-29T11:03:05', 4_000_500));
    aggregator.closeAll();
    const oneMinute = closed.filter((c) => c.timeframe === '1m');
    expect(oneMinute[0]).toMatchObject({ volume: 300, partial: true });
    expect(oneMinute[1].volume).toBe(200);
    expect(oneMinute[1].partial).toBeUndefined();
    expect(closed.find((c) => c.timeframe === '5m')).toMatchObject({ volume: 500, partial: true });
  });

  it('a seeded instrument-day continues the stored candle: open kept, high/low merged, close from the newest tick, volume from the stored baseline', () => {
    const { aggregator, closed } = setup(['1m', '5m', '1d']);
    aggregator.seed({
      instrumentToken: 7,
      symbol: 'NSE:SBIN',
      day: ist('2025-10-29T00:00:00'),
      lastVolume: 10_500,
      candles: [
        { bucket: ist('2025-10-29T09:15:00'), open: 95, high: 100, low: 94, close: 99, volume: 10_000, oi: null },
        { bucket: ist('2025-10-29T10:05:00'), open: 99, high: 101, low: 98, close: 100, volume: 300, oi: null },
        { bucket: ist('2025-10-29T10:06:00'), open: 100, high: 105, low: 99, close: 101, volume: 200, oi: null },
      ],
    });
    const t = (time: string, ltp: number, volume: number) =>
      makeTick({ instrumentToken: 7, tradingsymbol: 'SBIN', exchangeTime: ist(time), ltp, volume });
    aggregator.apply(t('2025-10-29T10:06:40', 107, 10_800));
    aggregator.apply(t('2025-10-29T10:06:50', 97, 10_900));
    expect(aggregator.current(7, '1m')).toMatchObject({ open: 100, high: 107, low: 97, close: 97, volume: 600 });
    expect(aggregator.current(7, '1m')!.partial).toBeUndefined();
    expect(aggregator.current(7, '5m')).toMatchObject({ bucket: ist('2025-10-29T10:05:00'), open: 99, high: 107, low: 97, volume: 900 });
    expect(aggregator.current(7, '1d')).toMatchObject({ open: 95, high: 107, low: 94, volume: 10_900 });
    aggregator.apply(t('2025-10-29T10:07:01', 98, 11_000));
    expect(closed.find((c) => c.timeframe === '1m')).toMatchObject({ bucket: ist('2025-10-29T10:06:00'), volume: 600 });
  });

  it('a seeded baseline without stored candles: the first candle after the start is complete, not partial', () => {
    const { aggregator } = setup(['1m']);
    aggregator.seed({ instrumentToken: 7, symbol: 'NSE:SBIN', day: ist('2025-10-29T00:00:00'), lastVolume: 4_000_000, candles: [] });
    aggregator.apply(makeTick({ instrumentToken: 7, tradingsymbol: 'SBIN', exchangeTime: ist('2025-10-29T11:02:10'), ltp: 800, volume: 4_000_250 }));
    expect(aggregator.current(7, '1m')).toMatchObject({ volume: 250 });
    expect(aggregator.current(7, '1m')!.partial).toBeUndefined();
  });

  it('the simulator forms candles at any hour', () => {
    const { aggregator } = setup(['1m']);
    aggregator.apply(makeTick({ instrumentToken: 9, tradingsymbol: 'INFY', feed: 'simulator', exchangeTime: ist('2025-10-26T22:10:00'), ltp: 1, volume: 0 }));
    expect(aggregator.current(9, '1m')).toBeDefined();
  });
});
