/**
 * What can be checked of the Fyers data socket without Fyers' servers: the real fyers-api-v3
 * client, run in its worker thread, refuses an access token that is not a Fyers JWT, and a
 * collector turns that into `token_expired` without retrying (the binary HSM protocol itself has
 * no local stand-in; see worker/sources/fyers/socket-thread.cjs).
 */
import { describe, expect, it } from 'vitest';
import { fyersDataStream } from '@/worker/sources/fyers/data-stream';
import { listResolver } from '@/worker/collectors/instrument-resolver';
import { CollectorManager } from '@/worker/collectors/manager';
import { sleep, syntheticInstruments, waitFor } from '../support/collector-fixtures';

describe('Fyers data socket (fyers-api-v3)', () => {
  it('an invalid access token → token_expired, no retries', async () => {
    const instruments = syntheticInstruments(3);
    const manager = new CollectorManager({ streams: { fyers: fyersDataStream }, resolver: listResolver(instruments) });
    await manager.create({
      name: 'fyers-bad-token',
      broker: 'fyers',
      credentials: { apiKey: 'ABCD1234-100', accessToken: 'not-a-fyers-jwt' },
      autoStart: true,
      reconnect: { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 500 },
      watchdog: { silenceMs: 30_000, hours: 'always' },
      liveness: { neverTickedMs: 60_000 },
      subscriptions: [{ mode: 'full', symbols: ['NSE:SYM0', 'NSE:SYM1'] }],
    });
    await waitFor(() => manager.all()[0].state === 'token_expired', 'token_expired', 20_000);
    await sleep(1000);
    const [snap] = await manager.list();
    expect(snap.state).toBe('token_expired');
    expect(snap.metrics.reconnects).toBe(0);
    expect(snap.connections[0].lastError).toMatch(/JWT/);
    await manager.stopAll();
  });
});
