/**
 * The worker's collectors service on the embedded TimescaleDB: symbols resolved from the
 * instruments table, a config file whose new access token (written while running) resumes a
 * token_expired collector without a restart, state changes in feed_events, and an invalid config
 * refused at start with the path of the bad field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/client';
import { getFeedEvents } from '@/lib/db/queries/feed-events';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { Tick } from '@/lib/market/tick';
import { startCollectors, type CollectorService } from '@/worker/collectors/service';
import { pumpSource } from '@/worker/sources/pump';
import { packetValues, stateReached, syntheticInstruments, waitFor } from '../support/collector-fixtures';
import { KiteTickerServer } from '../support/kite-ticker-server';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

const logger = pino({ level: 'silent' });

describeEachBackend('collectors service', (backend) => {
  const database = useTestDatabase(backend);
  let dir = '';
  let db: Database;
  let ticker: KiteTickerServer;
  let service: CollectorService | undefined;
  const drain = new AbortController();
  const instruments = syntheticInstruments(40);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'brokers-service-'));
    db = database.db;
    await upsertInstruments(db, instruments);
    ticker = await KiteTickerServer.start({ acceptedTokens: ['day-1'] });
  });

  afterAll(async () => {
    drain.abort();
    await service?.stop();
    await ticker?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const config = (token: string) =>
    [
      'collectors:',
      '  - name: from-file',
      '    broker: kite',
      `    credentials: { apiKey: k1, accessToken: ${token} }`,
      `    endpoint: ${ticker.url}`,
      '    rest: { syncInstruments: false }',
      '    reconnect: { baseDelaySeconds: 0.1, maxDelaySeconds: 0.5 }',
      '    watchdog: { hours: always }',
      '    subscriptions:',
      `      - { mode: full, symbols: [${instruments.slice(0, 30).map((i) => `NSE:${i.tradingsymbol}`).join(', ')}] }`,
      `      - { mode: ltp, tokens: [${instruments.slice(30).map((i) => i.instrumentToken).join(', ')}] }`,
    ].join('\n');

  it('refuses an invalid config at start, naming the file and field', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, config('day-1').replace('mode: ltp', 'mode: everything'));
    await expect(startCollectors({ db, configPath: file, logger })).rejects.toThrow(
      `Invalid collectors config ${file}: collectors.0.subscriptions.1.mode`,
    );
    writeFileSync(file, config('day-1').replace('NSE:SYM3,', 'NSE:SYM3, NSE:NOT_LISTED,'));
    await expect(startCollectors({ db, configPath: file, logger })).rejects.toThrow(/collector from-file .*NSE:NOT_LISTED/);
  });

  it('resolves from the database, and a new token written to the file resumes token_expired', async () => {
    const file = path.join(dir, 'collectors.yaml');
    writeFileSync(file, config('day-1'));
    const ticks: Tick[] = [];
    service = await startCollectors({ db, configPath: file, logger, watchIntervalMs: 200 });
    void pumpSource(service.manager.source, (batch) => void ticks.push(...batch), drain.signal);
    await waitFor(
      () => ticker.open()[0]?.subscriptions.size === 40 && ticker.open()[0].subscriptions.get(instruments[35].instrumentToken) === 'ltp',
      '40 subscriptions, tokens in ltp mode',
    );
    expect(ticker.open()[0].subscriptions.get(instruments[0].instrumentToken)).toBe('full');
    ticker.publish(instruments.map((i) => packetValues(i, 1)));
    await waitFor(() => ticks.length === 40, '40 ticks');
    expect(service.health()[0]).toMatchObject({ name: 'from-file', state: 'live', instruments: 40, ticksReceived: 40 });

    // A drop with a valid token: reconnecting for one backoff step (0.1 s), then live again.
    const events = service.manager.source.collectorEvents;
    const back = stateReached(events, 'live');
    ticker.dropAll();
    await back;
    await service.recorded();
    const brief = (await getFeedEvents(db, new Date(Date.now() - 60_000), new Date(Date.now() + 1000))).filter((e) => e.feed === 'collector:from-file');
    const drop = brief.findLastIndex((e) => e.kind === 'reconnecting');
    expect(drop).toBeGreaterThan(-1);
    expect(brief[drop + 1].kind).toBe('live');
    expect(brief[drop + 1].time.getTime() - brief[drop].time.getTime()).toBeLessThan(1000);

    ticker.setAcceptedTokens(['day-2']);
    const expired = stateReached(events, 'token_expired');
    ticker.dropAll();
    await expired;
    writeFileSync(file, config('day-2'));
    await waitFor(() => service!.health()[0].state === 'live' && ticker.open().length === 1, 'live again after the file changed', 10_000);
    expect(ticker.open()[0].accessToken).toBe('day-2');

    await service.recorded();
    const recorded = await getFeedEvents(db, new Date(Date.now() - 60_000), new Date(Date.now() + 1000));
    const kinds = recorded.filter((e) => e.feed === 'collector:from-file').map((e) => e.kind);
    expect(kinds).toContain('token_expired');
    expect(kinds.at(-1)).toBe('live');
  });
});
