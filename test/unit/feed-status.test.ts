/** The header badge's rule (lib/market/feed-status.ts): Live, Delayed, Market closed, Replay finished, … */
import { describe, expect, it } from 'vitest';
import { DELAYED_AFTER_MS, DESK_STATUS_LABEL, deskStatus } from '@/lib/market/feed-status';

const now = Date.parse('2026-03-10T05:00:00Z'); // 10:30 IST
const live = (lastTickTime: number | null, name = 'simulator') => ({ name, state: 'live', lastTickTime });

describe('deskStatus', () => {
  it('is Live while ticks are fresh, whatever the calendar says', () => {
    expect(deskStatus({ connection: 'live', feed: live(now - 1000), marketOpen: true, now })).toBe('live');
    expect(deskStatus({ connection: 'live', feed: live(now - 1000), marketOpen: false, now })).toBe('live');
  });

  it(`is Delayed after ${DELAYED_AFTER_MS / 1000} s without a tick during market hours, Market closed outside them`, () => {
    const stale = live(now - DELAYED_AFTER_MS - 1);
    expect(deskStatus({ connection: 'live', feed: stale, marketOpen: true, now })).toBe('delayed');
    expect(deskStatus({ connection: 'live', feed: stale, marketOpen: false, now })).toBe('closed');
    expect(deskStatus({ connection: 'live', feed: live(null, 'collectors'), marketOpen: true, now })).toBe('delayed');
    expect(DESK_STATUS_LABEL.closed).toBe('Market closed');
  });

  it('says Replay while a replay runs and Replay finished when it has ended', () => {
    const old = Date.parse('2022-11-30T09:59:59Z');
    expect(deskStatus({ connection: 'live', feed: live(old, 'replay:anshkumar_2022-11-30.csv'), marketOpen: true, now })).toBe('replaying');
    const finished = { name: 'replay:anshkumar_2022-11-30.csv', state: 'finished', lastTickTime: old };
    expect(deskStatus({ connection: 'live', feed: finished, marketOpen: true, now })).toBe('finished');
    expect(DESK_STATUS_LABEL.finished).toBe('Replay finished');
  });

  it('reports a lost connection and an unknown feed honestly', () => {
    expect(deskStatus({ connection: 'offline', feed: live(now), marketOpen: true, now })).toBe('offline');
    expect(deskStatus({ connection: 'connecting', feed: null, marketOpen: null, now })).toBe('connecting');
    expect(deskStatus({ connection: 'live', feed: { name: 'x', state: 'failed', lastTickTime: null }, marketOpen: true, now })).toBe('failed');
  });
});
