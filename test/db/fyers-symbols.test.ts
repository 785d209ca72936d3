/**
 * Fyers symbol master import on the real shared masters: Fyers' NSE_CM (2024-06-25) and Kite's
 * NSE instruments (2025-07-03) land in ONE instruments table, the same instrument in ONE row
 * (equities by exchange token → Kite's token formula, indices by name), whichever comes first;
 * the daily sync downloads and imports the same file.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { countInstruments, findInstrument } from '@/lib/db/queries/instruments';
import { importFyersSymbols } from '@/worker/import/fyers-import';
import { importKiteInstruments } from '@/worker/import/run-import';
import { syncFyersSymbolMaster } from '@/worker/sources/fyers/symbol-master';
import { hasSharedData, needsSharedData, sharedData } from '../support/shared-data';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const FYERS = 'fyers-symbol-master/NSE_CM_2024-06-25.csv';
const KITE = 'kite-instruments/instruments_nse_2025-07-03.csv';
const ready = hasSharedData(FYERS, KITE);

describeEachBackend(`Fyers symbol master${needsSharedData(FYERS, KITE)}`, (backend) => {
  const database = useTestDatabase(backend, { perTest: true });

  it.skipIf(!ready)('Kite then Fyers: shared instruments stay one row with Kite’s token', async () => {
    const db = database.db;
    const kite = await importKiteInstruments(db, sharedData(KITE));
    expect(kite.imported).toBe(8019);
    const fyers = await importFyersSymbols(db, sharedData(FYERS));
    expect(fyers.records).toBe(6769);
    expect(fyers.skipped).toBe(0);
    // Rows keyed by token: only the 1,056 Fyers-only equities and the 3 foreign indices Kite
    // lacks are new; the 5,638 shared equities (222 of them renamed between the two dates, e.g.
    // ALLSEC → ALLDIGI, same exchange token) and 72 shared indices update Kite's rows.
    expect(await countInstruments(db)).toBe(8019 + 1056 + 3);
    const renamed = await db.query<{ tradingsymbol: string }>(`SELECT tradingsymbol FROM instruments WHERE instrument_token = $1`, [
      (await findInstrument(db, 'NSE', 'ALLSEC'))!.instrumentToken,
    ]);
    expect(renamed.map((r) => r.tradingsymbol)).toEqual(['ALLSEC']); // the last import names the row

    const infy = await findInstrument(db, 'NSE', 'INFY');
    expect(infy).toMatchObject({ instrumentToken: 408065, segment: 'NSE', instrumentType: 'EQ', lotSize: 1 }); // 1594 · 256 + 1
    const nifty = await findInstrument(db, 'NSE', 'NIFTY 50');
    expect(nifty).toMatchObject({ instrumentToken: 256265, segment: 'INDICES', tickSize: 0, lotSize: 0 });
    const bank = await findInstrument(db, 'NSE', 'NIFTY BANK');
    expect(bank?.instrumentToken).toBe(260105);
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM instruments WHERE exchange = 'NSE' AND tradingsymbol IN ('INFY', 'NIFTY 50', 'RELIANCE')`);
    expect(rows[0].n).toBe(3);
  });

  it.skipIf(!ready)('Fyers first, then Kite: the Kite import updates the same rows (no duplicates for equities)', async () => {
    const db = database.db;
    await importFyersSymbols(db, sharedData(FYERS));
    const reliance = await findInstrument(db, 'NSE', 'RELIANCE');
    expect(reliance?.instrumentToken).toBe(738561); // 2885 · 256 + 1
    expect(reliance?.name).toBe('RELIANCE');
    await importKiteInstruments(db, sharedData(KITE));
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM instruments WHERE exchange = 'NSE' AND tradingsymbol = 'RELIANCE'`);
    expect(rows[0].n).toBe(1);
  });

  it.skipIf(!ready)('daily sync: downloads NSE_CM.csv from the symbol-master root and imports it', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/sym_details/NSE_CM.csv') res.writeHead(200, { 'content-type': 'text/csv' }).end(readFileSync(sharedData(FYERS)));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sym_details`;
      const [summary] = await syncFyersSymbolMaster(database.db, { root });
      expect(summary.imported).toBe(6769);
      expect((await findInstrument(database.db, 'NSE', 'SBIN'))?.instrumentToken).toBe(779521);
      await expect(syncFyersSymbolMaster(database.db, { root, files: ['NOPE'] })).rejects.toThrow(/NOPE\.csv: HTTP 404/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
