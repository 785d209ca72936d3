/**
 * Puts the worker's frames (frames.ts) back in order on a realtime node.
 *
 * The cluster adapter may deliver frame n+1 before frame n (an attachment fetched from the
 * database arrives after a small notification sent later). Frames are handed to `deliver` in
 * `seq` order; a frame that arrives early waits. If the missing one has not come after `gapMs`
 * (a lost notification: the adapter's LISTEN connection dropped, a worker crash), the sequencer
 * skips to the oldest waiting frame and calls `onGap` (the node then asks for a full frame).
 *
 * A new `epoch` (the worker restarted, or the node's first frame) restarts the count at that
 * frame's `seq` and calls `onEpoch`. Frames older than the next expected one are dropped.
 * No I/O; timers only for the gap wait.
 */
import type { Frame } from './frames';

export interface SequencerStats {
  epoch: string | null;
  /** Frames handed on in order. */
  delivered: number;
  /** Frames dropped as stale or duplicate. */
  dropped: number;
  /** Times a missing frame was given up on. */
  gaps: number;
  /** Frames waiting for an earlier one. */
  waiting: number;
}

export class FrameSequencer {
  private epoch: string | null = null;
  private next = 0;
  private readonly waiting = new Map<number, Frame>();
  private gapTimer: NodeJS.Timeout | null = null;
  private delivered = 0;
  private dropped = 0;
  private gaps = 0;

  constructor(
    private readonly deliver: (frame: Frame) => void,
    private readonly options: {
      /** How long an early frame waits for the missing one (ms, default 1000). */
      gapMs?: number;
      /** Most frames kept waiting before skipping at once (default 256). */
      maxWaiting?: number;
      onEpoch?: (epoch: string) => void;
      onGap?: (missing: number) => void;
    } = {},
  ) {}

  /** Accept a frame as the adapter delivered it. */
  push(frame: Frame): void {
    if (frame.epoch !== this.epoch) {
      this.reset(frame.epoch, frame.seq);
      this.options.onEpoch?.(frame.epoch);
    }
    if (frame.seq < this.next || this.waiting.has(frame.seq)) {
      this.dropped++;
      return;
    }
    this.waiting.set(frame.seq, frame);
    this.drain();
    if (this.waiting.size >= (this.options.maxWaiting ?? 256)) this.skip();
    else if (this.waiting.size > 0) this.gapTimer ??= setTimeout(() => this.skip(), this.options.gapMs ?? 1000);
  }

  get stats(): SequencerStats {
    return { epoch: this.epoch, delivered: this.delivered, dropped: this.dropped, gaps: this.gaps, waiting: this.waiting.size };
  }

  /** Forget waiting frames and timers. */
  close(): void {
    this.clearTimer();
    this.waiting.clear();
  }

  private reset(epoch: string, seq: number): void {
    this.close();
    this.epoch = epoch;
    this.next = seq;
  }

  private drain(): void {
    let frame: Frame | undefined;
    while ((frame = this.waiting.get(this.next))) {
      this.waiting.delete(this.next);
      this.next++;
      this.delivered++;
      this.deliver(frame);
    }
    if (this.waiting.size === 0) this.clearTimer();
  }

  /** Give up on the missing frame(s): continue at the oldest waiting one. */
  private skip(): void {
    this.clearTimer();
    if (this.waiting.size === 0) return;
    const oldest = Math.min(...this.waiting.keys());
    const missing = oldest - this.next;
    this.gaps++;
    this.next = oldest;
    this.drain();
    this.options.onGap?.(missing);
    if (this.waiting.size > 0) this.gapTimer = setTimeout(() => this.skip(), this.options.gapMs ?? 1000);
  }

  private clearTimer(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }
}
