/**
 * Browser end-to-end: the built app served by the single-process host (embedded TimescaleDB,
 * simulator feed) on a free port, driven by Chromium through playwright-core.
 *
 * Needs `.next` (built by the test command or test/e2e/global-setup.ts) and a Chromium binary
 * (CHROMIUM_PATH, default /usr/bin/chromium; `apt-get install -y chromium`).
 *
 * The host runs as `node --import tsx worker/host.ts` (what `npx tsx` does, minus the wrapper
 * processes) so that the SIGTERM sent at the end reaches the host itself exactly once and it
 * shuts down gracefully.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let host: ChildProcess | undefined;
let hostExited: Promise<void> | undefined;
let hostLog = '';
let dataDir: string | undefined;
let browser: Browser | undefined;
let base = '';
const pages: Page[] = [];
const pageErrors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function logTail(): string {
  return hostLog.split('\n').slice(-30).join('\n');
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no response';
  while (Date.now() < deadline) {
    if (host?.exitCode !== null) throw new Error(`host exited with ${host?.exitCode}:\n${logTail()}`);
    try {
      const response = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`/api/health not 200 after ${timeoutMs} ms (${last}):\n${logTail()}`);
}

async function newPage(): Promise<Page> {
  // A browser time zone far from IST: the chart must still label candles in IST.
  const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'America/New_York' });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  pages.push(page);
  return page;
}

const attribute = (page: Page, name: string) => page.getByTestId('chart').getAttribute(name);

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) {
    throw new Error('No production build: run `npx next build` (or add test/e2e/global-setup.ts as globalSetup)');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'marketdesk-e2e-'));
  const { DATABASE_URL: _db, REALTIME_URL: _rt, ...env } = process.env;
  host = spawn(process.execPath, ['--import', 'tsx', 'worker/host.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, FEED: 'simulator', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hostExited = new Promise((resolve) => host!.once('exit', () => resolve()));
  host.stdout?.on('data', (chunk) => (hostLog += chunk));
  host.stderr?.on('data', (chunk) => (hostLog += chunk));

  await waitForHealth(120_000);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
  expect(pageErrors.splice(0), 'uncaught errors in the page').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  if (host && host.exitCode === null && host.pid) {
    host.kill('SIGTERM');
    const stopped = await Promise.race([
      hostExited!.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
    ]);
    if (!stopped) {
      host.kill('SIGKILL');
      await hostExited;
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('chart page', () => {
  it('draws candles, applies live updates and reloads on a timeframe switch', async () => {
    const page = await newPage();
    await page.goto(`${base}/chart/NSE%3AINFY`);
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
    await page.goto(`${base}/chart/NSE%3ANIFTY%2050`);
    await expect(page.getByTestId('chart-symbol').textContent()).resolves.toBe('NIFTY 50');
    await expect.poll(() => attribute(page, 'data-state'), { timeout: 30_000 }).toBe('ready');
    await expect(page.getByTestId('ist-clock').textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} IST$/);
  });

  it('shows a friendly message for an unknown symbol', async () => {
    const page = await newPage();
    await page.goto(`${base}/chart/NSE%3ANOSUCHSYMBOL`);
    await expect(page.getByTestId('chart-message').textContent()).resolves.toContain('Unknown symbol NSE:NOSUCHSYMBOL');
    expect(await page.getByTestId('chart').count()).toBe(0);
  });
});

describe('home page', () => {
  it('lists live prices and a row opens its chart', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
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
    const missing = await fetch(`${base}/api/candles`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { code: 'invalid_request', message: 'symbol: required' } });

    const unknown = await fetch(`${base}/api/candles?symbol=NSE:XYZ`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'Unknown symbol NSE:XYZ' } });

    const candles = await fetch(`${base}/api/candles?symbol=${encodeURIComponent('NSE:NIFTY 50')}&timeframe=5m`);
    expect(candles.status).toBe(200);
    const body = (await candles.json()) as { symbol: string; timeframe: string; candles: unknown[] };
    expect(body).toMatchObject({ symbol: 'NSE:NIFTY 50', timeframe: '5m' });
    expect(Array.isArray(body.candles)).toBe(true);

    const search = (await (await fetch(`${base}/api/instruments?q=INFY`)).json()) as {
      instruments: { exchange: string; tradingsymbol: string }[];
    };
    expect(search.instruments[0]).toMatchObject({ exchange: 'NSE', tradingsymbol: 'INFY' });
  });
});
