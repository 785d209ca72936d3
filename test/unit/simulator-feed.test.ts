import { describe, expect, it } from 'vitest';
import { istDayStart, parseIstLocal } from '@/lib/market/session';
import type { Tick } from '@/lib/market/tick';
import { Prng } from '@/worker/sources/simulator/prng';
import { createSimulatorFeed, roundToStep } from '@/worker/sources/simulator/simulator';
import { cumulativeVolumeShare, volumeIntensity } from '@/worker/sources/simulator/simulator-profile';
import { buildSimulatorUniverse, NIFTY50_CONSTITUENTS } from '@/worker/sources/simulator/simulator-universe';
import { SIMULATOR_TOKEN_BASE } from '@/worker/sources/formats/synthetic-token';

const MONDAY_1000_IST = parseIstLocal('2026-11-23 10:00:00');

function fixedClock(start: number): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function stepOf(tick: Tick, steps: Map<number, number>): number {
  return steps.get(tick.instrumentToken) as number;
}

describe('simulator universe', () => {
  it('has the indices, the 50 constituents and three current-month futures with unique tokens', () => {
    const universe = buildSimulatorUniverse(MONDAY_1000_IST);
    const symbols = universe.map((s) => `${s.instrument.exchange}:${s.instrument.tradingsymbol}`);
    expect(universe.length).toBeGreaterThanOrEqual(51);
    expect(NIFTY50_CONSTITUENTS).toHaveLength(50);
    expect(symbols).toContain('NSE:NIFTY 50');
    expect(symbols).toContain('NSE:NIFTY BANK');
    expect(symbols).toEqual(expect.arrayContaining(['NFO:NIFTY26NOVFUT', 'NFO:BANKNIFTY26NOVFUT', 'NFO:RELIANCE26NOVFUT']));
    expect(new Set(universe.map((s) => s.instrument.instrumentToken)).size).toBe(universe.length);
    const nifty = universe.find((s) => s.instrument.tradingsymbol === 'NIFTY 50');
    expect(nifty?.instrument).toMatchObject({ instrumentToken: 256265, segment: 'INDICES' });
    const fut = universe.find((s) => s.instrument.tradingsymbol === 'NIFTY26NOVFUT');
    expect(fut?.instrument).toMatchObject({ expiry: '2026-11-24', lotSize: 65, segment: 'NFO-FUT' });
    expect(fut?.instrument.instrumentToken).toBeGreaterThanOrEqual(SIMULATOR_TOKEN_BASE);
    const tmpv = universe.find((s) => s.instrument.tradingsymbol === 'TMPV');
    expect(tmpv?.instrument.instrumentToken).toBeGreaterThanOrEqual(SIMULATOR_TOKEN_BASE);
    expect(universe.find((s) => s.instrument.tradingsymbol === 'RELIANCE')?.instrument.instrumentToken).toBe(738561);
  });

  it('rolls the futures after expiry and uses Kite tokens where the dump has them', () => {
    const afterExpiry = buildSimulatorUniverse(parseIstLocal('2026-11-25 10:00:00'));
    expect(afterExpiry.map((s) => s.instrument.tradingsymbol)).toContain('NIFTY26DECFUT');
    const august = buildSimulatorUniverse(parseIstLocal('2026-08-10 10:00:00'));
    expect(august.find((s) => s.instrument.tradingsymbol === 'NIFTY26AUGFUT')?.instrument.instrumentToken).toBe(14866434);
  });
});

