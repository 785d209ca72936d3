/** The Socket.IO subscription cap (worker/realtime/subscription-cap.ts); over a real socket: test/integration/ssrf-and-realtime-guard.test.ts. */
import { describe, expect, it } from 'vitest';
import { capRefusal, subscriptionAck } from '@/worker/realtime/subscription-cap';

describe('subscription cap', () => {
  it('caps a socket’s subscriptions and acks without its whole list', () => {
    const held = new Set(['socket-id', ...Array.from({ length: 1999 }, (_, i) => `t:NSE:S${i}`)]);
    expect(capRefusal(held, ['t:NSE:S0', 't:NSE:NEW'])).toBeNull(); // one new room fits
    expect(capRefusal(held, ['t:NSE:NEW', 'c:NSE:NEW:1m'])).toMatch(/^symbols: at most 2000 subscriptions/);
    expect(subscriptionAck(true, ['NSE:NEW'], held)).toEqual({ ok: true, symbols: ['NSE:NEW'], subscribed: 1999 });
  });
});
