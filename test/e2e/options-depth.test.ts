/**
 * Browser end to end (Chromium) for the live option chain and the futures chart's panes (issue
 * 13 points 3 and 5), on ONE app start: the simulator feed (NIFTY and BANKNIFTY weekly chains)
 * plus a Kite collector on the local ticker server (test/support/kite-ticker-server.ts) that
 * streams a NIFTY future in full mode with OI and 5-level depth every 500 ms.
 *
 * - /options/NIFTY: an LTP cell changes without a reload (Socket.IO ticks of the contracts), and
 *   the ATM call's LTP opens that contract's chart with its OI pane;
 * - /chart/NFO:NIFTY99JANFUT: the OI pane is drawn (legend entry `oi`) and follows the live
 *   candle's OI; the depth ladder shows the streamed levels and updates with every tick.
 *
 * - /collectors: the "Subscribe chain" form subscribes the simulator's NIFTY chain (instruments
 *   master) on the Kite collector's socket in one step;
 * - last (it turns sign-in on): the chart's studies are remembered per account, across browsers
 *   (GET/PUT /api/me/chart-prefs), while the local desk before it kept them in localStorage.
 *
 * The database starts with just the future's instrument row (so the collector can resolve it);
 * candles_1m is empty, so the simulator's first-start history is written in the background
 * while the feed runs (worker/sources/simulator/history-seed.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { istDate } from '@/lib/market/session';
import { checkBrowserPrerequisites, launchChromium, pageFactory, startHost, type HostProcess } from '../support/browser-harness';
import type { KitePacketValues } from '../support/kite-packets';
import { KiteTickerServer } from '../support/kite-ticker-server';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const FUTURE_TOKEN = (40_000 << 8) | 2; // Kite segment byte 2: NFO
const FUTURE = 'NFO:NIFTY99JANFUT';

let host: HostProcess | undefined;
let database: TestDatabase | undefined;
let browser: Browser | undefined;
let ticker: KiteTickerServer | undefined;
let publisher: NodeJS.Timeout | undefined;
let configDir = '';
let base = '';
let seq = 0;
const pages = pageFactory(() => browser);

/** The future's packet number `n`: price, cumulative volume and OI rise, the book moves with the price. */
function packet(n: number): KitePacketValues {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const ltp = 26_100 + (n % 40) * 0.5;
  const level = (i: number, side: 1 | -1) => ({ price: ltp + side * (0.5 + i * 0.5), quantity: 75 * (i + 1) + n, orders: i + 1 });
  return {
    instrument_token: FUTURE_TOKEN,
    last_price: ltp,
    last_traded_quantity: 75,
    average_traded_price: ltp,
    volume_traded: 100_000 + n * 75,
    ohlc: { open: 26_100, high: 26_120, low: 26_090, close: 26_050 },
    last_trade_time: now,
    exchange_timestamp: now,
    oi: 1_000_000 + n * 150,
    depth: { buy: [0, 1, 2, 3, 4].map((i) => level(i, -1)), sell: [0, 1, 2, 3, 4].map((i) => level(i, 1)) },
  };
}

