/**
 * Browser end-to-end on real recorded data: the README's NSE replay
 * (`FEED=replay REPLAY_FILE=../shared/data/nse-nifty-1s-vs-1m/anshkumar_2022-11-30.csv
 * REPLAY_SPEED=max`) with default settings on a fresh DATA_DIR.
 *
 * - The header badge says "Replay finished" once the replay has ended, with the last tick's
 *   date (30 Nov 2022 is not today).
 * - The 1m chart of NSE:NIFTY 50 shows the full session: 375 candles 09:15 … 15:29 IST (the page's
 *   data-candles and GET /api/candles of that day).
 * - The home page's first paint (server-rendered, JavaScript off) already shows NIFTY 50's change
 *   against the previous session's close, here a day candle of 29 Nov 2022 stored before the
 *   host starts (close ₹18,618.05), and the live page keeps it.
 *
 * Skipped when ../shared (SHARED_DATA_DIR) is absent. Needs the production build
 * (NEXT_DIST_DIR, default .next) and Chromium (test/support/browser-harness.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatChange, formatPercent } from '@/components/format';
import { openEmbeddedDatabase } from '@/lib/db/client';
import { embeddedClusterDir } from '@/lib/db/embedded-owner';
import { migrateDatabase } from '@/lib/db/migrate';
import { refreshCandleAggregates, upsertOneMinuteCandles } from '@/lib/db/queries/candles';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { istDateStart, parseIstLocal } from '@/lib/market/session';
import { NIFTY_50_INSTRUMENT } from '@/worker/sources/formats/nse-index-csv';
import { useBrowserDesk } from '../support/browser-desk';
import { sharedFile } from '../support/shared-data';

const REPLAY = sharedFile('nse-nifty-1s-vs-1m/anshkumar_2022-11-30.csv');
const DAY = '2022-11-30';
const PREVIOUS_DAY = '2022-11-29';
const PREVIOUS_CLOSE = 18_618.05;
/** 1m candles stored for the previous session (also inside the chart's default 3-day 1m window). */
const PREVIOUS_SESSION_CANDLES = 2;


/** The previous session (29 Nov 2022) as two 1m candles, stored before the host starts. */
async function seedPreviousSession(dir: string): Promise<void> {
  const db = await openEmbeddedDatabase(embeddedClusterDir(dir));
  try {
    await migrateDatabase(db);
    await upsertInstruments(db, [NIFTY_50_INSTRUMENT]);
    const candle = (hhmm: string, close: number) => ({
      instrumentToken: NIFTY_50_INSTRUMENT.instrumentToken,
      bucket: parseIstLocal(`${PREVIOUS_DAY} ${hhmm}:00`),
      open: close,
      high: close,
      low: close,
      close,
      volume: 0,
      oi: null,
    });
    const candles = [candle('09:15', 18_550), candle('15:29', PREVIOUS_CLOSE)];
    expect(candles).toHaveLength(PREVIOUS_SESSION_CANDLES);
    await upsertOneMinuteCandles(db, candles);
    await refreshCandleAggregates(db, new Date(istDateStart(PREVIOUS_DAY)), new Date(istDateStart(DAY)));
  } finally {
    await db.close();
  }
}

describe.skipIf(!REPLAY.exists)(`README replay of NSE:NIFTY 50 on ${DAY}${REPLAY.skipNote}`, () => {
  const desk = useBrowserDesk({
    prepare: seedPreviousSession,
    env: (dataDir) => ({ DATA_DIR: dataDir, FEED: 'replay', REPLAY_FILE: REPLAY.path, REPLAY_SPEED: 'max' }),
  });
  const pages = desk.pages;

  it('says "Replay finished" when the replay ends and the 1m chart shows the full session', async () => {
    const page = await pages.newPage();
    await page.goto(`${desk.base}/chart/NSE%3ANIFTY%2050`);
    const badge = page.getByTestId('connection-status');
    await expect.poll(() => badge.getAttribute('data-feed'), { timeout: 180_000, interval: 1000 }).toBe('finished');
    await expect(page.getByTestId('connection-label').textContent()).resolves.toBe('Replay finished');
    // The last tick is from another day: its date is shown, in IST.
    await expect(badge.getAttribute('title')).resolves.toContain('last tick 30 Nov 2022 15:33:22');

    // The stored session: exactly the 375 session minutes 09:15 … 15:29 IST.
    const from = encodeURIComponent(`${DAY}T00:00:00+05:30`);
    const to = encodeURIComponent(`2022-12-01T00:00:00+05:30`);
    const response = await fetch(`${desk.base}/api/candles?symbol=NSE:NIFTY%2050&timeframe=1m&from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { candles: { time: string }[] };
    expect(body.candles).toHaveLength(375);
    expect(body.candles[0].time).toBe(new Date(parseIstLocal(`${DAY} 09:15:00`)).toISOString());
    expect(body.candles.at(-1)!.time).toBe(new Date(parseIstLocal(`${DAY} 15:29:00`)).toISOString());

    // The chart, loaded after the replay, draws all of them (its default 1m window of 3 days also
    // holds the seeded previous session's candles, and nothing else).
    await page.reload();
    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-candles')), { timeout: 30_000 })
      .toBe(375 + PREVIOUS_SESSION_CANDLES);
    await expect(page.getByTestId('chart-last-tick').textContent()).resolves.toBe('last tick 30 Nov 2022 15:33:22');
  });

  it("paints the home page's change against the previous session's close from the first (server) render on", async () => {
    const lines = readFileSync(REPLAY.path, 'utf8').trim().split('\n');
    const lastPrice = Number(lines.at(-1)!.split(',')[1]);
    const change = lastPrice - PREVIOUS_CLOSE;
    const expected = `${formatChange(change)} (${formatPercent((change / PREVIOUS_CLOSE) * 100)})`;

    // First paint: the server-rendered HTML alone (no JavaScript, no Socket.IO).
    const context = await desk.browser.newContext({ javaScriptEnabled: false, timezoneId: 'America/New_York' });
    try {
      const page = await context.newPage();
      await page.goto(`${desk.base}/`);
      const card = page.locator('[data-testid="index-card"][data-symbol="NSE:NIFTY 50"]');
      await expect(card.getByTestId('index-change').textContent()).resolves.toBe(expected);
      await expect(page.getByTestId('last-tick').textContent()).resolves.toBe('last tick 30 Nov 2022 15:33:22');
    } finally {
      await context.close();
    }

    // Live page: the Socket.IO snapshot tick does not flip it to another base.
    const page = await pages.newPage();
    await page.goto(`${desk.base}/`);
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('live');
    await page.waitForTimeout(1500);
    const card = page.locator('[data-testid="index-card"][data-symbol="NSE:NIFTY 50"]');
    await expect(card.getByTestId('index-change').textContent()).resolves.toBe(expected);
  });
});
