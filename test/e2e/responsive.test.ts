/**
 * Browser end-to-end, every page on a phone and on a desktop (issue 13 points 5 and 8): the built
 * app on the single-process host with the simulator feed and an admin account (so /login is a
 * real page and the account corner has a Sign out), one Chromium page resized between
 * 390×844 and 1440×900.
 *
 * 1. At both sizes no page scrolls horizontally (document scrollWidth ≤ window width) once its
 *    data has arrived; at 390 px the nav sits behind a menu button (links and account inside),
 *    the search box finds and opens a chart with its results on screen, tables scroll inside
 *    their own box and the heat map fits.
 * 2. Polish: /favicon.ico and /favicon.svg are served, alert conditions read in rupees with
 *    Indian grouping ("₹1,601.60"), counts are singular for one ("1 instrument"), chart dates
 *    have four-digit years, and the scanner's sort resets when the preset changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBrowserPrerequisites, launchChromium, startHost, type HostProcess } from '../support/browser-harness';

const EMAIL = 'trader@example.com';
const PASSWORD = 'a long enough password';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
/** A user list of exactly one instrument, for the singular count. */
const LIST = 'PHONE_ONE';

let host: HostProcess | undefined;
let dataDir: string | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let base = '';
const pageErrors: string[] = [];

/**
 * Every page with what shows that its data has arrived (a selector that must match), so the
 * width is measured on the filled page, not on a loading skeleton.
 */
const PAGES: { path: string; ready: string }[] = [
  { path: '/', ready: '[data-testid="heatmap-tile"]' },
  { path: '/chart/NSE:INFY', ready: '[data-testid="chart"][data-state="ready"], [data-testid="chart-last-tick"]' },
  { path: `/chart/${encodeURIComponent('NSE:NIFTY 50')}`, ready: '[data-testid="chart"][data-state="ready"], [data-testid="chart-last-tick"]' },
  { path: '/watchlists', ready: '[data-testid="watchlist-link"]' },
  { path: '/watchlists/NIFTY50', ready: '[data-testid="watchlist-row"]' },
  { path: `/watchlists/${LIST}`, ready: '[data-testid="watchlist-row"]' },
  { path: '/scanner', ready: '[data-testid="scanner-row"]' },
  { path: '/alerts', ready: '[data-testid="alert-row"]' },
  { path: '/collectors', ready: 'main h1' },
  { path: '/options/NIFTY', ready: '[data-testid="chain-scroll"] tbody tr' },
  { path: '/settings', ready: '[data-testid="token-form"]' },
  { path: '/docs', ready: 'main section[id] h3' },
];

/** The document's scroll width against the window's, after the page's data has arrived. */
async function widths(): Promise<{ scroll: number; window: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, window: window.innerWidth }));
}

/** Go to `pagePath` and wait until every selector of `ready` (comma-separated) matches. */
async function visit(pagePath: string, ready: string): Promise<void> {
  await page.goto(`${base}${pagePath}`);
  for (const selector of ready.split(', ')) await page.locator(selector).first().waitFor({ state: 'attached', timeout: 60_000 });
}

