/**
 * The worker gateway (lib/gateway): the in-process implementation (`npm start`) and the HTTP one
 * (`npm run web` → the stand-alone worker at WORKER_URL) give the same answers.
 *
 * One worker composition (worker/composition.ts) replays a Kite capture into an embedded
 * database in this process; its ports are reached directly and over the worker's HTTP API
 * (worker/gateway-server.ts). A stand-alone worker process (worker/index.ts, its own embedded
 * database) replays the same file: its HTTP gateway ranks the same rows. The web routes
 * (/api/scanner, /api/watchlists/:name) answer alike through either registered gateway.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { createGateway, type WorkerGateway } from '@/lib/gateway';
import type { ScannerQuery, ScannerResult } from '@/lib/market/scanner';
import { clearWebRuntime, registerWebRuntime, type WebRuntime } from '@/lib/runtime/registry';
import { composeWorker, type WorkerComposition } from '@/worker/composition';
import { workerApiHandler } from '@/worker/gateway-server';
import { workerApiKey } from '@/lib/auth/worker-api-key';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { freePort, killWorkerProcesses, startWorkerProcess, waitFor, workerHealth } from '../support/worker-process';

const KITE = 'easyaccounts-tradingapp/kiteconnect_nifty_futures_ticks.csv';
const SYMBOL = 'NFO:NIFTY25DECFUT';
const withoutAsOf = ({ asOf: _asOf, ...rest }: ScannerResult) => rest; // eslint-disable-line @typescript-eslint/no-unused-vars

const SECRET = 'worker-gateway-test-secret-0123456789abcdef';
const API_KEY = workerApiKey(SECRET);

describe.skipIf(!hasSharedData(KITE))(`worker gateway: in-process and HTTP${needsSharedData(KITE)}`, () => {
  const tmp: string[] = [];
  let composition: WorkerComposition;
  let server: http.Server;
  let io: Server;
  let inProcess: WorkerGateway;
  let overHttp: WorkerGateway;
  let workerUrl: string;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-'));
    tmp.push(dir);
    const env = parseWorkerEnv({ ...process.env, DATA_DIR: dir, FEED: 'replay', REPLAY_FILE: sharedData(KITE), REPLAY_SPEED: 'max', LOG_LEVEL: 'silent', CANDLE_GRACE_MS: '0' });
    composition = await composeWorker({ env, logger: pino({ level: 'silent' }), ownerUrl: 'http://test' });
    server = http.createServer(workerApiHandler(composition.ports, pino({ level: 'silent' }), API_KEY));
    io = new Server(server, { serveClient: false });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    workerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    inProcess = createGateway({ kind: 'in-process', ports: composition.ports });
    overHttp = createGateway({ kind: 'http', url: workerUrl, apiKey: API_KEY });
    // Before the worker runs both say "starting" alike.
    expect((await inProcess.health()).feed.state).toBe('starting');
    expect((await overHttp.health()).feed.state).toBe('starting');
    await expect(inProcess.scanner.scan({ preset: 'all', timeframe: '1d', limit: 5 })).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    await expect(overHttp.scanner.scan({ preset: 'all', timeframe: '1d', limit: 5 })).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    const handle = await composition.start(io);
    await handle.feedEnded;
    await handle.pipeline.buffer.drain(); // every tick written: health stays still while compared
  });

  afterAll(async () => {
    clearWebRuntime();
    killWorkerProcesses();
    await composition?.stop(10_000, () => {
      io.close();
      server.close();
    });
    for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scanner rankings and per-symbol rows are the same', async () => {
    const query = { preset: 'all', timeframe: '1d', limit: 20 } as const;
    const direct = await inProcess.scanner.scan(query);
    expect(direct.rows.map((r) => r.symbol)).toContain(SYMBOL);
    expect(withoutAsOf(await overHttp.scanner.scan(query))).toEqual(withoutAsOf(direct));
    const rows: ScannerQuery = { preset: 'all', timeframe: '5m', limit: 1, symbols: [SYMBOL] };
    expect(withoutAsOf(await overHttp.scanner.scan(rows))).toEqual(withoutAsOf(await inProcess.scanner.scan(rows)));
  });

  it('recent candles (the worker memory behind /api/candles) are the same', async () => {
    const [row] = await composition.db.query<{ token: number | string }>(`SELECT instrument_token AS token FROM instruments WHERE exchange = 'NFO' AND tradingsymbol = 'NIFTY25DECFUT'`);
    const query = { instrumentToken: Number(row.token), timeframe: '1m' as const, from: 0, to: Number.MAX_SAFE_INTEGER };
    const direct = await inProcess.recentCandles(query);
    expect(direct?.candles.length).toBeGreaterThan(0);
    expect(direct?.generation).toEqual(expect.any(String));
    expect(await overHttp.recentCandles(query)).toEqual(direct);
  });

  it('the internal API refuses calls without the key, except /health', async () => {
    expect((await fetch(`${workerUrl}/health`)).status).toBe(200);
    for (const path of ['/metrics', '/collectors', '/scanner?preset=all&timeframe=1d&limit=1', '/candles/recent?token=1&timeframe=1m&from=0&to=1']) {
      const refused = await fetch(`${workerUrl}${path}`);
      expect(refused.status, path).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      expect((await fetch(`${workerUrl}${path}`, { headers: { authorization: `Bearer ${API_KEY}x` } })).status, path).toBe(401);
    }
    const reload = await fetch(`${workerUrl}/alerts/reload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(reload.status).toBe(401);
    expect((await fetch(`${workerUrl}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(200);
  });

  it('health, metrics and collectors are the same', async () => {
    const [a, b] = [await inProcess.health(), await overHttp.health()];
    expect(b).toEqual(a);
    expect(a.pipeline.ticksAccepted).toBeGreaterThan(0);
    const accepted = (text: string) => /^marketdesk_pipeline_ticks_accepted_total (\d+)$/m.exec(text)?.[1];
    expect(accepted((await overHttp.metrics()).body)).toBe(accepted((await inProcess.metrics()).body));
    expect(await overHttp.collectors.list()).toEqual(await inProcess.collectors.list());
    await expect(inProcess.collectors.get('nope')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(overHttp.collectors.get('nope')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('the web routes answer alike through either registered gateway', async () => {
    const { GET: scannerRoute } = await import('@/app/api/scanner/route');
    const { GET: watchlistRoute } = await import('@/app/api/watchlists/[name]/route');
    const through = async (worker: WebRuntime['worker']) => {
      registerWebRuntime({ db: composition.db, worker, realtime: 'same-origin' });
      const scan = await scannerRoute(new Request('http://web/api/scanner?preset=top_gainers&timeframe=1d&limit=10'));
      const list = await watchlistRoute(new Request('http://web/api/watchlists/TOP_GAINERS'), { params: Promise.resolve({ name: 'TOP_GAINERS' }) });
      return { scan: withoutAsOf((await scan.json()) as ScannerResult), list: await list.json() };
    };
    const direct = await through({ kind: 'in-process', ports: composition.ports });
    expect(await through({ kind: 'http', url: workerUrl, apiKey: API_KEY })).toEqual(direct);
  });

  it('a stand-alone worker on its own embedded database ranks the same rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-worker-'));
    tmp.push(dir);
    const port = await freePort();
    const worker = startWorkerProcess({ DATA_DIR: dir, AUTH_SECRET: SECRET, WORKER_PORT: String(port), REPLAY_FILE: sharedData(KITE), REPLAY_SPEED: 'max', CANDLE_GRACE_MS: '0' });
    await waitFor('the stand-alone worker to finish its replay', async () => (await workerHealth(port))?.feed.state === 'finished');
    const standalone = createGateway({ kind: 'http', url: `http://127.0.0.1:${port}`, apiKey: API_KEY });
    // Its internal API answers only the web app's key (derived from the shared session secret).
    expect((await fetch(`http://127.0.0.1:${port}/collectors`)).status).toBe(401);
    await expect(createGateway({ kind: 'http', url: `http://127.0.0.1:${port}`, apiKey: workerApiKey('x'.repeat(32)) }).scanner.scan({ preset: 'all', timeframe: '1d', limit: 1 })).rejects.toMatchObject({ status: 503 });
    const query = { preset: 'all', timeframe: '1d', limit: 20 } as const;
    const strip = (result: ScannerResult) => result.rows.map(({ symbol, ltp, prevClose, dayChangePct, dayVolume }) => ({ symbol, ltp, prevClose, dayChangePct, dayVolume }));
    const expected = strip(await inProcess.scanner.scan(query));
    // The feed can finish before its last batch reaches the scanner (it rescans on its own
    // cadence): wait for the stand-alone worker's rows to settle on the same ranking.
    await expect.poll(async () => strip(await standalone.scanner.scan(query)), { timeout: 30_000, interval: 200 }).toEqual(expected);
    expect((await standalone.health()).pipeline.ticksAccepted).toBe((await inProcess.health()).pipeline.ticksAccepted);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
