import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tick } from '@/lib/market/tick';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import { ReplayClock } from '@/worker/sources/replay/replay-clock';
import { createReplayFeed, parseThreadByDefault, type ReplayFeed } from '@/worker/sources/replay/replay';
import type { StateChange } from '@/worker/sources/source-events';
import { ManualClock } from '../support/manual-clock';
import { sharedFile } from '../support/shared-data';

const KITE = sharedFile('easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv');
const BREEZE = sharedFile('breeze-nfo-ticks/all_ticks_FUTURES.csv');
const NSE_1128 = sharedFile('nse-nifty-1s-vs-1m/anshkumar_2022-11-28.csv');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'replay-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.parse('2025-12-29T07:17:00Z');

function tickAt(exchangeTime: number, ltp = 100): Tick {
  return {
    instrumentToken: 738561,
    exchange: 'NSE',
    tradingsymbol: 'RELIANCE',
    exchangeTime,
    ltp,
    lastQuantity: 1,
    volume: 10,
    averagePrice: null,
    oi: null,
    bidPrice: null,
    bidQuantity: null,
    askPrice: null,
    askQuantity: null,
    feed: 'replay',
  };
}

/** Write a marketdesk file with ticks at the given offsets (ms after T0); returns its path. */
function marketdeskFile(name: string, offsets: number[], extraLines: string[] = []): string {
  const file = path.join(tmp, name);
  const rows = offsets.map((o, i) => formatMarketdeskCsvRow(tickAt(T0 + o, 100 + i)));
  writeFileSync(file, [MARKETDESK_HEADER, ...rows, ...extraLines].join('\n') + '\n');
  return file;
}

async function collect(feed: ReplayFeed, signal = new AbortController().signal): Promise<Tick[][]> {
  const batches: Tick[][] = [];
  for await (const batch of feed.ticks(signal)) batches.push(batch);
  return batches;
}

describe('replay feed: creation errors', () => {
  it('names the path of a missing file', () => {
    const missing = path.join(tmp, 'nope.csv');
    expect(() => createReplayFeed({ file: missing, speed: 'max' })).toThrow(missing);
  });

  it('lists the known formats for an unknown format', () => {
    const file = marketdeskFile('fmt.csv', [0]);
    expect(() => createReplayFeed({ file, speed: 'max', format: 'bogus' as never })).toThrow(
      /known formats: marketdesk, kite-csv, breeze-csv, nse-index-csv/,
    );
  });

  it('says when the format cannot be detected', () => {
    const file = path.join(tmp, 'candles.csv');
    writeFileSync(file, 'date,open,high,low,close,volume\n2025-10-29T09:15:00+05:30,1,2,0.5,1.5,100\n');
    expect(() => createReplayFeed({ file, speed: 'max' })).toThrow(/cannot detect the tick format.*known formats/);
  });

  it('rejects an explicit format whose columns the header lacks, and a bad speed', () => {
    const file = marketdeskFile('explicit.csv', [0]);
    expect(() => createReplayFeed({ file, speed: 'max', format: 'kite-csv' })).toThrow(/lacks columns.*last_price/);
    expect(() => createReplayFeed({ file, speed: 0 })).toThrow(/speed/);
  });
});