beforeAll(async () => {
  checkBrowserPrerequisites();
  database = await createTestDatabase('embedded');
  await upsertInstruments(database.db, [
    { instrumentToken: FUTURE_TOKEN, exchange: 'NFO', tradingsymbol: 'NIFTY99JANFUT', name: 'NIFTY', segment: 'NFO-FUT', instrumentType: 'FUT', tickSize: 0.1, lotSize: 75, expiry: '2099-01-27', strike: null },
  ]);
  await database.close();

  ticker = await KiteTickerServer.start({ acceptedTokens: ['e2e-token'] });
  publisher = setInterval(() => ticker?.publish([packet(++seq)]), 500);
  configDir = mkdtempSync(path.join(os.tmpdir(), 'options-depth-e2e-'));
  writeFileSync(
    path.join(configDir, 'collectors.yaml'),
    [
      'collectors:',
      '  - name: kite-depth',
      '    broker: kite',
      '    credentials: { apiKey: e2e_key, accessToken: e2e-token }',
      `    endpoint: ${ticker.url}`,
      '    reconnect: { baseDelaySeconds: 0.2, maxDelaySeconds: 2 }',
      '    watchdog: { silenceSeconds: 30, hours: always }',
      '    subscriptions:',
      `      - { mode: full, symbols: ["${FUTURE}"] }`,
    ].join('\n'),
  );
  host = await startHost({
    DATA_DIR: database.dataDir,
    FEED: 'simulator',
    MARKETDESK_CONFIG: path.join(configDir, 'collectors.yaml'),
    // The collector stamps ticks with the wall clock: full-day special sessions today and
    // tomorrow (IST) so its ticks form candles (and the OI pane has bars) at any hour.
    MARKET_CALENDAR_EXTRA: [0, 1].map((d) => `${istDate(Date.now() + d * 86_400_000)}@00:00-24:00`).join(','),
  });
  base = host.base;
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  expect(await pages.closeAll(), 'uncaught errors in the page').toEqual([]);
});

