/**
 * Pure collector rules: reconnect backoff, placing instruments under Kite's caps, the tick rate,
 * market hours for the watchdog, and KiteTicker tick → Tick mapping.
 */
import { describe, expect, it } from 'vitest';
import { nseCalendar } from '@/lib/market/calendar';
import { mapKiteTick, type KiteTickerTick } from '@/worker/sources/kite/tick-mapper';
import { DEFAULT_RECONNECT, reconnectDelayMs } from '@/worker/collectors/backoff';
import { CollectorError } from '@/worker/collectors/errors';
import { placeTokens } from '@/worker/collectors/subscription-plan';
import { TickRate } from '@/worker/collectors/tick-rate';
import { syntheticInstruments } from '../support/collector-fixtures';

describe('reconnect backoff', () => {
  it('doubles from the base delay and caps at the maximum (defaults: 10 tries, 60 s)', () => {
    expect(DEFAULT_RECONNECT).toEqual({ maxRetries: 10, baseDelayMs: 1000, maxDelayMs: 60_000 });
    const delays = Array.from({ length: 10 }, (_, i) => reconnectDelayMs(i + 1, DEFAULT_RECONNECT));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    expect(reconnectDelayMs(1000, DEFAULT_RECONNECT)).toBe(60_000);
  });
});

describe('placing instruments on connections', () => {
  const tokens = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
  const base = { perConnection: 3000, connectionsPerKey: 3, collector: 'c' };

  it('splits 5,000 instruments into 3,000 + 2,000', () => {
    const p = placeTokens({ ...base, existing: new Map(), tokens: tokens(5000), newConnectionsAllowed: 3 });
    expect(p.onNew.map((l) => l.length)).toEqual([3000, 2000]);
    expect(p.onExisting.size).toBe(0);
  });

  it('fills existing connections before opening new ones', () => {
    const p = placeTokens({ ...base, existing: new Map([[1, 2990], [2, 100]]), tokens: tokens(3000), newConnectionsAllowed: 1 });
    expect(p.onExisting.get(1)).toHaveLength(10);
    expect(p.onExisting.get(2)).toHaveLength(2900);
    expect(p.onNew.map((l) => l.length)).toEqual([90]);
  });

  it('refuses the whole request past the key cap, with the numbers', () => {
    const attempt = () => placeTokens({ ...base, existing: new Map([[1, 3000]]), tokens: tokens(6001), newConnectionsAllowed: 2 });
    expect(attempt).toThrow(CollectorError);
    expect(attempt).toThrow(/9001 instruments need 4 connections \(3000 instruments each\) but only 3 are available/);
  });
});

describe('tick rate', () => {
  it('averages over the last 10 seconds', () => {
    const rate = new TickRate();
    const t0 = 1_700_000_000_000;
    for (let s = 0; s < 10; s++) rate.add(50, t0 + s * 1000);
    expect(rate.perSecond(t0 + 9_500)).toBe(50);
    expect(rate.perSecond(t0 + 14_500)).toBe(25);
    expect(rate.perSecond(t0 + 30_000)).toBe(0);
  });
});

describe('market hours for the collector watchdog (exchange calendar)', () => {
  const ist = (iso: string) => Date.parse(`${iso}+05:30`);
  const isMarketHours = (ms: number) => nseCalendar.isOpen(ms);
  it('is 09:15–15:30 IST on trading days, never on weekends or holidays', () => {
    expect(isMarketHours(ist('2025-12-29T09:14:59'))).toBe(false); // Monday
    expect(isMarketHours(ist('2025-12-29T09:15:00'))).toBe(true);
    expect(isMarketHours(ist('2025-12-29T15:29:59'))).toBe(true);
    expect(isMarketHours(ist('2025-12-29T15:30:00'))).toBe(false);
    expect(isMarketHours(ist('2025-12-27T11:00:00'))).toBe(false); // Saturday
    expect(isMarketHours(ist('2025-12-28T11:00:00'))).toBe(false); // Sunday
    expect(isMarketHours(ist('2025-12-25T11:00:00'))).toBe(false); // Christmas, an NSE holiday (Thursday)
  });
});

describe('KiteTicker tick → Tick', () => {
  const [equity] = syntheticInstruments(1);
  const future = { ...equity, instrumentToken: 12683010, exchange: 'NFO' as const, tradingsymbol: 'NIFTY25DECFUT' };

  it('maps a full-mode tick: exchange timestamp in UTC ms, depth without padding levels, OI for derivatives', () => {
    const raw: KiteTickerTick = {
      tradable: true,
      mode: 'full',
      instrument_token: 12683010,
      last_price: 25977.2,
      last_traded_quantity: 75,
      average_traded_price: 25960.5,
      volume_traded: 1234500,
      ohlc: { open: 25900, high: 26010, low: 25880, close: 25950.35 },
      exchange_timestamp: new Date('2025-12-29T07:17:00.000Z'),
      oi: 15000000,
      depth: {
        buy: [{ price: 25977, quantity: 150, orders: 2 }, { price: 0, quantity: 0, orders: 0 }],
        sell: [{ price: 25977.5, quantity: 75, orders: 1 }],
      },
    };
    const tick = mapKiteTick(raw, future, 1);
    expect(tick).toMatchObject({
      instrumentToken: 12683010,
      exchange: 'NFO',
      tradingsymbol: 'NIFTY25DECFUT',
      exchangeTime: Date.UTC(2025, 11, 29, 7, 17),
      ltp: 25977.2,
      volume: 1234500,
      oi: 15000000,
      bidPrice: 25977,
      askQuantity: 75,
      prevClose: 25950.35,
      feed: 'kite',
    });
    expect(tick.depth!.buy).toHaveLength(1);
  });

  it('uses the receive time for ltp/quote packets (no timestamp) and leaves OI null for equities', () => {
    const tick = mapKiteTick({ tradable: true, mode: 'ltp', instrument_token: equity.instrumentToken, last_price: 101.5 }, equity, 1_700_000_000_000);
    expect(tick).toMatchObject({ exchangeTime: 1_700_000_000_000, ltp: 101.5, volume: 0, oi: null, averagePrice: null, bidPrice: null });
    expect(tick.depth).toBeUndefined();
  });
});
