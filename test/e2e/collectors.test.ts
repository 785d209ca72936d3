/**
 * End to end with a Kite collector: the built app on the single-process host (embedded
 * TimescaleDB, FEED=collectors) reads a YAML config (MARKETDESK_CONFIG) whose collector points
 * the real KiteConnect at a local REST server (instruments master from
 * ../shared/data/kite-instruments) and the real KiteTicker at the local ticker server. This test
 * publishes 500 NSE equities in full/quote mode every 500 ms and checks: the collectors API and
 * page, /api/metrics, the chart's live updates, stop/start from the page, and token expiry →
 * a new token typed into the page resumes it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { istDate } from '@/lib/market/session';
import type { CollectorDetail, CollectorSnapshot } from '@/worker/collectors/types';
import { checkBrowserPrerequisites, launchChromium, startHost, type HostProcess } from '../support/browser-harness';
import type { KitePacketValues } from '../support/kite-packets';
import { startKiteRestServer, type KiteRestServer } from '../support/kite-rest-server';
import { KiteTickerServer } from '../support/kite-ticker-server';
import { sharedFile } from '../support/shared-data';

const INSTRUMENTS = sharedFile('kite-instruments/instruments_nse_2025-07-03.csv');

interface Row {
  instrument_token: string;
  tradingsymbol: string;
  segment: string;
}

let host: HostProcess | undefined;
let dataDir = '';
let base = '';
let browser: Browser | undefined;
let ticker: KiteTickerServer | undefined;
let rest: KiteRestServer | undefined;
let publisher: NodeJS.Timeout | undefined;
let rows: Row[] = [];
let seq = 0;
/** Not published: must show as "never ticked". */
const SILENT_SYMBOL = 'NSE:INFY';

const priceOf = (token: number, n: number) => Math.round((1000 + (token % 997) + n * 0.05) * 100) / 100;

