/**
 * Live updates applied at most once per animation frame (issue 12: the chart page stays smooth
 * at 60 fps whatever the conflation interval or burst of Socket.IO events).
 *
 * `frameQueue(apply, keyOf)` returns a queue: `push(item)` keeps the item under `keyOf(item)`
 * (a later item with the same key replaces the earlier one in its place, so e.g. the open
 * candle of one bucket updated three times in a frame is drawn once, its latest version) and
 * asks for one frame; on that frame `apply(items)` runs once with everything kept, in first-push
 * order of the keys. `cancel()` drops what is queued (unmount, symbol change).
 *
 * The frame source defaults to the browser's requestAnimationFrame (a hidden tab gets no frames:
 * updates are kept, one per key, and drawn when it shows again); tests inject their own.
 */

/** Schedules a callback for the next frame and cancels it by the handle it returned. */
export interface FrameSource {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const browserFrames: FrameSource = {
  request: (callback) =>
    typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => callback()) : (setTimeout(callback, 16) as unknown as number),
  cancel: (handle) => (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(handle) : clearTimeout(handle)),
};

export interface FrameQueue<T> {
  push(item: T): void;
  cancel(): void;
}

export function frameQueue<T>(apply: (items: T[]) => void, keyOf: (item: T) => string | number, frames: FrameSource = browserFrames): FrameQueue<T> {
  let queued = new Map<string | number, T>();
  let handle: number | null = null;
  const run = () => {
    handle = null;
    const items = [...queued.values()];
    queued = new Map();
    if (items.length > 0) apply(items);
  };
  return {
    push(item) {
      queued.set(keyOf(item), item);
      handle ??= frames.request(run);
    },
    cancel() {
      if (handle !== null) frames.cancel(handle);
      handle = null;
      queued = new Map();
    },
  };
}
