/**
 * Kite collector scenarios: the real KiteTicker (npm kiteconnect, one worker thread per
 * connection) against the local ticker server (test/support/kite-ticker-server.ts) speaking
 * Kite's binary protocol. Ticks are pumped from the collectors' source into an array; the
 * token-expiry scenario drives the collector's backoff with a manual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';
import { kiteTickerStream } from '@/worker/sources/kite/ticker-stream';
import { CollectorError } from '@/worker/collectors/errors';
import { listResolver } from '@/worker/collectors/instrument-resolver';
import { CollectorManager } from '@/worker/collectors/manager';
import type { CollectorDefinition } from '@/worker/collectors/types';
import { pumpSource } from '@/worker/sources/pump';
import { packetValues, ROUND_ZERO_MS, sleep, stateReached, syntheticInstruments, testDefinition, waitFor } from '../support/collector-fixtures';
import { encodeMessage, encodePacket } from '../support/kite-packets';
import { KiteTickerServer } from '../support/kite-ticker-server';
import { ManualClock } from '../support/manual-clock';

interface Rig {
  server: KiteTickerServer;
  manager: CollectorManager;
  ticks: Tick[];
  instruments: Instrument[];
  /** Publish round `seq` for all instruments (or `only`). */
  publish(seq: number, only?: Instrument[]): number;
  /** Publish a round every `ms` until stopped. */
  stream(ms?: number): { stop(): void; seq(): number };
}

const rigs: Rig[] = [];
const drains: AbortController[] = [];

async function rig(count: number, options: { acceptedTokens?: string[]; clock?: ManualClock } = {}): Promise<Rig> {
  const server = await KiteTickerServer.start({ acceptedTokens: options.acceptedTokens ?? 'any', heartbeatMs: 500 });
  const instruments = syntheticInstruments(count);
  const ticks: Tick[] = [];
  const manager = new CollectorManager({
    streams: { kite: kiteTickerStream },
    resolver: listResolver(instruments),
    clock: options.clock,
  });
  const drain = new AbortController();
  drains.push(drain);
  void pumpSource(manager.source, (batch) => void ticks.push(...batch), drain.signal);
  const timers: NodeJS.Timeout[] = [];
  const r: Rig = {
    server,
    manager,
    ticks,
    instruments,
    publish: (seq, only) => server.publish((only ?? instruments).map((i) => packetValues(i, seq))),
    stream(ms = 200) {
      let seq = 0;
      const timer = setInterval(() => r.publish(++seq), ms);
      timers.push(timer);
      return { stop: () => clearInterval(timer), seq: () => seq };
    },
  };
  (r as Rig & { timers: NodeJS.Timeout[] }).timers = timers;
  rigs.push(r);
  return r;
}

afterEach(async () => {
  for (const drain of drains.splice(0)) drain.abort();
  for (const r of rigs.splice(0)) {
    for (const t of (r as Rig & { timers: NodeJS.Timeout[] }).timers) clearInterval(t);
    await r.manager.stopAll();
    await r.server.close();
  }
});

const symbols = (list: Instrument[]) => list.map((i) => `NSE:${i.tradingsymbol}`);
const tokensOf = (list: Instrument[]) => new Set(list.map((i) => i.instrumentToken));

/** Create the collector and wait until the server holds every instrument in its configured mode. */
async function createLive(r: Rig, definition: CollectorDefinition, connections = 1): Promise<void> {
  await r.manager.create(definition);
  const bySymbol = new Map(r.instruments.map((i) => [`NSE:${i.tradingsymbol}`, i.instrumentToken]));
  const expected = new Map(definition.subscriptions.flatMap((s) => (s.symbols ?? []).map((sym) => [bySymbol.get(sym)!, s.mode] as const)));
  await waitFor(() => r.server.open().length === connections, `${connections} server connection(s)`);
  await waitFor(() => {
    const held = new Map(r.server.open().flatMap((c) => [...c.subscriptions]));
    return held.size === expected.size && [...expected].every(([token, mode]) => held.get(token) === mode);
  }, 'all subscriptions at the server in their modes');
}

