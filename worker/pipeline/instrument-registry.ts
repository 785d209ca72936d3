/**
 * Makes sure every instrument that ticks has a row in `instruments` (so charts and searches
 * find it), without overwriting richer rows imported from the broker's instruments master.
 */
import type { Database } from '@/lib/db/client';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';

export class InstrumentRegistry {
  private readonly known = new Set<number>();

  constructor(private readonly db: Database) {}

  /** Register full instrument rows (a feed's universe); existing rows are left as they are. */
  async register(list: readonly Instrument[]): Promise<void> {
    const fresh = list.filter((item) => !this.known.has(item.instrumentToken));
    if (fresh.length === 0) return;
    await upsertInstruments(this.db, fresh, { onlyMissing: true });
    for (const item of fresh) this.known.add(item.instrumentToken);
  }

  /** Register minimal rows for instruments first seen in these ticks. */
  async registerFromTicks(ticks: readonly Tick[]): Promise<void> {
    let fresh: Map<number, Instrument> | undefined;
    for (const tick of ticks) {
      if (this.known.has(tick.instrumentToken) || fresh?.has(tick.instrumentToken)) continue;
      fresh ??= new Map();
      fresh.set(tick.instrumentToken, {
        instrumentToken: tick.instrumentToken,
        exchange: tick.exchange,
        tradingsymbol: tick.tradingsymbol,
        name: null,
        segment: null,
        instrumentType: null,
        tickSize: null,
        lotSize: null,
        expiry: null,
        strike: null,
      });
    }
    if (fresh) await this.register([...fresh.values()]);
  }
}
