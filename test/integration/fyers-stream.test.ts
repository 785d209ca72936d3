/**
 * Fyers collector scenarios: the real fyers-api-v3 data socket (in its worker thread,
 * worker/sources/fyers/socket-thread.cjs) against the local HSM server
 * (test/support/fyers-hsm-server.ts): symbol-token lookup over HTTP, binary auth with the
 * token's hsm_key, subscriptions, snapshots then incremental updates, drops, a refused key and
 * malformed frames. Ticks are pumped from the collectors' source into an array.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';
import { listResolver } from '@/worker/collectors/instrument-resolver';
import { CollectorManager } from '@/worker/collectors/manager';
import { fyersDataStream } from '@/worker/sources/fyers/data-stream';
import { pumpSource } from '@/worker/sources/pump';
import { ROUND_ZERO_MS, sleep, stateReached, syntheticInstruments, testDefinition, waitFor } from '../support/collector-fixtures';
import { FyersHsmServer, fyersAccessToken, nseCashFytoken, type TopicValues } from '../support/fyers-hsm-server';

const NIFTY: Instrument = {
  instrumentToken: 256265, exchange: 'NSE', tradingsymbol: 'NIFTY 50', name: 'NIFTY 50', segment: 'INDICES', instrumentType: 'EQ', tickSize: 0, lotSize: 0, expiry: null, strike: null,
};
/** Exchange token of a synthetic instrument (Kite token = exchange token · 256 + 1). */
const exchangeToken = (i: Instrument) => i.instrumentToken >> 8;

/** Values of round `seq` for an equity (prices in paise, times epoch seconds). */
function scripRound(i: Instrument, seq: number) {
  const base = 10_000 + exchangeToken(i) * 100;
  return { ltp: base + seq * 5, v: 1000 + seq * 10, ltt: ROUND_ZERO_MS / 1000 + seq, fdtm: ROUND_ZERO_MS / 1000 + seq, ltq: 1 + (seq % 7), oi: 5000 + seq, ap: base, c: base - 50, bp: base + seq * 5 - 5, sp: base + seq * 5 + 5, bq: 10, bs: 12 };
}

interface Rig {
  server: FyersHsmServer;
  manager: CollectorManager;
  ticks: Tick[];
  instruments: Instrument[];
  publish(seq: number): number;
}

const rigs: Rig[] = [];
const drains: AbortController[] = [];

async function rig(count: number, options: { hsmKeys?: string[] } = {}): Promise<Rig> {
  const instruments = [...syntheticInstruments(count - 1), NIFTY];
  const fytokens = new Map<string, string>(instruments.map((i) => [i === NIFTY ? 'NSE:NIFTY50-INDEX' : `NSE:${i.tradingsymbol}-EQ`, i === NIFTY ? nseCashFytoken(26000) : nseCashFytoken(exchangeToken(i))]));
  const server = await FyersHsmServer.start({ fytokens, hsmKeys: options.hsmKeys ?? 'any', ackEvery: 20 });
  const ticks: Tick[] = [];
  const manager = new CollectorManager({ streams: { fyers: fyersDataStream }, resolver: listResolver(instruments) });
  const drain = new AbortController();
  drains.push(drain);
  void pumpSource(manager.source, (batch) => void ticks.push(...batch), drain.signal);
  const r: Rig = {
    server,
    manager,
    ticks,
    instruments,
    publish(seq) {
      const list: TopicValues[] = instruments.map((i) =>
        i === NIFTY
          ? { topic: 'if|nse_cm|Nifty 50', values: { iv: 2_600_000 + seq * 5, ic: 2_590_000, tvalue: ROUND_ZERO_MS / 1000 + seq } }
          : { topic: `sf|nse_cm|${exchangeToken(i)}`, values: scripRound(i, seq) },
      );
      const depth: TopicValues[] = instruments.filter((i) => i !== NIFTY).map((i) => ({ topic: `dp|nse_cm|${exchangeToken(i)}`, values: { bp: scripRound(i, seq).bp, sp: scripRound(i, seq).sp, bq: 10, bs: 12, bno1: 2, sno1: 3 } }));
      return server.publish([...depth, ...list]);
    },
  };
  rigs.push(r);
  return r;
}

afterEach(async () => {
  for (const drain of drains.splice(0)) drain.abort();
  for (const r of rigs.splice(0)) {
    await r.manager.stopAll();
    await r.server.close();
  }
});

const symbolsOf = (list: Instrument[]) => list.map((i) => `NSE:${i.tradingsymbol}`);

function fyersDefinition(name: string, r: Rig, accessToken = fyersAccessToken('hsm-key-1')) {
  return testDefinition(name, r.server.socketUrl, [{ mode: 'full', symbols: symbolsOf(r.instruments) }], {
    broker: 'fyers',
    credentials: { apiKey: 'ABCD1234-100', accessToken },
  });
}

/** Every equity has sf and dp topics, the index an if topic, on the one open socket. */
async function subscribedAll(r: Rig): Promise<void> {
  await waitFor(() => r.server.open().length === 1, 'an authenticated socket');
  await waitFor(() => r.server.subscribedTopics().size === (r.instruments.length - 1) * 2 + 1, 'every topic subscribed');
}

