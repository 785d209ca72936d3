/**
 * Kite REST through the real KiteConnect client (`root` → the local REST server,
 * test/support/kite-rest-server.ts): the instruments master sync into the embedded TimescaleDB
 * (Kite's real NSE and NFO/BFO dumps, ~48k rows, as one CSV like GET /instruments), a resync
 * updating rows in place, 429 and token errors, and quotes (kite-mocks/quote.json).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { findInstrument } from '@/lib/db/queries/instruments';
import { fetchKiteQuotes, syncKiteInstruments } from '@/worker/sources/kite/rest';
import { startKiteRestServer, type KiteRestServer } from '../support/kite-rest-server';
import { sharedFile } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const NSE = sharedFile('kite-instruments/instruments_nse_2025-07-03.csv');
const NFO = sharedFile('kite-instruments/instruments_nfo_bfo_2026-08.csv');
const QUOTE = sharedFile('kite-mocks/quote.json');

describeEachBackend(`Kite REST via KiteConnect${NSE.skipNote}${NFO.skipNote}`, (backend) => {
  const database = useTestDatabase(backend);
  let dir = '';
  let db: Database;
  let rest: KiteRestServer;
  let csv = '';
  let instrumentsStatus = 200;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'brokers-rest-'));
    db = database.db;
    const nfo = readFileSync(NFO.path, 'utf8').split('\n').slice(1).join('\n');
    csv = `${readFileSync(NSE.path, 'utf8').trimEnd()}\n${nfo}`;
    rest = await startKiteRestServer({ requestsPerSecond: 100 });
    rest.route({
      name: 'instruments',
      method: 'GET',
      pattern: '/instruments',
      handle: () =>
        instrumentsStatus === 200
          ? { status: 200, contentType: 'text/csv', body: csv }
          : { status: instrumentsStatus, body: { status: 'error', message: instrumentsStatus === 403 ? 'Incorrect `api_key` or `access_token`.' : 'Too many requests', data: null, error_type: instrumentsStatus === 403 ? 'TokenException' : 'NetworkException' } },
    });
    rest.route({ name: 'quote', method: 'GET', pattern: '/quote', handle: () => ({ status: 200, body: JSON.parse(readFileSync(QUOTE.path, 'utf8')) }) });
  });

  afterAll(async () => {
    await rest?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the instruments master into `instruments`, then updates it in place', async () => {
    const first = await syncKiteInstruments(db, { apiKey: 'k', accessToken: 't', root: rest.url });
    expect(first.upserted).toBe(8019 + 39941);
    expect(first.skipped).toBe(first.rows - first.upserted);
    const [{ count }] = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM instruments');
    expect(Number(count)).toBe(8019 + 39941);
    expect(await findInstrument(db, 'NSE', 'RELIANCE')).toMatchObject({ instrumentToken: 738561, tickSize: 0.1, segment: 'NSE', instrumentType: 'EQ' });
    expect(await findInstrument(db, 'NSE', 'NIFTY 50')).toMatchObject({ instrumentToken: 256265, segment: 'INDICES', tickSize: 0, lotSize: 0 });
    expect(await findInstrument(db, 'NFO', 'NIFTY26AUGFUT')).toMatchObject({ instrumentToken: 14866434, lotSize: 65, expiry: '2026-08-25', instrumentType: 'FUT' });

    // The next day's (smaller, here) master changes a lot size: updated in place, other rows kept.
    csv = csv.split('\n').slice(0, 8020 + 50).join('\n').replace('14866434,58072,NIFTY26AUGFUT,NIFTY,0.0,2026-08-25,0.0,0.1,65,', '14866434,58072,NIFTY26AUGFUT,NIFTY,0.0,2026-08-25,0.0,0.1,75,');
    const second = await syncKiteInstruments(db, { apiKey: 'k', accessToken: 't', root: rest.url });
    expect(second.upserted).toBe(8019 + 50);
    expect((await findInstrument(db, 'NFO', 'NIFTY26AUGFUT'))?.lotSize).toBe(75);
    const [{ count: after }] = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM instruments');
    expect(Number(after)).toBe(8019 + 39941);
  });

  it('retries 429, then reports it; a dead token fails at once; both name the call and Kite error type', async () => {
    instrumentsStatus = 429;
    rest.resetCounts();
    await expect(syncKiteInstruments(db, { apiKey: 'k', accessToken: 't', root: rest.url })).rejects.toThrow(
      'Kite GET /instruments failed: NetworkException: Too many requests',
    );
    // Three attempts; one may die on a keep-alive socket the server closed (also a NetworkException) before reaching it.
    expect(rest.requests.byRoute.get('instruments')).toBeGreaterThanOrEqual(2);
    instrumentsStatus = 403;
    rest.resetCounts();
    await expect(syncKiteInstruments(db, { apiKey: 'k', accessToken: 't', root: rest.url })).rejects.toThrow(/TokenException/);
    expect(rest.requests.byRoute.get('instruments')).toBe(1);
    instrumentsStatus = 200;
  });

  it('fetches quotes', async () => {
    const quotes = await fetchKiteQuotes({ apiKey: 'k', accessToken: 't', root: rest.url }, ['NSE:INFY']);
    expect(quotes['NSE:INFY']).toMatchObject({ instrument_token: 408065, last_price: 1412.95, volume: 7360198 });
  });
}, { skip: !NSE.exists || !NFO.exists || !QUOTE.exists });