afterAll(async () => {
  if (publisher) clearInterval(publisher);
  await browser?.close();
  await host?.stop();
  await ticker?.close();
  await database?.destroy();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

/** The OI legend value of a chart (data-study-values), or null before the OI pane has one. */
const chartOi = async (chart: Locator): Promise<number | null> =>
  (JSON.parse((await chart.getAttribute('data-study-values')) ?? '[]') as { id: string; values: Record<string, number> }[]).find((e) => e.id === 'oi')?.values.oi ?? null;

const ltpCells = (page: Page) =>
  page.locator('[data-testid^="ltp-"]').evaluateAll((cells) => cells.map((c) => `${c.getAttribute('data-testid')}=${c.textContent ?? ''}`));

describe('live option chain, OI pane and depth ladder', () => {
  it('/options/NIFTY: LTP cells change without a reload', async () => {
    const page = await pages.newPage();
    await page.goto(`${base}/options/NIFTY`);
    await page.getByTestId('option-chain').waitFor();
    await expect.poll(async () => (await ltpCells(page)).length, { timeout: 30_000 }).toBeGreaterThan(20);
    const first = await ltpCells(page);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    // Some contract trades and its cell shows the new price (the same page, no navigation).
    await expect
      .poll(async () => (await ltpCells(page)).filter((cell, i) => cell !== first[i]).length, { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect(navigations).toBe(0);
  });

  it("/options/NIFTY: the ATM call's LTP opens that contract's chart, with candles and its OI pane", async () => {
    const page = await pages.newPage();
    await page.goto(`${base}/options/NIFTY`);
    await page.getByTestId('option-chain').waitFor();
    const atm = page.locator('tr[data-atm] [data-testid^="chart-CE-"]');
    await atm.waitFor({ timeout: 30_000 });
    const contract = decodeURIComponent((await atm.getAttribute('href'))!.replace('/chart/', ''));
    expect(contract).toMatch(/^NFO:NIFTY\w+CE$/);
    await atm.click();
    await page.waitForURL(`${base}/chart/${encodeURIComponent(contract)}`);
    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    const oiNow = () => chartOi(chart);
    await expect.poll(oiNow, { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => Number(await chart.getAttribute('data-candles')), { timeout: 60_000 }).toBeGreaterThan(0);
  });

  it(`${FUTURE}: the OI pane follows the live candle and the depth ladder updates with every tick`, async () => {
    const page = await pages.newPage();
    await page.goto(`${base}/chart/${encodeURIComponent(FUTURE)}`);
    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');

    // Depth: the streamed 5 levels, then newer ones.
    const ladder = page.getByTestId('depth-ladder');
    await ladder.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('depth-bid-4').textContent(), { timeout: 30_000 }).toMatch(/\d/);
    const updated = await ladder.getAttribute('data-updated');
    const bid = await page.getByTestId('depth-bid-0').textContent();
    await expect.poll(() => ladder.getAttribute('data-updated'), { timeout: 30_000 }).not.toBe(updated);
    await expect.poll(() => page.getByTestId('depth-bid-0').textContent(), { timeout: 30_000 }).not.toBe(bid);

    // OI pane: its legend entry carries the live candle's OI, which rises with every packet.
    const oiNow = () => chartOi(chart);
    await expect.poll(oiNow, { timeout: 60_000 }).toBeGreaterThan(1_000_000);
    const oi = (await oiNow())!;
    await expect.poll(oiNow, { timeout: 60_000 }).toBeGreaterThan(oi);
  });

  it('/collectors: "Subscribe chain" subscribes the NIFTY chain, the index and its future on the Kite socket', async () => {
    const page = await pages.newPage();
    await page.goto(`${base}/collectors`);
    const form = page.getByTestId('chain-form-kite-depth');
    await form.waitFor({ timeout: 30_000 });
    await expect.poll(() => ticker!.open()[0]?.subscriptions.size, { timeout: 30_000 }).toBe(1); // the future of the config file
    await form.getByLabel('Underlying').fill('NIFTY');
    await form.getByLabel('Strikes each side of ATM').fill('3');
    await form.getByRole('button', { name: 'Subscribe chain' }).click();
    // The simulator's NIFTY chain (instruments master) around the index's last tick: 7 strikes × CE/PE, the index, its future.
    await expect.poll(() => page.getByTestId('chain-result-kite-depth').textContent(), { timeout: 30_000 }).toMatch(/^NIFTY \d{4}-\d{2}-\d{2}: ATM \d+ .*7 strikes, 16 instruments \(16 new\)$/);
    // Kite subscribes in quote mode and sets full mode in a second frame: wait for both.
    const modes = () => [...ticker!.open()[0].subscriptions.values()];
    await expect.poll(() => modes().length === 17 && modes().every((mode) => mode === 'full'), { timeout: 30_000 }).toBe(true);
    // A bad underlying: the API's message, naming the field, on the page.
    await form.getByLabel('Underlying').fill('NOSUCH');
    await form.getByRole('button', { name: 'Subscribe chain' }).click();
    await expect.poll(() => page.getByTestId('chain-result-kite-depth').textContent(), { timeout: 30_000 }).toMatch(/^body\.underlying: /);
  });

  it('studies are remembered per account: a choice made in one browser shows in another (last: turns sign-in on)', async () => {
    const email = 'trader@example.com';
    const password = 'trader password 12';
    const chartUrl = `${base}/chart/${encodeURIComponent(FUTURE)}`;
    const dataStudies = (page: Page) => page.getByTestId('chart').getAttribute('data-studies');
    // The local desk (no account yet): the server keeps nothing; the choice lives in the browser.
    expect(await (await fetch(`${base}/api/me/chart-prefs`)).json()).toEqual({ scope: 'browser', prefs: null });
    // The local admin creates an account: sign-in is required from now on.
    const created = await fetch(`${base}/api/auth/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email, password, role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    // "No account yet" is believed for up to 2 s (lib/auth/users.ts): wait until sign-in is required.
    await expect.poll(async () => (await fetch(`${base}/api/me/chart-prefs`)).status, { timeout: 15_000 }).toBe(401);
    const signedIn = async () => {
      const page = await pages.newPage(); // a fresh context: empty localStorage, no cookie
      await page.goto(chartUrl);
      await page.waitForURL((url) => url.pathname === '/login');
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((url) => url.pathname.startsWith('/chart/'));
      await expect.poll(() => page.getByTestId('chart').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
      return page;
    };

    const first = await signedIn();
    expect(await dataStudies(first)).toBe('vwap,sma:20'); // the defaults (components/chart/studies/prefs.ts)
    await first.getByTestId('studies-button').click();
    const saved = first.waitForResponse((r) => r.url().endsWith('/api/me/chart-prefs') && r.request().method() === 'PUT');
    await first.getByTestId('study-add-rsi').click();
    expect((await saved).status()).toBe(200);

    const second = await signedIn();
    await expect.poll(() => dataStudies(second), { timeout: 30_000 }).toBe('vwap,sma:20,rsi:14');
  });
});
