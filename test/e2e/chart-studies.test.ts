/**
 * Browser end-to-end (Chromium, simulator feed) for the chart's studies and alert lines
 * (issue 13 points 1–2): on NSE:INFY with three seeded sessions of 1m history, add RSI and EMA
 * from the studies menu, change the EMA's period, see their legend values update with the live
 * candle stream and match GET /api/indicators, the default VWAP broken at each session's end, the
 * choice remembered after a reload; then create
 * a price alert by clicking the chart, see it drawn as a line and stored by /api/alerts, and drag
 * the line to move the alert.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { istDate } from '@/lib/market/session';
import { checkBrowserPrerequisites, launchChromium, pageFactory, startHost, type HostProcess } from '../support/browser-harness';
import { equity, seedSessions } from '../support/desk-history';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let host: HostProcess | undefined;
let database: TestDatabase | undefined;
let browser: Browser | undefined;
let base = '';
const pages = pageFactory(() => browser);

const chartAttr = (page: Page, name: string) => page.getByTestId('chart').getAttribute(name);
type Legend = { id: string; values: Record<string, number> }[];
const studyValues = async (page: Page): Promise<Legend> => JSON.parse((await chartAttr(page, 'data-study-values')) ?? '[]') as Legend;
const valueOf = (legend: Legend, id: string) => legend.find((e) => e.id === id)?.values.value;

beforeAll(async () => {
  checkBrowserPrerequisites();
  // History so RSI(14) and EMA are defined from the first paint (the simulator starts empty).
  database = await createTestDatabase('embedded');
  await seedSessions(database.db, { instruments: [equity(408065, 'INFY')], today: Date.now(), sessions: 3, close: 1600, minuteVolume: 1000 });
  await database.close();
  host = await startHost({ DATA_DIR: database.dataDir, FEED: 'simulator' });
  base = host.base;
  browser = await launchChromium();
});

afterEach(async () => {
  expect(await pages.closeAll(), 'uncaught errors in the page').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await database?.destroy();
});

describe('chart studies and alert lines', () => {
  it('adds RSI and EMA, changes a period, updates them live, remembers the choice', async () => {
    const page = await pages.newPage();
    await page.goto(`${base}/chart/NSE%3AINFY`);
    await expect.poll(() => chartAttr(page, 'data-state'), { timeout: 30_000 }).toBe('ready');

    await page.getByTestId('studies-button').click();
    const indicators = page.waitForResponse((r) => r.url().includes('/api/indicators?') && r.url().includes('rsi'));
    await page.getByTestId('study-add-rsi').click();
    expect((await indicators).status()).toBe(200);
    await page.getByTestId('study-add-ema').click();
    await expect.poll(() => chartAttr(page, 'data-studies')).toBe('vwap,sma:20,rsi:14,ema:50');

    // Change the EMA's period to 20 from the menu.
    const period = page.getByTestId('study-param-ema:50-0');
    await period.fill('20');
    await period.press('Enter');
    await expect.poll(() => chartAttr(page, 'data-studies')).toBe('vwap,sma:20,rsi:14,ema:20');
    await expect.poll(() => chartAttr(page, 'data-study-state'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(async () => valueOf(await studyValues(page), 'rsi:14'), { timeout: 30_000 }).toBeTypeOf('number');
    await expect.poll(async () => valueOf(await studyValues(page), 'ema:20')).toBeTypeOf('number');
    await expect(page.getByTestId('study-legend-rsi:14').textContent()).resolves.toMatch(/RSI 14\s*\d/);

    // Live: the values move with the candle stream (the open candle's close changes).
    const before = await studyValues(page);
    await expect
      .poll(async () => valueOf(await studyValues(page), 'ema:20') !== valueOf(before, 'ema:20'), { timeout: 60_000 })
      .toBe(true);
    await expect
      .poll(async () => valueOf(await studyValues(page), 'rsi:14') !== valueOf(before, 'rsi:14'), { timeout: 60_000 })
      .toBe(true);
    const rsi = valueOf(await studyValues(page), 'rsi:14')!;
    expect(rsi).toBeGreaterThanOrEqual(0);
    expect(rsi).toBeLessThanOrEqual(100);

    // The server's series for the chart's range (the candles' default window: 3 days back, so
    // 1–3 sessions depending on the weekday and hour): one point per candle, defined once warm.
    const chartCandles = (await page.evaluate(async () => {
      const r = await fetch('/api/candles?symbol=NSE%3AINFY&timeframe=1m');
      return r.json();
    })) as { from: string; to: string; candles: { time: string; volume: number | null }[] };
    const api = (await page.evaluate(async (range) => {
      const r = await fetch(`/api/indicators?symbol=NSE%3AINFY&timeframe=1m&studies=ema:20,rsi:14&from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`);
      return r.json();
    }, chartCandles)) as { studies: { id: string; values: { time: string; value: number | null }[] }[] };
    expect(api.studies.map((s) => s.id)).toEqual(['ema:20', 'rsi:14']);
    expect(chartCandles.candles.length).toBeGreaterThan(100);
    for (const study of api.studies) {
      expect(study.values.map((v) => v.time)).toEqual(chartCandles.candles.map((c) => c.time));
      expect(study.values.slice(-100).every((v) => typeof v.value === 'number')).toBe(true);
    }

    // VWAP restarts each session and its line is not joined across sessions: one break after each
    // session but the last among the chart's candles.
    const perDay = new Map<string, number>();
    for (const c of chartCandles.candles) {
      const day = istDate(Date.parse(c.time));
      if ((c.volume ?? 0) > 0) perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    // A break after every session but the newest, unless it drew a single candle.
    const ended = [...perDay.values()].slice(0, -1).filter((count) => count >= 2).length;
    expect(perDay.size).toBeGreaterThanOrEqual(2);
    expect(JSON.parse((await chartAttr(page, 'data-study-breaks')) ?? '{}')).toEqual({ vwap: ended });

    // Remembered (localStorage) after a reload.
    await page.reload();
    await expect.poll(() => chartAttr(page, 'data-studies'), { timeout: 30_000 }).toBe('vwap,sma:20,rsi:14,ema:20');
  });

  it('creates a price alert by clicking the chart and draws it as a line', async () => {
    const page = await pages.newPage();
    await page.goto(`${base}/chart/NSE%3AINFY`);
    await expect.poll(() => chartAttr(page, 'data-state'), { timeout: 30_000 }).toBe('ready');
    const linesBefore = Number((await chartAttr(page, 'data-alert-lines')) ?? '0');

    await page.getByTestId('alert-arm').click();
    const box = (await page.getByTestId('chart').boundingBox())!;
    const created = page.waitForResponse((r) => r.url().endsWith('/api/alerts') && r.request().method() === 'POST');
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.3);
    const response = await created;
    expect(response.status()).toBe(201);
    const { alert } = (await response.json()) as { alert: { id: number; condition: { type: string; level: number }; target: { value: string } } };
    expect(alert.condition.type).toBe('price_cross');
    expect(alert.target.value).toBe('NSE:INFY');

    await expect.poll(async () => Number(await chartAttr(page, 'data-alert-lines'))).toBe(linesBefore + 1);
    expect((await chartAttr(page, 'data-alert-levels'))?.split(',').map(Number)).toContain(alert.condition.level);
    await expect(page.getByTestId('alert-message').textContent()).resolves.toMatch(/Alert set at/);

    // Drag the line 60 px down: the alert moves to a lower level (PATCH /api/alerts/{id}).
    const x = box.x + box.width * 0.5;
    const y = box.y + box.height * 0.3;
    const moved = page.waitForResponse((r) => r.url().endsWith(`/api/alerts/${alert.id}`) && r.request().method() === 'PATCH');
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, y + 30);
    await page.mouse.move(x, y + 60);
    await page.mouse.up();
    const patch = await moved;
    expect(patch.status()).toBe(200);
    const movedAlert = ((await patch.json()) as { alert: { condition: { level: number } } }).alert;
    expect(movedAlert.condition.level).toBeLessThan(alert.condition.level);
    await expect.poll(async () => (await chartAttr(page, 'data-alert-levels'))?.split(',').map(Number)).toContain(movedAlert.condition.level);
  });
});
