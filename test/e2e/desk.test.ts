/**
 * Browser end-to-end for the trader's desk: the built app on the single-process host, fed by a
 * generated marketdesk replay (docs/tick-format.md) over 20 seeded sessions of history.
 *
 * The replay: NSE INFY, TCS, SBIN and RELIANCE tick every second from 09:15 IST with small
 * random moves and ~1,000 shares a minute (the usual volume of the seeded history); from 09:17:30
 * INFY surges to +8% on ~24× volume. Paced at 4×, it lasts about 2.5 minutes.
 *
 * 1. Create a watchlist, add TCS through the search box, see its LTP change live.
 * 2. The surge puts INFY at the top of the gainers and unusual-volume presets on the scanner page,
 *    and a user alert (day change ≥ 5%) fires and shows as a toast.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '@/lib/db/client';
import { embeddedClusterDir } from '@/lib/db/embedded-owner';
import { migrateDatabase } from '@/lib/db/migrate';
import { parseIstLocal } from '@/lib/market/session';
import { formatMarketdeskCsvRow, MARKETDESK_HEADER } from '@/worker/sources/formats';
import { checkBrowserPrerequisites, launchChromium, pageFactory, startHost, type HostProcess } from '../support/browser-harness';
import { equity, seedSessions } from '../support/desk-history';

/**
 * The replayed session: the last weekday before today (wall clock), so the seeded history lies
 * within the storage retention windows (candles_1m: 30 days), which the host enforces.
 */
const DAY = (() => {
  let t = Date.now() - 86_400_000;
  while ([0, 6].includes(new Date(t + 5.5 * 3_600_000).getUTCDay())) t -= 86_400_000;
  return new Date(t + 5.5 * 3_600_000).toISOString().slice(0, 10);
})();
const START = parseIstLocal(`${DAY} 09:15:00`);
const SURGE = parseIstLocal(`${DAY} 09:17:30`);
const END = parseIstLocal(`${DAY} 09:25:00`);
const INSTRUMENTS = [equity(408065, 'INFY'), equity(2953217, 'TCS'), equity(779521, 'SBIN'), equity(738561, 'RELIANCE')];

let host: HostProcess | undefined;
let dir: string | undefined;
let browser: Browser | undefined;
let base = '';
const pages = pageFactory(() => browser);
const newPage = () => pages.newPage();

