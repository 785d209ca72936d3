/**
 * The chart's live updates are applied at most once per animation frame (components/chart/
 * frame-queue.ts, issue 12 "60 fps"): a burst of events between two frames is one apply with
 * the latest item per key, in first-push order; cancel drops the queue and the frame request.
 */
import { describe, expect, it } from 'vitest';
import { frameQueue, type FrameSource } from '@/components/chart/frame-queue';

/** Frames the test fires by hand. */
function manualFrames() {
  const callbacks = new Map<number, () => void>();
  let next = 1;
  const source: FrameSource = {
    request: (callback) => {
      callbacks.set(next, callback);
      return next++;
    },
    cancel: (handle) => void callbacks.delete(handle),
  };
  const frame = () => {
    const due = [...callbacks.values()];
    callbacks.clear();
    for (const callback of due) callback();
  };
  return { source, frame, get requested() { return callbacks.size; } };
}

interface Bar { bucket: number; close: number }

describe('frameQueue', () => {
  it('applies a burst once per frame with the latest version of each key', () => {
    const frames = manualFrames();
    const applied: Bar[][] = [];
    const queue = frameQueue<Bar>((items) => applied.push(items), (bar) => bar.bucket, frames.source);
    queue.push({ bucket: 60, close: 1 });
    queue.push({ bucket: 120, close: 2 });
    queue.push({ bucket: 60, close: 3 }); // the older bar amended (closed after a late tick)
    queue.push({ bucket: 120, close: 4 });
    expect(frames.requested).toBe(1);
    expect(applied).toEqual([]);
    frames.frame();
    expect(applied).toEqual([[{ bucket: 60, close: 3 }, { bucket: 120, close: 4 }]]);
    frames.frame(); // nothing new: no apply
    expect(applied).toHaveLength(1);
    queue.push({ bucket: 120, close: 5 });
    frames.frame();
    expect(applied).toEqual([[{ bucket: 60, close: 3 }, { bucket: 120, close: 4 }], [{ bucket: 120, close: 5 }]]);
  });

  it('cancel drops what is queued and the pending frame', () => {
    const frames = manualFrames();
    const applied: Bar[][] = [];
    const queue = frameQueue<Bar>((items) => applied.push(items), (bar) => bar.bucket, frames.source);
    queue.push({ bucket: 60, close: 1 });
    queue.cancel();
    expect(frames.requested).toBe(0);
    frames.frame();
    expect(applied).toEqual([]);
  });
});
