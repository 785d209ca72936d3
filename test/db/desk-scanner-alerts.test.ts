/**
 * The scanner warm-started from stored candles on the embedded TimescaleDB, and the alert
 * engine firing, storing, cooling down and delivering to a real local webhook server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { createAlert, getAlert, listAlertEvents } from '@/lib/db/queries/alerts';
import { createWatchlist } from '@/lib/db/queries/watchlists';
import type { AlertEvent } from '@/lib/market/alerts';
import { parseIstLocal } from '@/lib/market/session';
import type { Tick } from '@/lib/market/tick';
import { AlertEngine } from '@/worker/alerts/engine';
import { Scanner } from '@/worker/scanner/scanner';
import { equity, seedSessions } from '../support/desk-history';
import { makeTick } from '../support/ticks';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const TODAY = '2026-03-10'; // a Tuesday
const at = (hhmmss: string) => parseIstLocal(`${TODAY} ${hhmmss}`);
const INFY = equity(408065, 'INFY');
const TCS = equity(2953217, 'TCS');

function tick(instrument: typeof INFY, time: number, ltp: number, volume: number): Tick {
  return makeTick({ instrumentToken: instrument.instrumentToken, tradingsymbol: instrument.tradingsymbol, exchangeTime: time, ltp, volume });
}

/** The test's webhook receiver listens on 127.0.0.1, which the SSRF policy refuses by default (test/db/alert-security.test.ts). */
const LOCAL_RECEIVER = { allowsAddress: () => true, allowsName: () => true };

describeEachBackend('scanner and alerts', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;
  let scanner: Scanner;
  let webhook: http.Server;
  let webhookUrl = '';
  const received: unknown[] = [];
  let failFirst = true;

  beforeAll(async () => {
    db = database.db;
    // 20 sessions of history: 1,000 shares a minute, last close ₹1,000.
    await seedSessions(db, { instruments: [INFY, TCS], today: at('09:15:00'), sessions: 20, close: 1000, minuteVolume: 1000 });
    scanner = new Scanner({ db });
    webhook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body));
        // The first delivery fails with a 503: the engine must retry.
        res.writeHead(failFirst ? 503 : 200).end();
        failFirst = false;
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await scanner.stop();
    webhook.close();
  });

  it('is valid at the first tick: previous close, indicators and volume for the time of day come from history', async () => {
    scanner.onTicks([tick(INFY, at('09:15:05'), 1005, 500), tick(TCS, at('09:15:05'), 998, 400)]);
    await scanner.warmPending();
    expect(scanner.warmed).toBe(2);
    const row = scanner.row(INFY.instrumentToken, '1d')!;
    expect(row.prevClose).toBe(1000);
    expect(row.dayChangePct).toBeCloseTo(0.5, 10);
    expect(row.rsi).not.toBeNull(); // 20 daily closes ≥ 15
    expect(row.rangeHigh).not.toBeNull(); // 20-session range
    // Intraday timeframes have their last 100 candles at once.
    const m1 = scanner.row(INFY.instrumentToken, '1m')!;
    expect(m1.rsi).not.toBeNull();
    expect(m1.macd).not.toBeNull();
    expect(m1.sma50).not.toBeNull();
    // 500 shares in the first minute vs a usual 1,000.
    expect(row.volumeRatio).toBeCloseTo(0.5, 10);
  });

  it('ranks a surging instrument first among gainers and unusual volume', () => {
    scanner.onTicks([tick(TCS, at('09:20:10'), 1003, 6000), tick(INFY, at('09:20:10'), 1080, 30_000)]);
    const gainers = scanner.scan({ preset: 'top_gainers', timeframe: '1d', limit: 10 });
    expect(gainers.rows.map((r) => r.symbol)).toEqual(['NSE:INFY', 'NSE:TCS']);
    expect(gainers.rows[0].dayChangePct).toBeCloseTo(8, 10);
    const unusual = scanner.scan({ preset: 'unusual_volume', timeframe: '1d', limit: 10 });
    expect(unusual.rows.map((r) => r.symbol)).toEqual(['NSE:INFY']);
    expect(unusual.rows[0].volumeRatio).toBeCloseTo(30_000 / 6000, 10);
    expect(scanner.scan({ preset: 'all', timeframe: '1d', limit: 1, symbols: ['NSE:TCS'] }).rows[0].symbol).toBe('NSE:TCS');
  });

  it('fires, stores, disables one-shot alerts, cools down repeating ones and delivers webhooks with retries', async () => {
    await createWatchlist(db, 'Pair', ['NSE:INFY', 'NSE:TCS']);
    const oneShot = await createAlert(db, {
      name: 'INFY up 5%',
      condition: { type: 'change_pct', op: 'above', value: 5 },
      target: { kind: 'symbol', value: 'NSE:INFY' },
      repeat: false,
      cooldownSec: 0,
      webhookUrl,
      enabled: true,
    });
    const repeating = await createAlert(db, {
      name: 'Pair volume',
      condition: { type: 'volume_spike', ratio: 1, timeframe: '1d' },
      target: { kind: 'watchlist', value: 'Pair' },
      repeat: true,
      cooldownSec: 60,
      webhookUrl: null,
      enabled: true,
    });
    let now = Date.parse('2026-03-10T03:51:00Z');
    const emitted: AlertEvent[] = [];
    const engine = new AlertEngine({ db, scanner, emit: (e) => emitted.push(e), now: () => now, webhook: { backoffMs: 10, destinations: LOCAL_RECEIVER } });

    const first = await engine.evaluate();
    // INFY +8% fires the one-shot; both instruments are at ≥ 1× usual volume (INFY 5×, TCS exactly 1×).
    expect(first.map((e) => `${e.alertName}|${e.symbol}`).sort()).toEqual(['INFY up 5%|NSE:INFY', 'Pair volume|NSE:INFY', 'Pair volume|NSE:TCS']);
    expect(emitted).toEqual(first);
    expect(first.find((e) => e.alertName === 'INFY up 5%')!.value).toBeCloseTo(8, 10);
    expect((await getAlert(db, oneShot.id))!.enabled).toBe(false);

    now += 30_000;
    expect(await engine.evaluate()).toEqual([]); // one-shot done, repeating in cooldown
    now += 31_000;
    expect((await engine.evaluate()).map((e) => e.symbol).sort()).toEqual(['NSE:INFY', 'NSE:TCS']);

    const history = await listAlertEvents(db);
    expect(history).toHaveLength(5);
    expect(history.filter((e) => e.alertId === repeating.id)).toHaveLength(4);

    await engine.stop(); // waits for the webhook delivery
    const [oneShotEvent] = await listAlertEvents(db, { alertId: oneShot.id });
    expect(oneShotEvent.webhookStatus).toBe('delivered (HTTP 200, attempt 2)');
    expect(received).toHaveLength(2);
    expect(received[1]).toMatchObject({ alert: { id: oneShot.id, name: 'INFY up 5%' }, event: { symbol: 'NSE:INFY' } });
  });
});