/** The replay file: one tick per instrument per second; INFY surges from SURGE on. */
function writeReplay(file: string): void {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const state = new Map(INSTRUMENTS.map((i) => [i.tradingsymbol, { ltp: 1000, volume: 0 }]));
  const lines = [MARKETDESK_HEADER];
  for (let t = START; t <= END; t += 1000) {
    for (const instrument of INSTRUMENTS) {
      const s = state.get(instrument.tradingsymbol)!;
      const surging = instrument.tradingsymbol === 'INFY' && t >= SURGE;
      if (surging) s.ltp = Math.min(1080, s.ltp + 4);
      else s.ltp = Math.min(1005, Math.max(995, s.ltp + Math.round(rand() * 20) / 10));
      s.ltp = Math.round(s.ltp * 20) / 20;
      const quantity = surging ? 400 + Math.round(rand() * 20) : 17;
      s.volume += quantity;
      lines.push(
        formatMarketdeskCsvRow({
          exchangeTime: t,
          instrumentToken: instrument.instrumentToken,
          exchange: 'NSE',
          tradingsymbol: instrument.tradingsymbol,
          ltp: s.ltp,
          lastQuantity: quantity,
          volume: s.volume,
          averagePrice: null,
          oi: null,
          bidPrice: null,
          bidQuantity: null,
          askPrice: null,
          askQuantity: null,
        }),
      );
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  checkBrowserPrerequisites();
  dir = mkdtempSync(path.join(os.tmpdir(), 'marketdesk-desk-e2e-'));
  const dataDir = path.join(dir, 'data');
  const replay = path.join(dir, 'surge.csv');
  writeReplay(replay);
  // History first (the host must not be running: one process owns the embedded database).
  mkdirSync(dataDir, { recursive: true });
  const db = await openEmbeddedDatabase(embeddedClusterDir(dataDir));
  await migrateDatabase(db);
  await seedSessions(db, { instruments: INSTRUMENTS, today: START, sessions: 20, close: 1000, minuteVolume: 1000 });
  await db.close();

  host = await startHost({ DATA_DIR: dataDir, FEED: 'replay', REPLAY_FILE: replay, REPLAY_SPEED: '4' });
  base = host.base;
  browser = await launchChromium();
});

afterEach(async () => {
  expect(await pages.closeAll(), 'uncaught errors in the page').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the trader’s desk', () => {
  it('creates a watchlist, adds an instrument through the search box and shows its price live', async () => {
    const page = await newPage();
    await page.goto(`${base}/watchlists`);
    await page.getByTestId('watchlist-create-name').fill('E2E Desk');
    await page.getByTestId('watchlist-create').click();
    await page.waitForURL(/\/watchlists\/E2E%20Desk$/);
    await expect(page.getByTestId('watchlist-name').textContent()).resolves.toBe('E2E Desk');
    await expect(page.getByTestId('watchlist-empty').isVisible()).resolves.toBe(true);

    await page.getByTestId('watchlist-add-search').fill('TCS');
    const option = page.locator('[data-testid="watchlist-add-option"][data-symbol="NSE:TCS"]');
    await option.waitFor({ timeout: 10_000 });
    await option.dispatchEvent('mousedown');
    const ltp = page.locator('[data-testid="watchlist-row"][data-symbol="NSE:TCS"] [data-testid="watchlist-ltp"]');
    await ltp.waitFor({ timeout: 10_000 });

    // Persisted in the database.
    const stored = (await (await fetch(`${base}/api/watchlists/E2E%20Desk`)).json()) as { items: { symbol: string }[] };
    expect(stored.items.map((i) => i.symbol)).toEqual(['NSE:TCS']);

    // The LTP changes live (Socket.IO ticks), with the flash class on the change.
    await expect.poll(async () => (await ltp.textContent())?.trim(), { timeout: 30_000 }).toMatch(/^[\d,]+\.\d\d$/);
    const first = (await ltp.textContent())!.trim();
    await expect.poll(async () => (await ltp.textContent())!.trim(), { timeout: 30_000 }).not.toBe(first);
    await expect.poll(async () => ltp.getAttribute('class'), { timeout: 10_000 }).toMatch(/flash-(up|down)/);
  });

  it('puts a surging instrument at the top of gainers and unusual volume and fires a toast alert', async () => {
    const page = await newPage();
    await page.goto(`${base}/scanner?preset=top_gainers&timeframe=1d`);
    await page.getByTestId('scanner-table').waitFor();
    // Toasts go to connected tabs: wait for this tab's Socket.IO connection before the alert can fire.
    await expect.poll(async () => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('live');

    // A level alert: fires as soon as the surge has lifted INFY ≥ 5% (or at once if it already has).
    const created = await fetch(`${base}/api/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'INFY surge', condition: { type: 'change_pct', op: 'above', value: 5 }, target: { kind: 'symbol', value: 'NSE:INFY' } }),
    });
    expect(created.status).toBe(201);
    // Watch for the toast from now on: it may fire (and auto-dismiss after 10 s) before the
    // scanner table, which polls every 2 s, shows INFY on top.
    const toast = page.locator('[data-testid="alert-toast"][data-alert="INFY surge"]');
    const toastText = toast.waitFor({ timeout: 180_000 }).then(() => toast.textContent());

    const firstRow = page.getByTestId('scanner-row').first();
    await expect.poll(async () => firstRow.getAttribute('data-symbol'), { timeout: 150_000 }).toBe('NSE:INFY');

    await expect(toastText).resolves.toMatch(/INFY: day change ≥ 5%/);

    await page.getByTestId('scanner-preset-unusual_volume').click();
    await expect.poll(async () => page.getByTestId('scanner-table').getAttribute('data-preset')).toBe('unusual_volume');
    // The day's cumulative volume passes 2× its usual level for the time of day a few seconds into the surge.
    await expect.poll(async () => firstRow.getAttribute('data-symbol'), { timeout: 60_000 }).toBe('NSE:INFY');

    // The API agrees, and the firing is in the history.
    const unusual = (await (await fetch(`${base}/api/scanner?preset=unusual_volume&timeframe=1d&limit=5`)).json()) as { preset: string; rows: { symbol: string; volumeRatio: number }[] };
    expect(unusual.rows[0].symbol).toBe('NSE:INFY');
    expect(unusual.rows[0].volumeRatio).toBeGreaterThanOrEqual(2);
    const history = (await (await fetch(`${base}/api/alerts/events`)).json()) as { events: { alertName: string; symbol: string }[] };
    expect(history.events).toContainEqual(expect.objectContaining({ alertName: 'INFY surge', symbol: 'NSE:INFY' }));
  });
});