describe('Fyers collector against the local HSM server (real fyers-api-v3 data socket)', () => {
  it('500 symbols: snapshot then updates carry LTP, volume, OI and exchange time', async () => {
    const r = await rig(500);
    r.publish(1); // values before the subscription: the subscription answer carries snapshots
    await r.manager.create(fyersDefinition('fyers-steady', r));
    await subscribedAll(r);
    const [conn] = r.server.open();
    expect(conn.hsmKey).toBe('hsm-key-1');
    expect(r.server.subscribedTopics()).toContain('if|nse_cm|Nifty 50');
    expect(r.server.symbolLookups).toBeGreaterThanOrEqual(2); // 500 symbols per lookup, sf and dp
    await waitFor(() => new Set(r.ticks.map((t) => t.instrumentToken)).size === 500, 'a snapshot tick for every symbol');

    for (let seq = 2; seq <= 4; seq++) {
      r.publish(seq);
      await waitFor(() => r.ticks.filter((t) => t.exchangeTime === ROUND_ZERO_MS + seq * 1000).length === 500, `round ${seq}`);
    }
    const byToken = new Map(r.instruments.map((i) => [i.instrumentToken, i]));
    for (const tick of r.ticks) {
      const seq = (tick.exchangeTime - ROUND_ZERO_MS) / 1000;
      expect(Number.isInteger(seq) && seq >= 1 && seq <= 4).toBe(true);
      const instrument = byToken.get(tick.instrumentToken)!;
      expect(tick.feed).toBe('fyers');
      if (instrument === NIFTY) {
        expect(tick.ltp).toBe((2_600_000 + seq * 5) / 100);
        expect(tick.prevClose).toBe(25_900);
        continue;
      }
      const v = scripRound(instrument, seq);
      expect(tick.ltp).toBe(v.ltp / 100);
      expect(tick.volume).toBe(v.v);
      expect(tick.oi).toBe(v.oi);
      expect(tick.lastQuantity).toBe(v.ltq);
      expect(tick.prevClose).toBe(v.c / 100);
      expect(tick.averagePrice).toBe(v.ap / 100);
    }
    const sym42 = r.ticks.filter((t) => t.tradingsymbol === 'SYM42');
    expect(new Date(sym42[0].exchangeTime).toISOString()).toBe('2025-12-29T04:30:01.000Z'); // 10:00:01 IST
    expect(sym42.at(-1)!.depth?.buy[0]).toEqual({ price: scripRound(r.instruments[42], 4).bp / 100, quantity: 10, orders: 2 });
    const [snap] = await r.manager.list();
    expect(snap.state).toBe('live');
    expect(snap.metrics.ticksReceived).toBe(r.ticks.length);
    expect(snap.metrics.lastExchangeTime).toBe('2025-12-29T04:30:04.000Z');
    expect(conn.acks).toBeGreaterThan(0); // the client acknowledges every `ackEvery` data messages
  });

  it('a dropped connection reconnects and resubscribes every symbol', async () => {
    const r = await rig(500);
    r.publish(1);
    await r.manager.create(fyersDefinition('fyers-drops', r));
    await subscribedAll(r);
    const before = r.server.subscribedTopics();
    await waitFor(() => new Set(r.ticks.map((t) => t.instrumentToken)).size === 500, 'ticks before the drop');

    r.server.dropAll();
    await waitFor(() => r.server.connections.length === 2, 'a second connection');
    await subscribedAll(r);
    expect(r.server.subscribedTopics()).toEqual(before);
    const mark = r.ticks.length;
    r.publish(2);
    await waitFor(() => new Set(r.ticks.slice(mark).map((t) => t.instrumentToken)).size === 500, 'all 500 ticking again');
    const [snap] = await r.manager.list();
    expect(snap.state).toBe('live');
    expect(snap.metrics.reconnects).toBe(1);
  });

  it('a refused hsm_key → token_expired after one attempt, no retry storm', async () => {
    const r = await rig(3, { hsmKeys: ['hsm-key-good'] });
    const expired = stateReached(r.manager.source.collectorEvents, 'token_expired');
    await r.manager.create(fyersDefinition('fyers-refused', r, fyersAccessToken('hsm-key-stale')));
    await expired;
    await sleep(1000); // would be 3+ attempts at the 100 ms backoff
    expect(r.server.rejected).toBe(1);
    expect(r.server.connections).toHaveLength(1);
    const [snap] = await r.manager.list();
    expect(snap.state).toBe('token_expired');
    expect(snap.metrics.reconnects).toBe(0);
  });

  it('an access token the client cannot decode (no hsm_key) → token_expired without connecting', async () => {
    const r = await rig(3);
    const expired = stateReached(r.manager.source.collectorEvents, 'token_expired');
    await r.manager.create(fyersDefinition('fyers-bad-jwt', r, 'not-a-fyers-jwt'));
    await expired;
    await sleep(500);
    expect(r.server.connections).toHaveLength(0);
    const [snap] = await r.manager.list();
    expect(snap.connections[0].lastError).toMatch(/JWT/);
    expect(snap.metrics.reconnects).toBe(0);
  });

  it('malformed frames are counted and skipped; the stream carries on', async () => {
    const r = await rig(20);
    r.publish(1);
    await r.manager.create(fyersDefinition('fyers-malformed', r));
    await subscribedAll(r);
    await waitFor(() => r.ticks.length >= 20, 'snapshot ticks');
    r.server.sendRaw('{"not":"binary"}');
    r.server.sendRaw(Buffer.from([0x00]));
    r.server.sendRaw(Buffer.from([0x00, 0x05, 0x63, 1, 2, 3, 4])); // unknown type 99
    r.server.sendRaw(Buffer.from([0x00, 0x0a, 0x06, 0, 0, 0, 9, 0, 1, 85, 0x7f, 0x7f])); // update of an unknown topic
    const mark = r.ticks.length;
    r.publish(2);
    await waitFor(() => r.ticks.length - mark === 20, 'ticks after the garbage');
    const [snap] = await r.manager.list();
    expect(snap.metrics.malformedFrames).toBe(4);
    expect(snap.state).toBe('live');
    expect(r.server.connections).toHaveLength(1);
  });
});