beforeAll(async () => {
  checkBrowserPrerequisites();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketdesk-responsive-e2e-'));
  host = await startHost({ DATA_DIR: dataDir, FEED: 'simulator', ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD });
  base = host.base;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: PHONE, timezoneId: 'America/New_York' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.sequential('every page at 390×844 and 1440×900', () => {
  it('signs in from a login page that fits a phone', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByTestId('login-form').waitFor();
    const { scroll, window } = await widths();
    expect(scroll, '/login at 390 px').toBeLessThanOrEqual(window);
    await page.getByTestId('login-email').fill(EMAIL);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/');

    // Fixtures through the signed-in session: a one-instrument list and a price alert.
    const list = await page.request.post(`${base}/api/watchlists`, { data: { name: LIST } });
    expect(list.status()).toBe(201);
    const items = await page.request.post(`${base}/api/watchlists/${LIST}/items`, { data: { symbols: ['NSE:INFY'] } });
    expect(items.ok()).toBe(true);
    const alert = await page.request.post(`${base}/api/alerts`, {
      data: { name: 'phone check', condition: { type: 'price_cross', level: 1601.6, direction: 'above' }, target: { kind: 'symbol', value: 'NSE:INFY' } },
    });
    expect(alert.status()).toBe(201);
  });

  for (const viewport of [PHONE, DESKTOP]) {
    it(`no page scrolls horizontally at ${viewport.width} px`, async () => {
      await page.setViewportSize(viewport);
      const overflowing: string[] = [];
      for (const { path: pagePath, ready } of PAGES) {
        await visit(pagePath, ready);
        const { scroll, window } = await widths();
        expect(window).toBe(viewport.width);
        if (scroll > window) overflowing.push(`${pagePath}: ${scroll} px wide`);
      }
      expect(overflowing).toEqual([]);
    });
  }

  it('on a phone: the nav is behind a menu button, with the account inside', async () => {
    await page.setViewportSize(PHONE);
    await visit('/', '[data-testid="heatmap-tile"]');
    const inlineNav = page.locator('header nav[aria-label="Main"]:not(#main-menu)');
    await expect(inlineNav.isVisible()).resolves.toBe(false);
    await expect(page.getByTestId('sign-out').isVisible()).resolves.toBe(false);
    const toggle = page.getByTestId('nav-toggle');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await toggle.click();
    const menu = page.locator('#main-menu');
    await menu.waitFor();
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(menu.getByRole('link').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Markets', 'Watchlists', 'Scanner', 'Options', 'Alerts', 'Collectors', 'API']),
    );
    await menu.getByTestId('sign-out').waitFor(); // the account corner reads the session first
    const box = (await menu.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    // A link navigates and closes the menu.
    await menu.getByRole('link', { name: 'Scanner' }).click();
    await page.waitForURL((url) => url.pathname === '/scanner');
    await menu.waitFor({ state: 'detached' });
  });

  it('on a phone: search finds an instrument with its results on screen and opens the chart', async () => {
    await page.setViewportSize(PHONE);
    await visit('/watchlists', '[data-testid="watchlist-link"]');
    const search = page.getByRole('combobox');
    await expect(search.isVisible()).resolves.toBe(true);
    await search.fill('INFY');
    const option = page.getByRole('option').filter({ hasText: 'INFY' }).first();
    await option.waitFor();
    const listBox = (await page.getByRole('listbox').boundingBox())!;
    expect(listBox.x).toBeGreaterThanOrEqual(0);
    expect(listBox.x + listBox.width).toBeLessThanOrEqual(PHONE.width);
    await option.click();
    await page.waitForURL((url) => decodeURIComponent(url.pathname) === '/chart/NSE:INFY');
    await expect(page.getByTestId('chart-symbol').textContent()).resolves.toBe('INFY');
  });

  it('on a phone: tables scroll inside their own box, the heat map fits', async () => {
    await page.setViewportSize(PHONE);
    await visit('/scanner', '[data-testid="scanner-row"]');
    const scanner = await page.getByTestId('scanner-table').evaluate((table) => {
      const box = table.parentElement!;
      return { overflowX: getComputedStyle(box).overflowX, table: table.scrollWidth, box: box.clientWidth, right: box.getBoundingClientRect().right };
    });
    expect(['auto', 'scroll']).toContain(scanner.overflowX);
    expect(scanner.table).toBeGreaterThan(scanner.box); // wider than the phone: it scrolls in its box
    expect(scanner.right).toBeLessThanOrEqual(PHONE.width);

    await visit('/', '[data-testid="heatmap-tile"]');
    const heatmap = await page.getByTestId('heatmap').evaluate((section) => {
      const tiles = Array.from(section.querySelectorAll('[data-testid="heatmap-tile"]')).map((tile) => tile.getBoundingClientRect());
      const box = section.getBoundingClientRect();
      return { left: box.left, right: box.right, tiles: tiles.length, outside: tiles.filter((t) => t.left < box.left - 0.5 || t.right > box.right + 0.5).length };
    });
    expect(heatmap.left).toBeGreaterThanOrEqual(0);
    expect(heatmap.right).toBeLessThanOrEqual(PHONE.width);
    expect(heatmap.tiles).toBeGreaterThan(10);
    expect(heatmap.outside).toBe(0);
  });

  it('on a desktop: the nav is inline and the menu button hidden', async () => {
    await page.setViewportSize(DESKTOP);
    await visit('/', '[data-testid="heatmap-tile"]');
    await expect(page.getByTestId('nav-toggle').isVisible()).resolves.toBe(false);
    await expect(page.locator('header nav[aria-label="Main"]').first().getByRole('link', { name: 'Scanner' }).isVisible()).resolves.toBe(true);
    await page.getByTestId('sign-out').waitFor({ state: 'visible' }); // the account corner in the header
  });
});

describe.sequential('polish', () => {
  it('serves the favicon', async () => {
    for (const [file, type] of [['/favicon.ico', /^image\//], ['/favicon.svg', /^image\/svg\+xml/]] as const) {
      const response = await fetch(`${base}${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toMatch(type);
      expect((await response.arrayBuffer()).byteLength, file).toBeGreaterThan(100);
    }
    // Pages link both; fetched without a session above, so the login page can show them too.
    const icons = await page.locator('head link[rel="icon"]').evaluateAll((links) => links.map((l) => new URL((l as HTMLLinkElement).href).pathname));
    expect(icons).toEqual(expect.arrayContaining(['/favicon.svg', '/favicon.ico']));
  });

  it('shows alert levels in rupees with Indian grouping and two decimals', async () => {
    await visit('/alerts', '[data-testid="alert-row"]');
    await expect(page.locator('[data-testid="alert-row"][data-alert="phone check"]').textContent()).resolves.toContain('LTP crosses above ₹1,601.60');
  });

  it('says "1 instrument" for a list of one', async () => {
    await visit('/watchlists', '[data-testid="watchlist-link"]');
    const link = page.getByTestId('watchlist-link').filter({ hasText: LIST });
    await expect(link.textContent()).resolves.toMatch(/1 instrument(?!s)/);
    await visit(`/watchlists/${LIST}`, '[data-testid="watchlist-row"]');
    await expect(page.locator('main').textContent()).resolves.toMatch(/· 1 instrument ·/);
  });

  it('shows chart dates with four-digit years', async () => {
    await page.setViewportSize(DESKTOP);
    await visit('/chart/NSE:INFY', '[data-testid="chart"][data-state="ready"]');
    // The legend shows the latest candle's time, e.g. "Tue, 01 Dec 2026, 10:15".
    await expect.poll(() => page.getByTestId('chart-legend').textContent()).toMatch(/\b\d{2} [A-Z][a-z]{2} 20\d\d(?!\d)/);
    await page.getByTestId('tf-1d').click();
    await page.locator('[data-testid="chart"][data-timeframe="1d"][data-state="ready"]').waitFor();
    await expect.poll(() => page.getByTestId('chart-legend').textContent()).toMatch(/\b\d{2} [A-Z][a-z]{2} 20\d\d(?!\d)/);
  });

  it('resets the scanner sort when the preset changes', async () => {
    await visit('/scanner', '[data-testid="scanner-row"]');
    const ltpHeader = page.locator('th').filter({ has: page.getByTestId('scanner-sort-ltp') });
    await page.getByTestId('scanner-sort-ltp').click();
    await expect(ltpHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await page.getByTestId('scanner-preset-top_gainers').click();
    await expect(ltpHeader.getAttribute('aria-sort')).resolves.toBeNull();
    await expect(page.locator('th').filter({ has: page.getByTestId('scanner-sort-rank') }).getAttribute('aria-sort')).resolves.toBe('ascending');
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
