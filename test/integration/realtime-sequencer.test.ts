/**
 * FrameSequencer (worker/realtime/frame-sequencer.ts): the realtime nodes' reorder buffer for
 * the worker's frames, which the postgres adapter may deliver out of order. Pure; fake timers
 * for the gap wait.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Frame } from '@/worker/realtime/frames';
import { FrameSequencer } from '@/worker/realtime/frame-sequencer';

const frame = (seq: number, epoch = 'e1'): Frame => ({ epoch, seq, full: false, closed: [], ticks: [], candles: [] });

describe('realtime frame sequencer', () => {
  afterEach(() => vi.useRealTimers());

  it('delivers in seq order, holding early frames and dropping duplicates', () => {
    const seen: number[] = [];
    const epochs: string[] = [];
    const sequencer = new FrameSequencer((f) => seen.push(f.seq), { onEpoch: (e) => epochs.push(e) });
    for (const seq of [5, 7, 6, 6, 5, 8]) sequencer.push(frame(seq));
    expect(seen).toEqual([5, 6, 7, 8]);
    expect(epochs).toEqual(['e1']);
    expect(sequencer.stats).toMatchObject({ delivered: 4, dropped: 2, gaps: 0, waiting: 0 });
    sequencer.close();
  });

  it('skips a frame missing for gapMs and reports the gap', () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const gaps: number[] = [];
    const sequencer = new FrameSequencer((f) => seen.push(f.seq), { gapMs: 500, onGap: (n) => gaps.push(n) });
    sequencer.push(frame(1));
    sequencer.push(frame(4));
    sequencer.push(frame(3));
    vi.advanceTimersByTime(499);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 3, 4]);
    expect(gaps).toEqual([1]);
    sequencer.push(frame(2)); // too late: dropped
    expect(seen).toEqual([1, 3, 4]);
    sequencer.close();
  });

  it('a new epoch (worker restart) starts over at its first frame', () => {
    const seen: string[] = [];
    const sequencer = new FrameSequencer((f) => seen.push(`${f.epoch}:${f.seq}`));
    sequencer.push(frame(40));
    sequencer.push(frame(41));
    sequencer.push(frame(1, 'e2'));
    sequencer.push(frame(2, 'e2'));
    expect(seen).toEqual(['e1:40', 'e1:41', 'e2:1', 'e2:2']);
    sequencer.close();
  });
});
