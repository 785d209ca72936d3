/**
 * The conflation timer's flush rule (worker/realtime/conflation.ts, issue 12 point 2) on a
 * manual clock: a tick after a quiet interval is sent at once; ticks arriving sooner wait until
 * the interval since the last send has passed; sends are never closer than the interval and a
 * pending tick never waits longer than it. Then the worker's Broadcaster on the same rule.
 */
import { Server } from 'socket.io';
import { describe, expect, it } from 'vitest';
import type { Tick } from '@/lib/market/tick';
import { Broadcaster } from '@/worker/realtime/broadcaster';
import { ConflationTimer } from '@/worker/realtime/conflation';
import { ManualClock } from '../support/manual-clock';

const T0 = Date.parse('2026-11-23T04:30:00Z');

function timerOn(clock: ManualClock, intervalMs: number) {
  const sends: number[] = [];
  const timer = new ConflationTimer(intervalMs, () => sends.push(clock.now() - T0), clock);
  timer.start();
  return { timer, sends };
}

describe('ConflationTimer', () => {
  it('sends the first mark after a quiet interval at once', async () => {
    const clock = new ManualClock(T0);
    const { timer, sends } = timerOn(clock, 250);
    timer.mark();
    await clock.advance(0);
    expect(sends).toEqual([0]);
    // Quiet for longer than the interval: the next mark goes out at once too.
    await clock.advance(400);
    timer.mark();
    await clock.advance(0);
    expect(sends).toEqual([0, 400]);
  });

  it('holds marks that come sooner until the interval since the last send has passed, once', async () => {
    const clock = new ManualClock(T0);
    const { timer, sends } = timerOn(clock, 250);
    timer.mark();
    await clock.advance(0);
    await clock.advance(30);
    timer.mark(); // 30 ms after the send: waits until 250
    await clock.advance(70);
    timer.mark(); // joins the scheduled send
    await clock.advance(149);
    expect(sends).toEqual([0]);
    await clock.advance(1);
    expect(sends).toEqual([0, 250]);
    expect(timer.scheduled).toBe(false); // nothing pending: no timer
    await clock.advance(1000);
    expect(sends).toEqual([0, 250]);
  });

  it.each([100, 250])('under a steady stream (every 25 ms) sends every %i ms and no mark waits longer', async (interval) => {
    const clock = new ManualClock(T0);
    const { timer, sends } = timerOn(clock, interval);
    const marks: number[] = [];
    for (let t = 0; t < 3000; t += 25) {
      marks.push(t);
      timer.mark();
      await clock.advance(25);
    }
    const gaps = sends.slice(1).map((s, i) => s - sends[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(interval);
    expect(Math.max(...gaps)).toBe(interval);
    for (const mark of marks) {
      const sentAt = sends.find((s) => s >= mark)!;
      expect(sentAt - mark).toBeLessThanOrEqual(interval);
    }
  });

  it('sends nothing before start or after stop', async () => {
    const clock = new ManualClock(T0);
    const sends: number[] = [];
    const timer = new ConflationTimer(250, () => sends.push(clock.now()), clock);
    timer.mark();
    await clock.advance(500);
    expect(sends).toEqual([]);
    timer.start(true); // something was marked before the start
    await clock.advance(0);
    expect(sends).toHaveLength(1);
    timer.mark();
    timer.stop();
    await clock.advance(1000);
    expect(sends).toHaveLength(1);
    expect(() => new ConflationTimer(0, () => undefined, clock)).toThrow(/intervalMs/);
  });
});

describe('Broadcaster flushes on the conflation rule', () => {

  const tick = (symbol: string, at: number): Tick =>
    ({ instrumentToken: 1, exchange: 'NSE', tradingsymbol: symbol, exchangeTime: at, ltp: 100, lastQuantity: 1, volume: 1, averagePrice: 100, oi: null,
       bidPrice: null, bidQuantity: null, askPrice: null, askQuantity: null, prevClose: 99, feed: 'simulator' }) as Tick;

  it('flushes a first batch at once and the next ones one interval after the last flush', async () => {
    const clock = new ManualClock(T0);
    const io = new Server(); // no HTTP server: nothing to close, deliveries reach no one
    const broadcaster = new Broadcaster(io, { current: () => undefined }, 250, clock);
    broadcaster.start();
    const flushes = () => broadcaster.fanOutStats.intervals;
    broadcaster.onTicks([tick('A', clock.now())]);
    await clock.advance(0);
    expect(flushes()).toBe(1);
    await clock.advance(100);
    broadcaster.onTicks([tick('A', clock.now())]);
    broadcaster.onTicks([tick('B', clock.now())]);
    await clock.advance(149);
    expect(flushes()).toBe(1);
    await clock.advance(1);
    expect(flushes()).toBe(2);
    broadcaster.onTicks([]); // an empty batch schedules nothing
    await clock.advance(1000);
    expect(flushes()).toBe(2);
    broadcaster.stop();
  });
});
