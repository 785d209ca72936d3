/**
 * Fyers data-socket messages (the documented JSON the fyers-api-v3 client emits: `sf` symbol
 * feed, `if` index feed, `dp` depth; ../shared/data/fyers-v3-fixtures/ws) → our `Tick`.
 *
 * - exchangeTime: `exch_feed_time` (epoch seconds) → ms UTC; falls back to `last_traded_time`,
 *   then the receive time.
 * - Prices in rupees as sent (the index feed sends numbers as strings: coerced).
 * - volume: `vol_traded_today` (cumulative day volume); prevClose: `prev_close_price`.
 * - `dp` messages carry only the 5-level book: kept per symbol and attached to that symbol's
 *   next `sf` tick (best bid/ask from the book when present).
 */
import type { Instrument } from '@/lib/market/instrument';
import type { DepthLevel, Tick } from '@/lib/market/tick';
import { fromFyersSymbol } from './symbols';

export type FyersMessage = { type?: unknown; symbol?: unknown } & Record<string, unknown>;

const num = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

function book(message: FyersMessage): { buy: DepthLevel[]; sell: DepthLevel[] } {
  const side = (price: string, size: string, orders: string) =>
    [1, 2, 3, 4, 5]
      .map((i) => ({ price: num(message[`${price}${i}`]) ?? 0, quantity: num(message[`${size}${i}`]) ?? 0, orders: num(message[`${orders}${i}`]) ?? 0 }))
      .filter((level) => level.price > 0);
  return { buy: side('bid_price', 'bid_size', 'bid_order'), sell: side('ask_price', 'ask_size', 'ask_order') };
}

export type FyersMapResult = { tick: Tick } | { depth: true } | { skipped: string };

/** Stateful mapper (keeps the last book per symbol). `lookup` takes our symbol. */
export class FyersTickMapper {
  private readonly books = new Map<string, { buy: DepthLevel[]; sell: DepthLevel[] }>();

  constructor(private readonly lookup: (symbol: string) => Instrument | undefined) {}

  /** Map one message; `receivedAt` (epoch ms) when it has no usable timestamp. */
  map(message: FyersMessage, receivedAt: number): FyersMapResult {
    const type = message.type;
    const fyersSymbol = typeof message.symbol === 'string' ? message.symbol : '';
    const ours = fromFyersSymbol(fyersSymbol);
    const instrument = ours ? this.lookup(ours) : undefined;
    if (!instrument) return { skipped: `unknown symbol ${JSON.stringify(fyersSymbol)}` };
    if (type === 'dp') {
      this.books.set(fyersSymbol, book(message));
      return { depth: true };
    }
    if (type !== 'sf' && type !== 'if') return { skipped: `unknown message type ${JSON.stringify(type)}` };
    const ltp = num(message.ltp);
    if (ltp === null || ltp <= 0) return { skipped: `no ltp for ${fyersSymbol}` };
    const stamp = num(message.exch_feed_time) ?? num(message.last_traded_time);
    const depth = type === 'sf' ? this.books.get(fyersSymbol) : undefined;
    const tick: Tick = {
      instrumentToken: instrument.instrumentToken,
      exchange: instrument.exchange,
      tradingsymbol: instrument.tradingsymbol,
      exchangeTime: stamp && stamp > 0 ? stamp * 1000 : receivedAt,
      ltp,
      lastQuantity: num(message.last_traded_qty) ?? 0,
      volume: type === 'sf' ? (num(message.vol_traded_today) ?? 0) : 0,
      averagePrice: num(message.avg_trade_price) || null,
      oi: num(message.oi),
      bidPrice: depth?.buy[0]?.price ?? num(message.bid_price),
      bidQuantity: depth?.buy[0]?.quantity ?? num(message.bid_size),
      askPrice: depth?.sell[0]?.price ?? num(message.ask_price),
      askQuantity: depth?.sell[0]?.quantity ?? num(message.ask_size),
      ...(depth ? { depth } : {}),
      prevClose: num(message.prev_close_price),
      feed: 'fyers',
    };
    return { tick };
  }
}
