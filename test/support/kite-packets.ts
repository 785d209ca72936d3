/**
 * Encoder for Kite's ticker binary protocol (the inverse of KiteTicker's decoder), used by the
 * local ticker server in tests.
 *
 * Layout (kite.trade/docs/connect/v3/websocket/#message-structure; ../shared/notes/market.md):
 * a message is int16 packet count, then per packet int16 length + bytes; all fields big-endian
 * int32; prices in paise (÷100; NSE currency ÷10,000,000; BSE currency ÷10,000) with segment =
 * instrument_token & 0xff. Tradable instruments: ltp 8 bytes, quote 44, full 184 (adds
 * last_trade_time, OI, OI day high/low, exchange timestamp, 5+5 depth levels of qty int32,
 * price int32, orders int16, 2 padding bytes). Indices (segment 9): ltp 8, quote 28
 * (ltp, high, low, open, close, change), full 32 (+ exchange timestamp). Times are epoch seconds.
 */

export type KiteMode = 'ltp' | 'quote' | 'full';

export interface DepthEntry {
  price: number;
  quantity: number;
  orders: number;
}

/** Values of one packet, in rupees and epoch ms, named as KiteTicker names its tick fields. */
export interface KitePacketValues {
  instrument_token: number;
  last_price: number;
  last_traded_quantity?: number;
  average_traded_price?: number;
  volume_traded?: number;
  total_buy_quantity?: number;
  total_sell_quantity?: number;
  ohlc?: { open: number; high: number; low: number; close: number };
  /** Index packets carry a raw change field (int32); 0 when absent. */
  change?: number;
  /** Epoch ms (encoded as whole seconds); 0/undefined encodes as 0. */
  last_trade_time?: number;
  exchange_timestamp?: number;
  oi?: number;
  oi_day_high?: number;
  oi_day_low?: number;
  depth?: { buy: DepthEntry[]; sell: DepthEntry[] };
}

const SEGMENT_NSE_CD = 3;
const SEGMENT_BSE_CD = 6;
const SEGMENT_INDICES = 9;

/** Price divisor of the token's segment (KiteTicker's rule). */
export function priceDivisor(instrumentToken: number): number {
  const segment = instrumentToken & 0xff;
  if (segment === SEGMENT_NSE_CD) return 10_000_000;
  if (segment === SEGMENT_BSE_CD) return 10_000;
  return 100;
}

/** Packet length for a token in a mode (what KiteTicker dispatches on). */
export function packetLength(instrumentToken: number, mode: KiteMode): number {
  if (mode === 'ltp') return 8;
  if ((instrumentToken & 0xff) === SEGMENT_INDICES) return mode === 'full' ? 32 : 28;
  return mode === 'full' ? 184 : 44;
}

/** Encode one packet (no message header). */
export function encodePacket(values: KitePacketValues, mode: KiteMode): Buffer {
  const token = values.instrument_token;
  const divisor = priceDivisor(token);
  const buf = Buffer.alloc(packetLength(token, mode));
  const price = (rupees: number | undefined) => Math.round((rupees ?? 0) * divisor);
  const seconds = (ms: number | undefined) => (ms ? Math.round(ms / 1000) : 0);
  const ohlc = values.ohlc ?? { open: 0, high: 0, low: 0, close: 0 };
  buf.writeUInt32BE(token >>> 0, 0);
  buf.writeInt32BE(price(values.last_price), 4);
  if (mode === 'ltp') return buf;

  if ((token & 0xff) === SEGMENT_INDICES) {
    buf.writeInt32BE(price(ohlc.high), 8);
    buf.writeInt32BE(price(ohlc.low), 12);
    buf.writeInt32BE(price(ohlc.open), 16);
    buf.writeInt32BE(price(ohlc.close), 20);
    buf.writeInt32BE(Math.round(values.change ?? 0), 24);
    if (mode === 'full') buf.writeUInt32BE(seconds(values.exchange_timestamp), 28);
    return buf;
  }

  buf.writeInt32BE(values.last_traded_quantity ?? 0, 8);
  buf.writeInt32BE(price(values.average_traded_price), 12);
  buf.writeUInt32BE(values.volume_traded ?? 0, 16);
  buf.writeUInt32BE(values.total_buy_quantity ?? 0, 20);
  buf.writeUInt32BE(values.total_sell_quantity ?? 0, 24);
  buf.writeInt32BE(price(ohlc.open), 28);
  buf.writeInt32BE(price(ohlc.high), 32);
  buf.writeInt32BE(price(ohlc.low), 36);
  buf.writeInt32BE(price(ohlc.close), 40);
  if (mode === 'quote') return buf;

  buf.writeUInt32BE(seconds(values.last_trade_time), 44);
  buf.writeUInt32BE(values.oi ?? 0, 48);
  buf.writeUInt32BE(values.oi_day_high ?? 0, 52);
  buf.writeUInt32BE(values.oi_day_low ?? 0, 56);
  buf.writeUInt32BE(seconds(values.exchange_timestamp), 60);
  const levels = [...padDepth(values.depth?.buy), ...padDepth(values.depth?.sell)];
  levels.forEach((level, i) => {
    const at = 64 + i * 12;
    buf.writeUInt32BE(level.quantity, at);
    buf.writeInt32BE(price(level.price), at + 4);
    buf.writeUInt16BE(level.orders, at + 8);
  });
  return buf;
}

function padDepth(levels: DepthEntry[] | undefined): DepthEntry[] {
  const out = (levels ?? []).slice(0, 5);
  while (out.length < 5) out.push({ price: 0, quantity: 0, orders: 0 });
  return out;
}

/** Frame packets into one binary message: int16 count, then int16 length + bytes per packet. */
export function encodeMessage(packets: readonly Buffer[]): Buffer {
  const size = 2 + packets.reduce((sum, p) => sum + 2 + p.length, 0);
  const out = Buffer.alloc(size);
  out.writeUInt16BE(packets.length, 0);
  let at = 2;
  for (const packet of packets) {
    out.writeUInt16BE(packet.length, at);
    packet.copy(out, at + 2);
    at += 2 + packet.length;
  }
  return out;
}