describe('simulator feed', () => {
  it('is deterministic for a seed, independent of chunking, and differs across seeds', () => {
    const a = createSimulatorFeed({ seed: 7, now: () => MONDAY_1000_IST });
    const b = createSimulatorFeed({ seed: 7, now: () => MONDAY_1000_IST });
    const c = createSimulatorFeed({ seed: 8, now: () => MONDAY_1000_IST });
    const oneShot = a.generate(MONDAY_1000_IST + 60_000);
    const chunked = [...b.generate(MONDAY_1000_IST + 12_345), ...b.generate(MONDAY_1000_IST + 60_000)];
    expect(chunked).toEqual(oneShot);
    expect(c.generate(MONDAY_1000_IST + 60_000)).not.toEqual(oneShot);
  });

  it('ticks every instrument about once a second, in time order, with prices on tick size', () => {
    const feed = createSimulatorFeed({ seed: 1, now: () => MONDAY_1000_IST });
    const instruments = feed.instruments();
    const steps = new Map(instruments.map((i) => [i.instrumentToken, i.tickSize ? i.tickSize : 0.05]));
    const ticks = feed.generate(MONDAY_1000_IST + 120_000);
    expect(ticks.every((t, i) => i === 0 || t.exchangeTime >= ticks[i - 1].exchangeTime)).toBe(true);
    const counts = new Map<number, number>();
    for (const t of ticks) counts.set(t.instrumentToken, (counts.get(t.instrumentToken) ?? 0) + 1);
    expect(counts.size).toBe(instruments.length);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(60); // 120 s at 0.7–1.3 s mean intervals
      expect(n).toBeLessThan(200);
    }
    for (const t of ticks) {
      const step = stepOf(t, steps);
      for (const price of [t.ltp, t.bidPrice, t.askPrice]) {
        if (price === null) continue;
        expect(Math.abs(price / step - Math.round(price / step))).toBeLessThan(1e-6);
      }
      if (t.bidPrice !== null && t.askPrice !== null) expect(t.bidPrice).toBeLessThan(t.askPrice);
      expect(t.prevClose).toBeGreaterThan(0);
      expect(t.feed).toBe('simulator');
    }
    const nifty = ticks.filter((t) => t.tradingsymbol === 'NIFTY 50');
    expect(nifty.every((t) => t.volume === 0 && t.bidPrice === null && t.oi === null)).toBe(true);
    expect(nifty[0].ltp).toBeGreaterThan(20_000);
    expect(nifty[0].ltp).toBeLessThan(32_000);
    const fut = ticks.filter((t) => t.tradingsymbol === 'NIFTY26NOVFUT');
    expect(fut.every((t) => t.oi !== null && t.oi % 65 === 0 && t.volume % 65 === 0)).toBe(true);
  });

  it('keeps cumulative volume non-decreasing within a day, with a consistent ltq and VWAP, and resets at IST midnight', () => {
    const beforeMidnight = parseIstLocal('2026-11-23 23:58:00');
    const feed = createSimulatorFeed({ seed: 3, now: () => beforeMidnight });
    const ticks = feed.generate(beforeMidnight + 4 * 60_000);
    const midnight = istDayStart(beforeMidnight + 4 * 60_000);
    const last = new Map<number, Tick>();
    let resets = 0;
    for (const t of ticks) {
      const prev = last.get(t.instrumentToken);
      if (prev && istDayStart(prev.exchangeTime) === istDayStart(t.exchangeTime)) {
        expect(t.volume).toBeGreaterThanOrEqual(prev.volume);
        const delta = t.volume - prev.volume;
        if (delta > 0) expect(t.lastQuantity).toBeLessThanOrEqual(delta);
        expect(t.prevClose).toBe(prev.prevClose);
      } else if (prev) {
        resets++;
        expect(t.exchangeTime).toBeGreaterThanOrEqual(midnight);
        if (prev.volume > 0) expect(t.volume).toBeLessThan(prev.volume); // indices stay at 0
        expect(t.prevClose).toBe(prev.ltp);
      }
      if (t.volume > 0) {
        expect(t.averagePrice).not.toBeNull();
        // options move tens of percent in minutes; their VWAP is only checked for presence
        if (!/(CE|PE)$/.test(t.tradingsymbol)) expect(Math.abs((t.averagePrice as number) / t.ltp - 1)).toBeLessThan(0.05);
      }
      last.set(t.instrumentToken, t);
    }
    expect(resets).toBe(feed.instruments().length);
  });

  it('moves stocks by roughly 1–2% over a session', () => {
    const open = parseIstLocal('2026-11-23 09:15:00');
    const returns: number[] = [];
    for (const seed of [11, 12, 13]) {
      const feed = createSimulatorFeed({ seed, now: () => open, tickIntervalMs: 10_000, optionChains: false }); // stocks only
      const ticks = feed.generate(open + 375 * 60_000);
      const first = new Map<string, number>();
      const lastLtp = new Map<string, number>();
      for (const t of ticks) {
        if (t.exchange !== 'NSE' || t.tradingsymbol.startsWith('NIFTY')) continue;
        if (!first.has(t.tradingsymbol)) first.set(t.tradingsymbol, t.ltp);
        lastLtp.set(t.tradingsymbol, t.ltp);
      }
      for (const [s, p0] of first) returns.push(Math.log((lastLtp.get(s) as number) / p0));
    }
    const rms = Math.sqrt(returns.reduce((a, r) => a + r * r, 0) / returns.length);
    expect(rms).toBeGreaterThan(0.005);
    expect(rms).toBeLessThan(0.03);
  });

  it('streams batches from an injected clock and sleep, and stops on abort', async () => {
    const clock = fixedClock(MONDAY_1000_IST);
    const controller = new AbortController();
    const feed = createSimulatorFeed({
      seed: 5,
      now: clock.now,
      sleep: async (ms) => clock.advance(ms),
    });
    const batches: Tick[][] = [];
    for await (const batch of feed.ticks(controller.signal)) {
      batches.push(batch);
      expect(feed.status().state).toBe('live');
      if (clock.now() - MONDAY_1000_IST >= 10_000) controller.abort();
    }
    const ticks = batches.flat();
    expect(ticks.length).toBeGreaterThan(300);
    expect(ticks.every((t) => t.exchangeTime <= clock.now())).toBe(true);
    expect(feed.status()).toMatchObject({ state: 'stopped', ticksEmitted: ticks.length });
    // Same seed and start, generated directly: identical ticks.
    const direct = createSimulatorFeed({ seed: 5, now: () => MONDAY_1000_IST }).generate(ticks[ticks.length - 1].exchangeTime);
    expect(direct).toEqual(ticks);
  });

  it('skips ahead instead of back-filling after a clock jump', async () => {
    const clock = fixedClock(MONDAY_1000_IST);
    const controller = new AbortController();
    const feed = createSimulatorFeed({ seed: 5, now: clock.now, sleep: async (ms) => clock.advance(ms) });
    let count = 0;
    for await (const batch of feed.ticks(controller.signal)) {
      count += batch.length;
      if (count > 0 && clock.now() < MONDAY_1000_IST + 3_600_000) clock.advance(3_600_000); // laptop sleep
      else controller.abort();
    }
    expect(count).toBeLessThan(1000);
  });
});

describe('simulator helpers', () => {
  it('rounds to tick size without float residue', () => {
    expect(roundToStep(1518.8400001, 0.05)).toBe(1518.85);
    expect(roundToStep(245.123, 0.01)).toBe(245.12);
    expect(roundToStep(16001.4, 1)).toBe(16001);
    expect(roundToStep(0.001, 0.05)).toBe(0.05);
  });

  it('has a U-shaped volume profile that integrates to the whole day', () => {
    const day = parseIstLocal('2026-11-23 00:00:00');
    expect(cumulativeVolumeShare(day)).toBe(0);
    expect(cumulativeVolumeShare(day + 86_399_999)).toBeCloseTo(1, 6);
    const at = (hhmm: string) => volumeIntensity(parseIstLocal(`2026-11-23 ${hhmm}:00`));
    expect(at('09:16')).toBeGreaterThan(2 * at('12:30'));
    expect(at('15:29')).toBeGreaterThan(2 * at('12:30'));
    expect(at('12:30')).toBeGreaterThan(10 * at('20:00'));
  });

  it('mulberry32 is deterministic', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
