/** GET /api/instruments filters, paging and ranking; GET /api/instruments/{token} (simulator universe). */
import { beforeAll, expect, it } from 'vitest';
import { GET as listRoute } from '@/app/api/instruments/route';
import { GET as tokenRoute } from '@/app/api/instruments/[token]/route';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { createSimulatorFeed } from '@/worker/sources/simulator/simulator';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

type Row = { instrument_token: number; tradingsymbol: string; segment: string; instrument_type: string; expiry: string | null; strike: number | null; name: string };
const list = async (query: string) => {
  const response = await listRoute(new Request(`http://localhost/api/instruments?${query}`));
  return { status: response.status, body: (await response.json()) as { instruments: Row[]; total: number; error?: { message: string } } };
};
const byToken = async (token: string) => {
  const response = await tokenRoute(new Request(`http://localhost/api/instruments/${token}`), { params: Promise.resolve({ token }) });
  return { status: response.status, body: (await response.json()) as { instrument?: Row; error?: { code: string } } };
};

describeEachBackend('instrument browser', (backend) => {
  const database = useTestDatabase(backend);
  const feed = createSimulatorFeed({ seed: 1, now: () => Date.parse('2026-11-16T04:30:00Z') });
  beforeAll(async () => {
    await upsertInstruments(database.db, feed.instruments());
    registerWebRuntime({ db: database.db, worker: { kind: 'http', url: 'http://127.0.0.1:9' }, realtime: 'same-origin' });
  });

  it('ranks the index first for "banknifty" and finds futures for "nifty fut"', async () => {
    const bank = await list('q=banknifty&limit=5');
    expect(bank.body.instruments[0]).toMatchObject({ tradingsymbol: 'NIFTY BANK', segment: 'INDICES' });
    expect(bank.body.instruments[1]).toMatchObject({ instrument_type: 'FUT', name: 'BANKNIFTY' });
    const fut = await list('q=nifty%20fut');
    expect(fut.body.instruments.length).toBeGreaterThan(0);
    expect(fut.body.instruments.every((i) => i.instrument_type === 'FUT')).toBe(true);
    expect(fut.body.instruments[0].tradingsymbol).toMatch(/^NIFTY\d{2}[A-Z]{3}FUT$/);
    const nifty = await list('q=nifty&limit=3');
    expect(nifty.body.instruments[0]).toMatchObject({ segment: 'INDICES' });
    expect((await list('q=infy')).body.instruments[0]).toMatchObject({ tradingsymbol: 'INFY', instrument_type: 'EQ' });
  });

  it('filters by exchange, segment, type, underlying, expiry and strike range, paginated', async () => {
    const all = await list('exchange=NFO&segment=NFO-OPT&underlying=NIFTY&type=CE&limit=500');
    expect(all.body.total).toBe(31);
    expect(all.body.instruments.every((i) => i.instrument_type === 'CE' && i.name === 'NIFTY')).toBe(true);
    const expiry = all.body.instruments[0].expiry!;
    const strikes = all.body.instruments.map((i) => i.strike!).sort((a, b) => a - b);
    const range = await list(`underlying=NIFTY&expiry=${expiry}&strike_min=${strikes[10]}&strike_max=${strikes[14]}&limit=500`);
    expect(range.body.total).toBe(10); // 5 strikes × CE/PE
    const first = await list('segment=NFO-OPT&limit=20&offset=0');
    const second = await list('segment=NFO-OPT&limit=20&offset=20');
    expect(first.body.total).toBe(124);
    const seen = new Set(first.body.instruments.map((i) => i.instrument_token));
    expect(second.body.instruments.some((i) => seen.has(i.instrument_token))).toBe(false);
    expect((await list('type=XX')).body.error?.message).toMatch(/^query\.type: /);
    expect((await list('expiry=soon')).status).toBe(400);
  });

  it('looks up one instrument by token', async () => {
    const found = await byToken('256265');
    expect(found.status).toBe(200);
    expect(found.body.instrument).toMatchObject({ tradingsymbol: 'NIFTY 50', segment: 'INDICES' });
    expect((await byToken('1')).body.error?.code).toBe('not_found');
    expect((await byToken('abc')).status).toBe(400);
  });
});