async function api<T>(pathname: string): Promise<T> {
  const response = await fetch(`${base}${pathname}`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${pathname}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const collector = async () => (await api<{ collectors: CollectorSnapshot[] }>('/api/collectors')).collectors[0];

describe.skipIf(!INSTRUMENTS.exists)(`Kite collector end to end${INSTRUMENTS.skipNote}`, () => {
  beforeAll(async () => {
    checkBrowserPrerequisites();
    const csv = readFileSync(INSTRUMENTS.path, 'utf8');
    const all = parse(csv, { columns: true, skip_empty_lines: true }) as Row[];
    const equities = all.filter((r) => r.segment === 'NSE' && /^[A-Z&]+$/.test(r.tradingsymbol));
    const wanted = ['RELIANCE', 'INFY', 'TCS', 'HDFCBANK'];
    rows = [...equities.filter((r) => wanted.includes(r.tradingsymbol)), ...equities.filter((r) => !wanted.includes(r.tradingsymbol)).slice(0, 496)];
    expect(rows).toHaveLength(500);

    ticker = await KiteTickerServer.start({ acceptedTokens: ['token-day-1'] });
    rest = await startKiteRestServer({ requestsPerSecond: 10 });
    rest.route({ name: 'instruments', method: 'GET', pattern: '/instruments', handle: () => ({ status: 200, contentType: 'text/csv', body: csv }) });

    dataDir = mkdtempSync(path.join(os.tmpdir(), 'brokers-e2e-'));
    const symbols = rows.map((r) => `NSE:${r.tradingsymbol}`);
    const config = [
      'collectors:',
      '  - name: kite-e2e',
      '    broker: kite',
      '    credentials: { apiKey: "${E2E_KITE_KEY}", accessToken: "${E2E_KITE_TOKEN}" }',
      `    endpoint: ${ticker.url}`,
      `    rest: { endpoint: "${rest.url}" }`,
      '    reconnect: { baseDelaySeconds: 0.2, maxDelaySeconds: 2 }',
      '    watchdog: { silenceSeconds: 5, hours: always }',
      '    liveness: { neverTickedSeconds: 2 }',
      '    subscriptions:',
      `      - { mode: full, symbols: ${JSON.stringify(symbols.slice(0, 300))} }`,
      `      - { mode: quote, symbols: ${JSON.stringify(symbols.slice(300))} }`,
    ].join('\n');
    writeFileSync(path.join(dataDir, 'collectors.yaml'), config);

    publisher = setInterval(() => {
      seq += 1;
      const now = Math.floor(Date.now() / 1000) * 1000;
      const values: KitePacketValues[] = rows
        .filter((r) => `NSE:${r.tradingsymbol}` !== SILENT_SYMBOL)
        .map((r) => {
          const token = Number(r.instrument_token);
          const ltp = priceOf(token, seq);
          return {
            instrument_token: token,
            last_price: ltp,
            last_traded_quantity: 1,
            average_traded_price: ltp,
            volume_traded: 10_000 + seq * 25,
            ohlc: { open: priceOf(token, 0), high: ltp, low: priceOf(token, 0), close: priceOf(token, 0) - 1 },
            last_trade_time: now,
            exchange_timestamp: now,
            depth: { buy: [{ price: ltp - 0.05, quantity: 10, orders: 1 }], sell: [{ price: ltp + 0.05, quantity: 10, orders: 1 }] },
          };
        });
      ticker?.publish(values);
    }, 500);

    host = await startHost(
      {
        DATA_DIR: path.join(dataDir, 'db'),
        FEED: 'collectors',
        MARKETDESK_CONFIG: path.join(dataDir, 'collectors.yaml'),
        // The collector stamps ticks with the wall clock: declare today and tomorrow (IST) full-day
        // special sessions so those ticks are inside the equity session and form candles at any hour.
        MARKET_CALENDAR_EXTRA: [0, 1].map((d) => `${istDate(Date.now() + d * 86_400_000)}@00:00-24:00`).join(','),
        E2E_KITE_KEY: 'e2e_api_key',
        E2E_KITE_TOKEN: 'token-day-1',
      },
      150_000,
    );
    base = host.base;
    browser = await launchChromium();
  });

  afterAll(async () => {
    if (publisher) clearInterval(publisher);
    await browser?.close();
    await host?.stop();
    await ticker?.close();
    await rest?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('syncs instruments over REST, streams 500 instruments into the pipeline and reports them', async () => {
    expect(rest!.requests.byRoute.get('instruments')).toBe(1);
    await expect.poll(async () => (await collector()).state, { timeout: 30_000 }).toBe('live');
    const first = await collector();
    expect(first).toMatchObject({ name: 'kite-e2e', broker: 'kite', instruments: 500, modes: { full: 300, quote: 200, ltp: 0 }, apiKey: '*******_key' });
    await expect.poll(async () => (await collector()).metrics.ticksReceived, { timeout: 30_000 }).toBeGreaterThan(499 * 4);
    const conn = ticker!.open()[0];
    expect(conn.subscriptions.size).toBe(500);
    expect(conn.apiKey).toBe('e2e_api_key');

    const detail = (await api<{ collector: CollectorDetail }>('/api/collectors/kite-e2e')).collector;
    const infy = detail.instrumentStatus.find((s) => s.symbol === SILENT_SYMBOL)!;
    const reliance = detail.instrumentStatus.find((s) => s.symbol === 'NSE:RELIANCE')!;
    expect(infy.status).toBe('never_ticked');
    expect(reliance).toMatchObject({ status: 'live', mode: 'full' });
    expect(detail.neverTicked).toBe(1);

    // Ticks reached the database (quotes come from stored ticks) with the published prices.
    const relianceToken = Number(rows.find((r) => r.tradingsymbol === 'RELIANCE')!.instrument_token);
    await expect
      .poll(async () => {
        const { quotes } = await api<{ quotes: { tradingsymbol: string; ltp: number }[] }>('/api/quotes');
        const q = quotes.find((x) => x.tradingsymbol === 'RELIANCE');
        return q ? Math.abs(q.ltp - priceOf(relianceToken, seq)) < 0.05 * 10 : false;
      }, { timeout: 30_000 })
      .toBe(true);

    const metrics = await (await fetch(`${base}/api/metrics`)).text();
    expect(metrics).toMatch(/marketdesk_collector_state\{collector="kite-e2e",broker="kite",state="live"\} 1/);
    const received = Number(/marketdesk_collector_ticks_received_total\{collector="kite-e2e"\} (\d+)/.exec(metrics)?.[1]);
    expect(received).toBeGreaterThan(1000);
    expect(Number(/marketdesk_pipeline_ticks_written_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/marketdesk_collector_instruments_never_ticked\{collector="kite-e2e"\} 1/);
  });

  it('the chart follows the collector live', async () => {
    const page = await browser!.newContext().then((c) => c.newPage());
    await page.goto(`${base}/chart/NSE%3ARELIANCE`);
    const chart = page.getByTestId('chart');
    await expect.poll(() => chart.getAttribute('data-last-update'), { timeout: 30_000 }).not.toBeNull();
    const relianceToken = Number(rows.find((r) => r.tradingsymbol === 'RELIANCE')!.instrument_token);
    await expect
      .poll(async () => {
        const text = (await page.getByTestId('chart-ltp').textContent()) ?? '';
        const shown = Number(text.replace(/[^\d.]/g, ''));
        return Math.abs(shown - priceOf(relianceToken, seq)) <= 0.5;
      }, { timeout: 30_000 })
      .toBe(true);
    await page.context().close();
  });

  it('the collectors page shows state and metrics, stops and starts the collector', async () => {
    const page: Page = await browser!.newContext().then((c) => c.newPage());
    await page.goto(`${base}/collectors`);
    const card = page.getByTestId('collector-kite-e2e');
    await expect.poll(() => card.getByTestId('collector-state').textContent(), { timeout: 15_000 }).toBe('live');
    await expect.poll(async () => Number((await card.getByTestId('collector-ticks').textContent())?.replace(/,/g, '')), { timeout: 15_000 }).toBeGreaterThan(1000);
    await expect(card.getByTestId('collector-never-ticked').textContent()).resolves.toBe('1');
    await card.getByRole('button', { name: 'Show instruments' }).click();
    await expect.poll(() => card.getByTestId('liveness-table').locator('tbody tr').first().textContent(), { timeout: 10_000 }).toContain('INFY');

    await card.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => card.getByTestId('collector-state').textContent(), { timeout: 10_000 }).toBe('stopped');
    await expect.poll(() => ticker!.open().length, { timeout: 10_000 }).toBe(0);
    await card.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => card.getByTestId('collector-state').textContent(), { timeout: 15_000 }).toBe('live');
    await expect.poll(() => ticker!.open()[0]?.subscriptions.size, { timeout: 10_000 }).toBe(500);
    await page.context().close();
  });

  it('token expiry shows on the page; a new token typed there resumes the collector', async () => {
    const page: Page = await browser!.newContext().then((c) => c.newPage());
    await page.goto(`${base}/collectors`);
    const card = page.getByTestId('collector-kite-e2e');
    await expect.poll(() => card.getByTestId('collector-state').textContent(), { timeout: 15_000 }).toBe('live');

    ticker!.setAcceptedTokens(['token-day-2']);
    ticker!.dropAll();
    await expect.poll(() => card.getByTestId('collector-state').textContent(), { timeout: 15_000 }).toBe('token expired');
    const health = await api<{ worker: { collectors: { name: string; state: string }[] } }>('/api/health');
    expect(health.worker.collectors).toContainEqual(expect.objectContaining({ name: 'kite-e2e', state: 'token_expired' }));
    // No retry storm: nothing is scheduled after a rejected token, and the attempt count stays.
    const attempts = ticker!.connectAttempts;
    expect((await collector()).connections.every((c) => c.nextAttemptAt === null)).toBe(true);
    expect(ticker!.connectAttempts).toBe(attempts);

    await card.locator('input[type="password"]').fill('token-day-2');
    await card.getByRole('button', { name: 'Set token' }).click();
    await expect.poll(() => card.getByTestId('collector-state').textContent(), { timeout: 15_000 }).toBe('live');
    expect(ticker!.open()[0].accessToken).toBe('token-day-2');
    const before = (await collector()).metrics.ticksReceived;
    await expect.poll(async () => (await collector()).metrics.ticksReceived, { timeout: 15_000 }).toBeGreaterThan(before + 1000);
    await page.context().close();
  });
});