describe('replay feed: synthetic files', () => {
  it.each([
    ['on the parse thread', true],
    ['in process', false],
  ])('at max speed yields everything in file order, counts bad rows, and finishes (parsing %s)', async (_, parseThread) => {
    const file = marketdeskFile(`max-${parseThread}.csv`, [0, 1000, 2000, 3000, 4000], ['garbage', `${'2025-12-29T07:18:00.000Z'},738561,NSE,RELIANCE,abc,1,1,,,,,,`]);
    const feed = createReplayFeed({ file, speed: 'max', batchSize: 2, parseThread });
    expect(feed.format).toBe('marketdesk');
    expect(feed.now()).toBe(0);
    const batches = await collect(feed);
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches.flat().map((t) => t.exchangeTime - T0)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(feed.skipped).toBe(2);
    expect(feed.skippedRecords()).toEqual([
      { line: 7, reason: 'expected 13 columns, got 1' },
      { line: 8, reason: `'ltp' is not a number: "abc"` },
    ]);
    const status = feed.status();
    expect(status).toMatchObject({ state: 'finished', ticksEmitted: 5, lastTickTime: T0 + 4000 });
    expect(status.detail).toMatch(/2 skipped/);
    expect(feed.now()).toBe(T0 + 4000);
    expect(feed.instruments()).toEqual([]);
  });

  it('paces by exchange time at speed N on its clock', async () => {
    const file = marketdeskFile('paced.csv', [0, 1000, 2000, 3000, 4000, 5000]); // 5 s of exchange time
    const clock = new ManualClock(1_000_000);
    const feed = createReplayFeed({ file, speed: 10, clock });
    const collected = collect(feed);
    const elapsed = await clock.runUntil(collected);
    expect((await collected).flat()).toHaveLength(6);
    expect(elapsed).toBe(500); // 5000 ms / 10
  });

  it('does not reorder a file that steps back, pacing by the running max', async () => {
    const file = marketdeskFile('jitter.csv', [0, 1000, 500, 2000, 1500]);
    const clock = new ManualClock(1_000_000);
    const feed = createReplayFeed({ file, speed: 20, clock });
    const collected = collect(feed);
    const elapsed = await clock.runUntil(collected);
    const ticks = (await collected).flat();
    expect(ticks.map((t) => t.exchangeTime - T0)).toEqual([0, 1000, 500, 2000, 1500]);
    expect(elapsed).toBe(100); // 2000 ms / 20
    expect(feed.now()).toBe(T0 + 2000);
  });

  it('advances the virtual clock during a pause, never past the next tick', async () => {
    const file = marketdeskFile('pause.csv', [0, 60_000]);
    const clock = new ManualClock(1_000_000);
    const feed = createReplayFeed({ file, speed: 300, clock }); // 60 s gap → 200 ms
    const seen: number[] = [];
    const iterator = feed.ticks(new AbortController().signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).value![0].exchangeTime).toBe(T0);
    const second = iterator.next();
    await clock.timerScheduled();
    await clock.advance(100);
    seen.push(feed.now());
    await clock.advance(100);
    expect((await second).value![0].exchangeTime).toBe(T0 + 60_000);
    expect(seen[0]).toBe(T0 + 30_000); // 100 ms × 300, short of the pending tick
    expect(feed.now()).toBe(T0 + 60_000);
    expect((await iterator.next()).done).toBe(true);
  });

  it('stops promptly on abort, also during a long sleep', async () => {
    const file = marketdeskFile('abort.csv', [0, 3_600_000, 7_200_000]);
    const clock = new ManualClock(1_000_000);
    const feed = createReplayFeed({ file, speed: 1, clock });
    const controller = new AbortController();
    const received: Tick[] = [];
    const states: StateChange[] = [];
    feed.events.on('state', (change) => states.push(change));
    const done = (async () => {
      for await (const batch of feed.ticks(controller.signal)) received.push(...batch);
    })();
    await clock.timerScheduled(); // sleeping for the hour-long gap; the clock never gets there
    controller.abort();
    await done;
    expect(clock.now()).toBe(1_000_000);
    expect(received).toHaveLength(1);
    expect(feed.status().state).toBe('stopped');
    expect(states.map((c) => [c.previous, c.state])).toEqual([
      ['starting', 'live'],
      ['live', 'stopped'],
    ]);
  });
});

describe('ReplayClock', () => {
  it('maps real time to exchange time at speed N and caps at the pending tick', () => {
    let real = 1_000;
    const clock = new ReplayClock(10, () => real);
    expect(clock.delayFor(T0)).toBe(0);
    clock.emitted(T0);
    expect(clock.delayFor(T0 + 5_000)).toBe(500);
    real += 200;
    expect(clock.now()).toBe(T0 + 2_000);
    real += 10_000;
    expect(clock.now()).toBe(T0 + 5_000); // capped at the tick not yet emitted
    expect(clock.delayFor(T0 + 1_000)).toBe(0); // a late (backward) tick is due at once
  });
});

