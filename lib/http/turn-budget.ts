/**
 * Bulk work paced per event-loop turn (issue 12 point 1: `/api/health` p99 ≤ 50 ms while 200
 * clients read 31 days of 1m candles without pause).
 *
 * Every request read from the sockets in one turn of the event loop runs in that same turn, so
 * with 200 clients each re-asking at once for a ~0.4 MB candle body a turn grew to 150–360 ms,
 * and a health probe read in the next turn waited that long. A `TurnBudget` lets at most
 * `perTurn` callers through per turn, in arrival order; the rest wait for the following turns.
 * Requests that do not take the budget (the health probe) are answered in the turn they are
 * read, so their latency is about one paced turn. Throughput is unchanged: the same work runs
 * in more, shorter turns.
 *
 * The turn boundary is Node's check phase (`setImmediate`): callers that arrive while nothing is
 * queued and the turn's budget lasts run at once; the rest are released `perTurn` at a time from
 * a check-phase callback, which runs after the poll phase in which requests are read.
 */
export class TurnBudget {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  private armed = false;

  /** @param perTurn callers let through per event-loop turn (≥ 1). */
  constructor(readonly perTurn: number) {
    if (!Number.isInteger(perTurn) || perTurn < 1) throw new RangeError(`TurnBudget: perTurn must be an integer ≥ 1, got ${perTurn}`);
  }

  /** Callers waiting for a later turn (metrics, tests). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves when the caller may run: at once while this turn's budget lasts, else in a later turn. */
  turn(): Promise<void> {
    this.arm();
    if (this.waiting.length === 0 && this.used < this.perTurn) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => this.release());
  }

  /** Check phase: a new turn's budget, spent on the oldest waiting callers first. */
  private release(): void {
    this.armed = false;
    this.used = 0;
    while (this.used < this.perTurn && this.waiting.length > 0) {
      this.used++;
      this.waiting.shift()!();
    }
    if (this.waiting.length > 0 || this.used > 0) this.arm();
  }
}

/** `handler` run through `budget`: one budget unit per call, taken before the handler starts. */
export function paced<A extends unknown[], R>(budget: TurnBudget, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    await budget.turn();
    return handler(...args);
  };
}
