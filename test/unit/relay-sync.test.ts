/**
 * A realtime node's sync request (worker/realtime/relay.ts): asked again, with a doubling wait,
 * until a full frame arrives (a lost NOTIFY must not leave the node without a snapshot), and not
 * after. The node's Socket.IO server is a stand-in recording serverSideEmit; timers are faked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME_EVENT, SYNC_EVENT, type Frame } from '@/worker/realtime/frames';
import { Relay, SYNC_RETRY_MAX_MS, SYNC_RETRY_MS, type NodeServer } from '@/worker/realtime/relay';

function fakeServer() {
  const handlers = new Map<string, (payload: unknown) => void>();
  const emitted: string[] = [];
  const io = {
    on: (event: string, handler: (payload: unknown) => void) => handlers.set(event, handler),
    serverSideEmit: (event: string) => emitted.push(event),
    sockets: { sockets: new Map(), adapter: { rooms: new Map() } },
    engine: { clientsCount: 0 },
  };
  return { io: io as unknown as NodeServer, emitted, frame: (frame: Frame) => handlers.get(FRAME_EVENT)!(frame) };
}
const frame = (seq: number, full: boolean): Frame => ({ epoch: 'w1', seq, full, closed: [], ticks: [], candles: [] });

describe('relay sync requests', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks again until a full frame arrives, doubling the wait up to the cap, then stops', () => {
    const server = fakeServer();
    const relay = new Relay(server.io);
    relay.requestSync();
    expect(server.emitted).toEqual([SYNC_EVENT]);
    vi.advanceTimersByTime(SYNC_RETRY_MS - 1);
    expect(server.emitted).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(server.emitted).toHaveLength(2); // after 2 s
    vi.advanceTimersByTime(2 * SYNC_RETRY_MS);
    expect(server.emitted).toHaveLength(3); // then after 4 s
    vi.advanceTimersByTime(10 * SYNC_RETRY_MAX_MS);
    const capped = server.emitted.length;
    vi.advanceTimersByTime(SYNC_RETRY_MAX_MS);
    expect(server.emitted.length).toBe(capped + 1); // no longer than the cap apart

    // The worker's first frame (a new epoch) asks once more; the full frame answering it ends the repeats.
    server.frame(frame(7, false));
    const asked = server.emitted.length;
    server.frame(frame(8, true));
    expect(relay.stats.syncs).toBe(1);
    vi.advanceTimersByTime(10 * SYNC_RETRY_MAX_MS);
    expect(server.emitted.length).toBe(asked);
    relay.close();
  });

  it('close() cancels a pending repeat', () => {
    const server = fakeServer();
    const relay = new Relay(server.io);
    relay.requestSync();
    relay.close();
    vi.advanceTimersByTime(10 * SYNC_RETRY_MAX_MS);
    expect(server.emitted).toHaveLength(1);
  });
});