describe.skipIf(!BREEZE.exists)(`replay of the real Breeze file${BREEZE.skipNote}`, () => {
  it('auto-detects breeze-csv, emits 5535 ticks, skips line 184 with a reason', async () => {
    const feed = createReplayFeed({ file: BREEZE.path, speed: 'max' });
    expect(feed.format).toBe('breeze-csv');
    const batches = await collect(feed);
    expect(batches.flat()).toHaveLength(5535);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(1000);
    expect(feed.skipped).toBe(1);
    expect(feed.skippedRecords()).toEqual([{ line: 184, reason: 'expected 29 columns, got 1' }]);
    expect(feed.status().detail).toMatch(/line 184/);
    expect(feed.status().state).toBe('finished');
  });

  it('gives the same ticks, depth included, parsed on the thread (binary hand-over) or in process', async () => {
    const threaded = (await collect(createReplayFeed({ file: BREEZE.path, speed: 'max', parseThread: true }))).flat();
    const inProcess = (await collect(createReplayFeed({ file: BREEZE.path, speed: 'max', parseThread: false }))).flat();
    expect(threaded.some((t) => (t.depth?.buy.length ?? 0) > 0)).toBe(true);
    expect(threaded).toStrictEqual(inProcess);
  });
});

describe.skipIf(!KITE.exists)(`replay of the real Kite file${KITE.skipNote}`, () => {
  it('auto-detects kite-csv and emits all 271 ticks in order', async () => {
    const feed = createReplayFeed({ file: KITE.path, speed: 'max' });
    expect(feed.format).toBe('kite-csv');
    const ticks = (await collect(feed)).flat();
    expect(ticks).toHaveLength(271);
    expect(ticks.every((t, i) => i === 0 || t.exchangeTime >= ticks[i - 1].exchangeTime)).toBe(true);
    expect(feed.skipped).toBe(0);
  });
});

describe.skipIf(!NSE_1128.exists)(`replay of the real NSE index file${NSE_1128.skipNote}`, () => {
  it('auto-detects nse-index-csv, knows NIFTY 50 up front, emits one tick per line in order', async () => {
    const feed = createReplayFeed({ file: NSE_1128.path, speed: 'max' });
    expect(feed.format).toBe('nse-index-csv');
    expect(feed.instruments().map((i) => i.tradingsymbol)).toEqual(['NIFTY 50']);
    const ticks = (await collect(feed)).flat();
    expect(ticks).toHaveLength(22581);
    expect(ticks[0].exchangeTime).toBe(Date.parse('2022-11-28T03:30:17Z'));
    expect(ticks.every((t, i) => i === 0 || t.exchangeTime > ticks[i - 1].exchangeTime)).toBe(true);
    expect(feed.now()).toBe(ticks[ticks.length - 1].exchangeTime);
  });
});

describe('replay feed: where parsing runs', () => {
  it('parses on a thread by default only at max speed with a core for each busy thread', () => {
    expect(parseThreadByDefault('max', 2)).toBe(false);
    expect(parseThreadByDefault('max', 3)).toBe(true);
    expect(parseThreadByDefault(1000, 16)).toBe(false);
  });
});

describe('replay feed: I/O failure', () => {
  it.each([
    ['on the parse thread', true],
    ['in process', false],
  ])('fails (not hangs) when the file becomes unreadable after creation (parsing %s)', async (_, parseThread) => {
    const file = marketdeskFile(`vanish-${parseThread}.csv`, [0, 1000]);
    const feed = createReplayFeed({ file, speed: 'max', parseThread });
    rmSync(file);
    await expect(collect(feed)).rejects.toThrow(/vanish-(true|false)\.csv/);
    expect(feed.status().state).toBe('failed');
  });
});
