/**
 * One-step option chain subscription (issue 13 point 6): POST /api/collectors/{name}/subscribe-chain
 * through the real route handler, the web's HTTP gateway, the worker's /collectors endpoints and
 * a real Kite collector on the local ticker server (test/support/kite-ticker-server.ts), with the
 * instruments master and the spot's last tick in the database (both backends; the worker's
 * resolver reads the same database). Checks which tokens the Kite socket is subscribed to, in
 * which mode, and the 400s naming body fields.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { writeTicks } from '@/lib/db/queries/ticks';
import type { Instrument } from '@/lib/market/instrument';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { serveCollectors } from '@/worker/collectors/http-api';
import { databaseResolver } from '@/worker/collectors/instrument-resolver';
import { CollectorManager } from '@/worker/collectors/manager';
import { kiteTickerStream } from '@/worker/sources/kite/ticker-stream';
import { waitFor } from '../support/collector-fixtures';
import { KiteTickerServer } from '../support/kite-ticker-server';
import { makeTick } from '../support/ticks';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const NEAR = '2099-01-06';
const FAR = '2099-01-13';
const EXPIRED = '2020-01-07';
const STRIKES = Array.from({ length: 41 }, (_, i) => 25_000 + 50 * i); // 25000 … 27000

let next = 10_000;
const option = (expiry: string, strike: number, side: 'CE' | 'PE'): Instrument => ({
  instrumentToken: (next++ << 8) | 3,
  exchange: 'NFO',
  tradingsymbol: `NIFTY${expiry.replaceAll('-', '')}${strike}${side}`,
  name: 'NIFTY',
  segment: 'NFO-OPT',
  instrumentType: side,
  tickSize: 0.05,
  lotSize: 75,
  expiry,
  strike,
});
const INDEX: Instrument = { instrumentToken: 256265, exchange: 'NSE', tradingsymbol: 'NIFTY 50', name: 'NIFTY 50', segment: 'INDICES', instrumentType: 'EQ', tickSize: 0, lotSize: 0, expiry: null, strike: null };
const future = (token: number, tradingsymbol: string, expiry: string): Instrument => ({
  instrumentToken: token, exchange: 'NFO', tradingsymbol, name: 'NIFTY', segment: 'NFO-FUT', instrumentType: 'FUT', tickSize: 0.1, lotSize: 75, expiry, strike: null,
});
const FUTURES = [future(9_001, 'NIFTY20JANFUT', EXPIRED), future(9_002, 'NIFTY99JANFUT', '2099-01-27'), future(9_003, 'NIFTY99FEBFUT', '2099-02-24')];
const OPTIONS = [EXPIRED, NEAR, FAR].flatMap((expiry) => STRIKES.flatMap((strike) => [option(expiry, strike, 'CE'), option(expiry, strike, 'PE')]));
const tokenOf = (expiry: string, strike: number, side: 'CE' | 'PE') => OPTIONS.find((o) => o.expiry === expiry && o.strike === strike && o.instrumentType === side)!.instrumentToken;

describeEachBackend('subscribe an option chain in one step', (backend) => {
  const database = useTestDatabase(backend);
  let ticker: KiteTickerServer;
  let manager: CollectorManager;
  let worker: http.Server;
  let subscribeChain: Handler;
  let create: Handler;

  const call = async (handler: Handler, name: string | undefined, body: unknown) => {
    const response = await handler(new Request('http://web.local/api/collectors', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), {
      params: Promise.resolve<Record<string, string>>(name ? { name } : {}),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only loose JSON access
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    const db = database.db;
    await upsertInstruments(db, [INDEX, ...FUTURES, ...OPTIONS]);
    // Spot: the index's last stored tick, 26,030 (ATM 26,050, not the older 25,480).
    await writeTicks(db, [
      { ...makeTick({ instrumentToken: 256265, tradingsymbol: 'NIFTY 50', exchangeTime: Date.now() - 120_000, ltp: 25_480, volume: 0 }), seq: 0 },
      { ...makeTick({ instrumentToken: 256265, tradingsymbol: 'NIFTY 50', exchangeTime: Date.now() - 60_000, ltp: 26_030, volume: 0 }), seq: 0 },
    ]);
    ticker = await KiteTickerServer.start({ acceptedTokens: ['t1'] });
    const localKite = {
      ...kiteTickerStream,
      connect: (options: Parameters<typeof kiteTickerStream.connect>[0], events: Parameters<typeof kiteTickerStream.connect>[1]) =>
        kiteTickerStream.connect({ ...options, endpoint: ticker.url }, events),
    };
    manager = new CollectorManager({ streams: { kite: localKite }, resolver: databaseResolver(db) });
    worker = http.createServer((req, res) => {
      void serveCollectors(req, res, manager).then((served) => {
        if (!served) res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => worker.listen(0, '127.0.0.1', r));
    registerWebRuntime({ db, worker: { kind: 'http', url: `http://127.0.0.1:${(worker.address() as AddressInfo).port}` }, realtime: 'same-origin' });
    subscribeChain = (await import('@/app/api/collectors/[name]/subscribe-chain/route')).POST as Handler;
    create = (await import('@/app/api/collectors/route')).POST as Handler;
    const created = await call(create, undefined, {
      name: 'chain',
      broker: 'kite',
      credentials: { apiKey: 'key-1', accessToken: 't1' },
      reconnect: { baseDelaySeconds: 0.1, maxDelaySeconds: 1 },
      watchdog: { silenceSeconds: 30, hours: 'always' },
      subscriptions: [],
    });
    expect(created.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await manager?.stopAll();
    await ticker?.close();
    await new Promise<void>((r) => (worker ? worker.close(() => r()) : r()));
  });

  it('NIFTY, nearest expiry, 10 strikes each side: 42 contracts + the index + its nearest future, in full mode', async () => {
    const answer = await call(subscribeChain, 'chain', { underlying: 'nifty', strikes: 10 });
    expect(answer.status).toBe(200);
    const expected = STRIKES.filter((k) => k >= 25_550 && k <= 26_550); // ATM 26,050 ± 10 strikes
    expect(answer.json.chain).toMatchObject({ underlying: 'NIFTY', expiry: NEAR, spot: 26_030, spotSource: 'index', atm: 26_050, strikes: expected });
    expect(answer.json.chain.symbols).toHaveLength(44);
    expect(answer.json.chain.symbols.slice(-2)).toEqual(['NSE:NIFTY 50', 'NFO:NIFTY99JANFUT']);
    expect(answer.json.change).toMatchObject({ added: 44, instruments: 44 });

    // Kite subscribes in quote mode and sets full mode in a second frame: wait for both.
    await waitFor(() => {
      const subscriptions = ticker.open()[0]?.subscriptions;
      return subscriptions?.size === 44 && [...subscriptions.values()].every((mode) => mode === 'full');
    }, 'the Kite socket subscribed to 44 tokens in full mode');
    const subscribed = ticker.open()[0].subscriptions;
    for (const strike of expected) {
      expect(subscribed.get(tokenOf(NEAR, strike, 'CE'))).toBe('full');
      expect(subscribed.get(tokenOf(NEAR, strike, 'PE'))).toBe('full');
    }
    expect(subscribed.get(256265)).toBe('full');
    expect(subscribed.get(9_002)).toBe('full');
    expect(subscribed.has(tokenOf(NEAR, 25_500, 'CE'))).toBe(false); // 11 strikes below ATM
    expect(subscribed.has(tokenOf(FAR, 26_050, 'CE'))).toBe(false);
  });

  it('an explicit expiry, a price to centre on and a mode', async () => {
    const answer = await call(subscribeChain, 'chain', { underlying: 'NIFTY', expiry: FAR, strikes: 2, around: 25_010, mode: 'quote' });
    expect(answer.status).toBe(200);
    expect(answer.json.chain).toMatchObject({ expiry: FAR, spotSource: 'around', atm: 25_000, strikes: [25_000, 25_050, 25_100] });
    // 6 new contracts; the index and the future switch to quote.
    expect(answer.json.change).toMatchObject({ added: 6, modeChanged: 2, instruments: 50 });
    await waitFor(() => ticker.open()[0]?.subscriptions.get(tokenOf(FAR, 25_100, 'PE')) === 'quote', 'far-expiry PE in quote mode');
  });

  it('400 naming the field: unknown underlying, unlisted expiry, bad strikes; 404 unknown collector', async () => {
    const unknown = await call(subscribeChain, 'chain', { underlying: 'NOSUCH' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toMatch(/^body\.underlying: /);
    const expiry = await call(subscribeChain, 'chain', { underlying: 'NIFTY', expiry: '2099-01-07' });
    expect(expiry.status).toBe(400);
    expect(expiry.json.error.message).toMatch(/^body\.expiry: .*2099-01-06/);
    const strikes = await call(subscribeChain, 'chain', { underlying: 'NIFTY', strikes: 0 });
    expect(strikes.status).toBe(400);
    expect(strikes.json.error.message).toMatch(/^body\.strikes: /);
    const collector = await call(subscribeChain, 'nope', { underlying: 'NIFTY' });
    expect(collector.status).toBe(404);
    expect(ticker.open()[0].subscriptions.size).toBe(50); // nothing changed
  });
});
