/**
 * The simulator's tick schedule: a binary min-heap of instruments by their next tick instant
 * (epoch ms), ties broken by universe order, so the earliest due instrument is found in O(log n)
 * instead of a scan of the whole universe per tick.
 */
export interface Scheduled {
  /** Next tick instant, epoch ms. */
  nextAt: number;
  /** Position in the universe (tie-breaker). */
  order: number;
}

export class Schedule<T extends Scheduled> {
  private heap: T[] = [];

  /** Rebuild from `items` (after every nextAt changed). */
  reset(items: readonly T[]): void {
    this.heap = items.slice();
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The earliest due item, or undefined when empty. */
  peek(): T | undefined {
    return this.heap[0];
  }

  /** After the earliest item's nextAt moved later: restore the order. */
  rescheduleTop(): void {
    this.down(0);
  }

  private less(a: T, b: T): boolean {
    return a.nextAt < b.nextAt || (a.nextAt === b.nextAt && a.order < b.order);
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
