/**
 * State changes of tick sources as typed events (the graphile/worker way: an EventEmitter with a
 * typed event map), so `feed_events`, metrics and health subscribe instead of polling.
 *
 * States (issue 11 point 4): starting, connecting, live, reconnecting, token_expired (a broker
 * refused the access token), finished (a replay reached the end of its file), stopped, failed.
 */
import { EventEmitter } from 'node:events';

export const SOURCE_STATES = ['starting', 'connecting', 'live', 'reconnecting', 'token_expired', 'finished', 'stopped', 'failed'] as const;
export type SourceState = (typeof SOURCE_STATES)[number];

/** One state change of one source. */
export interface StateChange {
  /** The source's name (`replay:<file>`, `simulator`, `collectors`, `collector:<name>`). */
  source: string;
  state: SourceState;
  /** The state left, or null for the first report of a source. */
  previous: SourceState | null;
  /** When the source entered `state`, epoch ms (the source's clock). */
  at: number;
  /** Human-readable cause (error message, file, …), or null. */
  detail: string | null;
}

/** The typed event map of every tick source. */
export interface SourceEventMap {
  state: [change: StateChange];
}

/** Emitter of `state` events (listeners run synchronously, in order, at the change). */
export class SourceEvents extends EventEmitter<SourceEventMap> {}

/**
 * Holds a source's current state and emits a `state` event on every change (never for a
 * repeated state). Synchronous: a change that lasts a microsecond is still delivered.
 */
export class StateTracker<S extends SourceState = SourceState> {
  private current: S;
  private since: number;

  constructor(
    readonly source: string,
    initial: NoInfer<S>,
    readonly events: SourceEvents,
    private readonly now: () => number,
  ) {
    this.current = initial;
    this.since = now();
  }

  get state(): S {
    return this.current;
  }

  /** When the current state was entered, epoch ms. */
  get enteredAt(): number {
    return this.since;
  }

  /** Enter `state` (no-op when already in it); returns whether it changed. */
  set(state: S, detail: string | null = null): boolean {
    if (state === this.current) return false;
    const previous = this.current;
    this.current = state;
    this.since = this.now();
    this.events.emit('state', { source: this.source, state, previous, at: this.since, detail });
    return true;
  }

  /** The current state as a first report (previous null), for a subscriber that joins late. */
  snapshot(detail: string | null = null): StateChange {
    return { source: this.source, state: this.current, previous: null, at: this.since, detail };
  }
}