describe('Kite collector against the local ticker server', () => {
  it('500 instruments in full mode: ticks arrive with the published prices and exchange timestamps', async () => {
    const r = await rig(500);
    await createLive(r, testDefinition('steady', r.server.url, [{ mode: 'full', symbols: symbols(r.instruments) }]));
    const [conn] = r.server.open();
    expect(conn.apiKey).toBe('test_api_key');
    expect(conn.accessToken).toBe('token-1');
    expect(new Set(conn.subscriptions.values())).toEqual(new Set(['full']));

    for (let seq = 1; seq <= 5; seq++) {
      r.publish(seq);
      await sleep(100);
    }
    await waitFor(() => r.ticks.length >= 2500, '2,500 ticks');
    expect(r.ticks).toHaveLength(2500);
    const bySymbol = new Map(r.instruments.map((i) => [i.instrumentToken, i]));
    for (const tick of r.ticks) {
      const seq = (tick.exchangeTime - ROUND_ZERO_MS) / 1000;
      expect(Number.isInteger(seq) && seq >= 1 && seq <= 5).toBe(true);
      const expected = packetValues(bySymbol.get(tick.instrumentToken)!, seq);
      expect(tick.ltp).toBe(expected.last_price);
      expect(tick.volume).toBe(expected.volume_traded);
      expect(tick.lastQuantity).toBe(expected.last_traded_quantity);
      expect(tick.bidPrice).toBe(expected.depth!.buy[0].price);
      expect(tick.askQuantity).toBe(12);
      expect(tick.prevClose).toBe(expected.ohlc!.close);
      expect(tick.feed).toBe('kite');
    }
    const first = r.ticks.find((t) => t.instrumentToken === r.instruments[42].instrumentToken)!;
    expect(first.tradingsymbol).toBe('SYM42');
    expect(new Date(first.exchangeTime).toISOString()).toBe('2025-12-29T04:30:01.000Z'); // 10:00:01 IST
    expect(new Set(r.ticks.map((t) => t.instrumentToken)).size).toBe(500);

    const [snap] = await r.manager.list();
    expect(snap.state).toBe('live');
    expect(snap.metrics.ticksReceived).toBe(2500);
    expect(snap.metrics.lastExchangeTime).toBe('2025-12-29T04:30:05.000Z');
    const detail = await r.manager.get('steady');
    expect(detail.instrumentStatus.every((s) => s.status === 'live' && s.lastExchangeTime === '2025-12-29T04:30:05.000Z')).toBe(true);
  });

  it('server drops the connection mid-stream: reconnects and resubscribes every instrument in its mode', async () => {
    const r = await rig(500);
    const [full, quote, ltp] = [r.instruments.slice(0, 300), r.instruments.slice(300, 450), r.instruments.slice(450)];
    await createLive(
      r,
      testDefinition('drops', r.server.url, [
        { mode: 'full', symbols: symbols(full) },
        { mode: 'quote', symbols: symbols(quote) },
        { mode: 'ltp', symbols: symbols(ltp) },
      ]),
    );
    const before = new Map(r.server.open()[0].subscriptions);
    const feed = r.stream(100);
    await waitFor(() => r.ticks.length >= 1000, 'ticks before the drop');

    r.server.dropAll();
    await waitFor(() => r.server.connections.length === 2 && r.server.open().length === 1, 'a second connection');
    const sameModes = () => {
      const after = r.server.open()[0].subscriptions;
      return after.size === before.size && [...before].every(([token, mode]) => after.get(token) === mode);
    };
    await waitFor(sameModes, 'resubscribed with the same modes');
    expect(new Map(r.server.open()[0].subscriptions)).toEqual(before);
    expect(before.get(full[0].instrumentToken)).toBe('full');
    expect(before.get(quote[0].instrumentToken)).toBe('quote');
    expect(before.get(ltp[0].instrumentToken)).toBe('ltp');

    const mark = r.ticks.length;
    await waitFor(() => new Set(r.ticks.slice(mark).map((t) => t.instrumentToken)).size === 500, 'all 500 ticking again');
    // Packets the server encoded between the resubscribe frame (quote mode) and the mode frame can
    // still arrive after `mark`; from the mode frame on, every full-mode instrument carries depth.
    const fullTokens = tokensOf(full);
    await waitFor(() => {
      const withDepth = new Set(r.ticks.slice(mark).filter((t) => fullTokens.has(t.instrumentToken) && t.depth?.buy.length === 1).map((t) => t.instrumentToken));
      return withDepth.size === fullTokens.size;
    }, 'every full-mode instrument ticking with depth again');
    feed.stop();
    const quoteTokens = tokensOf(quote);
    const quoteTicks = r.ticks.slice(mark).filter((t) => quoteTokens.has(t.instrumentToken));
    expect(quoteTicks.length).toBeGreaterThan(0);
    expect(quoteTicks.every((t) => t.depth === undefined)).toBe(true);
    const [snap] = await r.manager.list();
    expect(snap.state).toBe('live');
    expect(snap.metrics.reconnects).toBe(1);
  });

  it('server goes silent without closing: the watchdog reconnects', async () => {
    const r = await rig(50);
    await createLive(r, testDefinition('silent', r.server.url, [{ mode: 'quote', symbols: symbols(r.instruments) }]));
    const feed = r.stream(100);
    await waitFor(() => r.ticks.length >= 200, 'ticks before the silence');

    r.server.setSilent(true); // no ticks, no heartbeats; the socket stays open
    await waitFor(() => r.server.connections.length === 2, 'watchdog reconnect', 10_000);
    const [snap] = await r.manager.list();
    expect(snap.metrics.watchdogReconnects).toBe(1);
    expect(snap.connections[0].lastError).toMatch(/no ticks for [12] s/);
    r.server.setSilent(false);
    const mark = r.ticks.length;
    await waitFor(() => r.ticks.length > mark + 100, 'ticks after the reconnect');
    feed.stop();
    expect((await r.manager.list())[0].state).toBe('live');
    expect(r.server.open()).toHaveLength(1);
  });

  it('403 → token_expired with no further attempts until a new access token resumes it', async () => {
    const clock = new ManualClock(Date.now());
    const r = await rig(20, { acceptedTokens: ['token-1'], clock });
    await createLive(r, testDefinition('expiry', r.server.url, [{ mode: 'full', symbols: symbols(r.instruments) }]));
    const events = r.manager.source.collectorEvents;
    r.server.setAcceptedTokens(['token-2']); // 06:00 IST: yesterday's token is dead
    const reconnecting = stateReached(events, 'reconnecting');
    r.server.dropAll();
    await reconnecting;
    const expired = stateReached(events, 'token_expired');
    await clock.advance(100); // the first backoff delay: the reconnect is refused (403)
    await expired;
    expect(r.server.rejected).toBe(1);
    const attempts = r.server.connectAttempts;
    await clock.advance(60_000); // backoff would have retried many times by now (100 ms … 1 s)
    expect(r.server.connectAttempts).toBe(attempts);
    expect((await r.manager.get('expiry')).connections[0].nextAttemptAt).toBeNull();
    const [snap] = await r.manager.list();
    expect(snap.state).toBe('token_expired');
    expect(snap.metrics.lastError).toMatch(/403/);

    await r.manager.setAccessToken('expiry', 'token-2');
    await waitFor(() => r.server.open().length === 1 && r.server.open()[0].subscriptions.size === 20, 'resubscribed with the new token');
    expect(r.server.open()[0].accessToken).toBe('token-2');
    r.publish(1);
    await waitFor(() => r.ticks.length === 20, 'ticks with the new token');
    expect(r.manager.all()[0].state).toBe('live');
  });

  it('5,000 instruments → two connections (3,000 + 2,000), all ticking; past the key cap a clear error, nothing dropped', async () => {
    const r = await rig(5000);
    await createLive(r, testDefinition('wide', r.server.url, [{ mode: 'quote', symbols: symbols(r.instruments) }]), 2);
    expect(r.server.open().map((c) => c.subscriptions.size).sort()).toEqual([2000, 3000]);
    r.publish(1);
    await waitFor(() => r.ticks.length === 5000, '5,000 ticks');
    expect(new Set(r.ticks.map((t) => t.instrumentToken)).size).toBe(5000);
    const [snap] = await r.manager.list();
    expect(snap.budget).toMatchObject({ requested: 5000, perConnection: 3000, connectionsPerKey: 3, connections: 2, connectionsUsedByKey: 2, remaining: 4000 });

    // 4,001 more on the same key: 9,001 would need 4 connections.
    const more = syntheticInstruments(4001, 5000);
    const wider = new CollectorManager({ streams: { kite: kiteTickerStream }, resolver: listResolver([...r.instruments, ...more]) });
    await r.manager.stop('wide');
    await wider.create(testDefinition('wide', r.server.url, [{ mode: 'quote', symbols: symbols(r.instruments) }], { autoStart: false }));
    const error = await wider.subscribe('wide', { mode: 'ltp', symbols: symbols(more) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as CollectorError).code).toBe('subscription_cap');
    expect((error as CollectorError).message).toMatch(/9001 instruments need 4 connections .* only 3 are available/);
    expect((await wider.get('wide')).instruments).toBe(5000);
  });

  it('a second collector on the same API key cannot take more than the key has left', async () => {
    const r = await rig(5000);
    await createLive(r, testDefinition('first', r.server.url, [{ mode: 'ltp', symbols: symbols(r.instruments.slice(0, 5000)) }]), 2);
    const error = await r.manager
      .create(testDefinition('second', r.server.url, [{ mode: 'ltp', symbols: symbols(r.instruments.slice(0, 3001)) }]))
      .catch((e: unknown) => e);
    expect((error as CollectorError).code).toBe('subscription_cap');
    expect(r.server.connections).toHaveLength(2);
  });

  it('malformed binary frames are counted and skipped; the collector lives on', async () => {
    const r = await rig(10);
    await createLive(r, testDefinition('garbage', r.server.url, [{ mode: 'full', symbols: symbols(r.instruments) }]));
    r.publish(1);
    await waitFor(() => r.ticks.length === 10, 'first round');
    const valid = encodePacket({ instrument_token: r.instruments[0].instrumentToken, last_price: 9999.95 }, 'ltp');
    const truncated = encodeMessage([valid, valid]).subarray(0, 2 + 10 + 5); // says 2 packets, second cut short
    const unknownLength = Buffer.concat([Buffer.from([0, 1, 0, 17]), Buffer.alloc(17, 7)]);
    const trailing = Buffer.concat([encodeMessage([valid]), Buffer.from([1, 2, 3])]);
    for (const frame of [truncated, unknownLength, trailing, Buffer.from([0xff, 0xff, 0x00])]) r.server.sendRaw(frame);
    r.publish(2);
    await waitFor(() => r.ticks.length === 20, 'second round after the garbage');
    expect(r.ticks.some((t) => t.ltp === 9999.95)).toBe(false);
    const [snap] = await r.manager.list();
    expect(snap.metrics.malformedFrames).toBe(4);
    expect(snap.state).toBe('live');
    expect(r.server.connections).toHaveLength(1);
  });

  it('subscribe and unsubscribe at run time, with mode changes', async () => {
    const r = await rig(30);
    await createLive(r, testDefinition('runtime', r.server.url, [{ mode: 'ltp', symbols: symbols(r.instruments.slice(0, 10)) }]));
    const change = await r.manager.subscribe('runtime', { mode: 'full', symbols: symbols(r.instruments.slice(5, 30)) });
    expect(change).toEqual({ added: 20, modeChanged: 5, removed: 0, instruments: 30 });
    const conn = r.server.open()[0];
    await waitFor(() => conn.subscriptions.size === 30 && conn.subscriptions.get(r.instruments[5].instrumentToken) === 'full', 'server sees 30, SYM5 in full');
    expect(conn.subscriptions.get(r.instruments[0].instrumentToken)).toBe('ltp');
    const removed = await r.manager.unsubscribe('runtime', { symbols: symbols(r.instruments.slice(0, 10)) });
    expect(removed).toMatchObject({ removed: 10, instruments: 20 });
    await waitFor(() => conn.subscriptions.size === 20, 'server sees 20');
    const unknown = await r.manager.subscribe('runtime', { mode: 'ltp', symbols: ['NSE:NOPE'] }).catch((e: unknown) => e);
    expect((unknown as CollectorError).message).toMatch(/unknown instruments .*NSE:NOPE/);
  });
});
