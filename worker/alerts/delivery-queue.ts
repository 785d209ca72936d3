/**
 * The webhook delivery queue of the alert engine: at most `concurrency` deliveries in flight (each
 * with its retries), at most `maxQueued` waiting; a delivery past that is not attempted and
 * reported `dropped` (the engine records `failed: delivery queue full`). Bounds the outbound
 * sockets and memory a flood of firings can take (docs/security.md, "Limits").
 */
import { ConcurrencyLimit } from '@/lib/security/concurrency';
import { ALERT_LIMITS } from '@/lib/market/alerts';

export interface DeliveryQueueOptions {
  concurrency?: number;
  maxQueued?: number;
}

export class DeliveryQueue {
  private readonly limit: ConcurrencyLimit;
  private readonly pending = new Set<Promise<void>>();
  /** Deliveries refused because the queue was full. */
  dropped = 0;

  constructor(options: DeliveryQueueOptions = {}) {
    this.limit = new ConcurrencyLimit({
      max: options.concurrency ?? ALERT_LIMITS.webhookConcurrency,
      maxQueue: options.maxQueued ?? ALERT_LIMITS.webhookQueue,
      what: 'webhook queue',
    });
  }

  /** Deliveries running now. */
  get active(): number {
    return this.limit.active;
  }

  /** Deliveries waiting. */
  get queued(): number {
    return this.limit.queued;
  }

  /**
   * Queue `job`; `onDropped` runs instead when the queue is full. Job errors are swallowed (a
   * delivery reports its own outcome).
   */
  push(job: () => Promise<void>, onDropped: () => Promise<void> | void): void {
    const run = this.limit.run(job).catch(async (error: unknown) => {
      if ((error as { code?: unknown })?.code === 'too_many_requests') {
        this.dropped += 1;
        await onDropped();
      }
    });
    const tracked = run.catch(() => undefined);
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** Resolves when every queued and running delivery has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
