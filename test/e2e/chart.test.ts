/**
 * Browser end-to-end: the built app served by the single-process host (embedded TimescaleDB,
 * simulator feed) on a free port, driven by Chromium through playwright-core.
 *
 * Needs `.next` (built by the test command or test/e2e/global-setup.ts) and a Chromium binary
 * (CHROMIUM_PATH, default /usr/bin/chromium; `apt-get install -y chromium`).

 * (Host and browser handling: test/support/browser-harness.ts.)
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDesk } from '../support/browser-desk';

const desk = useBrowserDesk({ env: (dataDir) => ({ DATA_DIR: dataDir, FEED: 'simulator' }) });
const pages = desk.pages;
const newPage = () => pages.newPage();
const attribute = (page: Page, name: string) => page.getByTestId('chart').getAttribute(name);

describe('chart page', () => {
  it('draws candles, applies live updates and reloads on a timeframe switch', async () => {
    const page = await newPage();
    await page.goto(`${desk.base}/chart/NSE%3AINFY`);
    await expect(page.getByTestId('chart-symbol').textContent()).resolves.toBe('INFY');

    await expect.poll(() => attribute(page, 'data-state'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(() => attribute(page, 'data-timeframe')).toBe('1m');
    await expect
      .poll(async () => Number(await attribute(page, 'data-candles')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="chart"] canvas').count()).toBeGreaterThan(0);

    // A live candle update arrives over Socket.IO and is applied to the chart.
    await expect.poll(() => attribute(page, 'data-last-update'), { timeout: 30_000 }).not.toBeNull();
    const firstUpdate = await attribute(page, 'data-last-update');
    await expect.poll(() => attribute(page, 'data-last-update'), { timeout: 30_000 }).not.toBe(firstUpdate);
    await expect(page.getByTestId('chart-ltp').textContent()).resolves.toMatch(/\d/);

    // Switch to 5m: history is fetched again for 5m and live 5m candles keep coming.
    const history = page.waitForResponse(
      (response) => response.url().includes('/api/candles?') && response.url().includes('timeframe=5m'),
    );
    await page.getByTestId('tf-5m').click();
    expect((await history).status()).toBe(200);
    await expect.poll(() => attribute(page, 'data-timeframe')).toBe('5m');
    await expect.poll(() => attribute(page, 'data-state'), { timeout: 30_000 }).toBe('ready');
    await expect
      .poll(async () => Number(await attribute(page, 'data-candles')), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('tf-5m').getAttribute('aria-pressed')).toBe('true');
    const switchedAt = Date.now();
    await expect
      .poll(async () => Number(await attribute(page, 'data-last-update')), { timeout: 30_000 })
      .toBeGreaterThan(switchedAt);
    expect(new URL(page.url()).searchParams.get('tf')).toBe('5m');
  });

  it('accepts an encoded symbol with a space and labels time in IST', async () => {
    const page = await newPage();
    await page.goto(`${desk.base}/chart/NSE%3ANIFTY%2050`);
    await expect(page.getByTestId('chart-symbol').textContent()).resolves.toBe('NIFTY 50');
    await expect.poll(() => attribute(page, 'data-state'), { timeout: 30_000 }).toBe('ready');
    await expect(page.getByTestId('ist-clock').textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} IST$/);
  });

  it('shows a friendly message for an unknown symbol', async () => {
    const page = await newPage();
    await page.goto(`${desk.base}/chart/NSE%3ANOSUCHSYMBOL`);
    await expect(page.getByTestId('chart-message').textContent()).resolves.toContain('Unknown symbol NSE:NOSUCHSYMBOL');
    expect(await page.getByTestId('chart').count()).toBe(0);
  });
});

describe('home page', () => {
  it('lists live prices and a row opens its chart', async () => {
    const page = await newPage();
    await page.goto(`${desk.base}/`);
    const rows = page.getByTestId('quote-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(1);
    await expect(rows.first().getByTestId('quote-ltp').textContent()).resolves.toMatch(/^\d[\d,]*\.\d{2}$/);
    await expect
      .poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('live');

    const infy = page.locator('[data-testid="quote-row"][data-symbol="NSE:INFY"]');
    await infy.getByTestId('quote-link').click();
    await page.waitForURL(/\/chart\/NSE(%3A|:)INFY$/);
    await expect(page.getByTestId('chart-symbol').textContent()).resolves.toBe('INFY');
    await expect.poll(() => attribute(page, 'data-state'), { timeout: 30_000 }).toBe('ready');
  });
});

describe('JSON API', () => {
  it('validates queries and reports unknown symbols', async () => {
    const missing = await fetch(`${desk.base}/api/candles`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { code: 'invalid_request', message: 'query.symbol: required' } });

    const unknown = await fetch(`${desk.base}/api/candles?symbol=NSE:XYZ`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'Unknown symbol NSE:XYZ' } });

    const candles = await fetch(`${desk.base}/api/candles?symbol=${encodeURIComponent('NSE:NIFTY 50')}&timeframe=5m`);
    expect(candles.status).toBe(200);
    const body = (await candles.json()) as { symbol: string; timeframe: string; candles: unknown[] };
    expect(body).toMatchObject({ symbol: 'NSE:NIFTY 50', timeframe: '5m' });
    expect(Array.isArray(body.candles)).toBe(true);

    const search = (await (await fetch(`${desk.base}/api/instruments?q=INFY`)).json()) as {
      instruments: { exchange: string; tradingsymbol: string }[];
    };
    expect(search.instruments[0]).toMatchObject({ exchange: 'NSE', tradingsymbol: 'INFY' });
  });
});
