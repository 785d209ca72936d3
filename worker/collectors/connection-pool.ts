/**
 * A collector's instruments and connections: which instrument rides which connection, in which
 * mode, within the broker's caps (placement: subscription-plan.ts). It only keeps the book;
 * the collector opens, closes and sends on the sockets as the returned actions say.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { StreamMode } from '../sources/stream';
import { newSlot, type Slot, type Subscription } from './connection-slot';
import { placeTokens } from './subscription-plan';
import type { SubscriptionChange } from './types';

/** Tokens to (re)send on a slot in one mode. */
export interface SlotSubscribe {
  slot: Slot;
  tokens: number[];
  mode: StreamMode;
}

export interface PoolLimits {
  perConnection: number;
  connectionsPerKey: number;
  /** Connections on the API key held by other collectors. */
  usedByOthers: number;
}

export class ConnectionPool {
  readonly subs = new Map<number, Subscription>();
  readonly slots = new Map<number, Slot>();
  private nextSlotId = 1;

  constructor(
    private readonly collector: string,
    private readonly now: () => number,
  ) {}

  /** Add an idle slot. */
  addSlot(): Slot {
    const slot = newSlot(this.nextSlotId++, this.now());
    this.slots.set(slot.id, slot);
    return slot;
  }

  /**
   * Subscribe `instruments` in `mode` (new ones placed on connections, known ones switched to
   * `mode`). Returns what changed and the subscribe messages to send; new slots are created
   * idle. Throws CollectorError('subscription_cap') when the new instruments do not fit.
   */
  subscribe(instruments: readonly Instrument[], mode: StreamMode, limits: PoolLimits): { change: SubscriptionChange; send: SlotSubscribe[] } {
    const fresh: Instrument[] = [];
    const seen = new Set<number>();
    const modeChanged = new Map<number, number[]>();
    for (const instrument of instruments) {
      const token = instrument.instrumentToken;
      if (seen.has(token)) continue;
      seen.add(token);
      const existing = this.subs.get(token);
      if (!existing) fresh.push(instrument);
      else if (existing.mode !== mode) {
        existing.mode = mode;
        modeChanged.set(existing.slot, [...(modeChanged.get(existing.slot) ?? []), token]);
      }
    }
    const placement = placeTokens({
      existing: new Map([...this.slots.values()].map((slot) => [slot.id, slot.tokens.size])),
      tokens: fresh.map((i) => i.instrumentToken),
      perConnection: limits.perConnection,
      newConnectionsAllowed: Math.max(0, limits.connectionsPerKey - limits.usedByOthers - this.slots.size),
      connectionsPerKey: limits.connectionsPerKey,
      collector: this.collector,
    });
    const byToken = new Map(fresh.map((i) => [i.instrumentToken, i]));
    const now = this.now();
    const assign = (slot: Slot, tokens: number[]) => {
      for (const token of tokens) {
        slot.tokens.add(token);
        this.subs.set(token, { instrument: byToken.get(token)!, mode, slot: slot.id, subscribedAt: now, lastTickAt: null, lastExchangeTime: null });
      }
    };
    const send: SlotSubscribe[] = [];
    for (const [id, tokens] of placement.onExisting) {
      const slot = this.slots.get(id)!;
      assign(slot, tokens);
      send.push({ slot, tokens, mode });
    }
    for (const [id, tokens] of modeChanged) send.push({ slot: this.slots.get(id)!, tokens, mode });
    for (const tokens of placement.onNew) {
      // The first connection of a collector with no instruments yet is reused.
      const slot = [...this.slots.values()].find((s) => s.tokens.size === 0) ?? this.addSlot();
      assign(slot, tokens);
      send.push({ slot, tokens, mode });
    }
    const change = {
      added: fresh.length,
      modeChanged: [...modeChanged.values()].reduce((n, list) => n + list.length, 0),
      removed: 0,
      instruments: this.subs.size,
    };
    return { change, send };
  }

  /**
   * Remove `tokens`. Returns the tokens removed per slot and the slots left empty (other than
   * the last one), which the caller closes and then drops with `removeSlot`.
   */
  unsubscribe(tokens: readonly number[]): { bySlot: Map<Slot, number[]>; emptied: Slot[]; change: SubscriptionChange } {
    const bySlot = new Map<Slot, number[]>();
    for (const token of new Set(tokens)) {
      const sub = this.subs.get(token);
      if (!sub) continue;
      this.subs.delete(token);
      const slot = this.slots.get(sub.slot)!;
      slot.tokens.delete(token);
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), token]);
    }
    const emptied: Slot[] = [];
    let remaining = this.slots.size;
    for (const slot of bySlot.keys()) {
      if (slot.tokens.size === 0 && remaining > 1) {
        emptied.push(slot);
        remaining -= 1;
      }
    }
    const removed = [...bySlot.values()].reduce((n, list) => n + list.length, 0);
    return { bySlot, emptied, change: { added: 0, modeChanged: 0, removed, instruments: this.subs.size } };
  }

  removeSlot(slot: Slot): void {
    this.slots.delete(slot.id);
  }

  /** The slot's tokens grouped by their mode (for resubscribing after an open). */
  tokensByMode(slot: Slot): Map<StreamMode, number[]> {
    const byMode = new Map<StreamMode, number[]>();
    for (const token of slot.tokens) {
      const mode = this.subs.get(token)!.mode;
      byMode.set(mode, [...(byMode.get(mode) ?? []), token]);
    }
    return byMode;
  }
}
