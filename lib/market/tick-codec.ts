/**
 * A compact binary form of a batch of ticks (`Tick`, optionally with the stored `seq`), for the
 * two places ticks cross a boundary in bulk: the write-ahead journal's records
 * (worker/storage/journal.ts) and the replay parse thread's hand-over (a transferable buffer
 * instead of a structured clone of 1,000 objects). Encoding and decoding cost a fraction of
 * `JSON.stringify`/`JSON.parse` or a structured clone of the same ticks (`npm run bench`,
 * "ingest stages alone"), and the decoded ticks all share one object shape.
 *
 * Lossless for every field of lib/contracts/tick.ts (test/unit/tick-codec.test.ts checks the
 * field list against the schema): numbers are float64 (so -0, NaN and safe integers survive),
 * null stays null, an absent `prevClose`, `depth` or `seq` stays absent. An `undefined` number
 * in a field the contract requires is written as null (the contract forbids both).
 *
 * Layout, little-endian:
 * - u32 MAGIC, u32 tick count, u32 string count, then each string as u16 byte length + UTF-8
 *   (exchange, tradingsymbol and feed values, each once per batch);
 * - per tick: u32 flags (NUMBER_FIELDS null bits, then PREV_CLOSE, PREV_CLOSE_NULL, DEPTH, SEQ),
 *   u32 × 3 string indexes (exchange, tradingsymbol, feed), float64 × 11 NUMBER_FIELDS,
 *   [float64 prevClose], [u8 buy levels, u8 sell levels, float64 × 3 per level],
 *   [int32 seq].
 */
import type { DepthLevel, Tick } from '@/lib/contracts/tick';

/** A tick that may carry its stored `seq` (worker/storage/tick-sequencer.ts). */
type CodecTick = Tick & { seq?: number };

const MAGIC = 0x4b43_544d; // "MTCK" read little-endian

/** The numeric fields in their encoded order. */
export const NUMBER_FIELDS = [
  'instrumentToken',
  'exchangeTime',
  'ltp',
  'lastQuantity',
  'volume',
  'averagePrice',
  'oi',
  'bidPrice',
  'bidQuantity',
  'askPrice',
  'askQuantity',
] as const;
/** The string fields, stored as indexes into the batch's string table. */
export const STRING_FIELDS = ['exchange', 'tradingsymbol', 'feed'] as const;
/** Optional fields, present only when the tick has them. */
export const OPTIONAL_FIELDS = ['prevClose', 'depth'] as const;

const PREV_CLOSE = 1 << 11;
const PREV_CLOSE_NULL = 1 << 12;
const DEPTH = 1 << 13;
const SEQ = 1 << 14;
const FIXED_BYTES = 4 + 4 * 3 + 8 * NUMBER_FIELDS.length;
const MAX_STRING_BYTES = 0xffff;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Thrown for bytes that are not a whole, well-formed batch (a torn or damaged record). */
export class TickCodecError extends Error {
  override name = 'TickCodecError';
}

/**
 * Encode `ticks` (any length, in order) into one batch. The result owns its ArrayBuffer (safe
 * to transfer). Throws a TypeError for a string field over 65,535 UTF-8 bytes or a depth side
 * over 255 levels (no feed sends either).
 */
export function encodeTickBatch(ticks: readonly CodecTick[]): Uint8Array {
  const index = new Map<string, number>();
  const strings: Uint8Array[] = [];
  let bytes = 12;
  const refs = new Uint32Array(ticks.length * 3);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i];
    for (let k = 0; k < 3; k++) {
      const value = k === 0 ? t.exchange : k === 1 ? t.tradingsymbol : t.feed;
      let ref = index.get(value);
      if (ref === undefined) {
        const encoded = utf8.encode(value);
        if (encoded.length > MAX_STRING_BYTES) throw new TypeError(`tick string field too long (${encoded.length} bytes)`);
        ref = strings.length;
        strings.push(encoded);
        index.set(value, ref);
        bytes += 2 + encoded.length;
      }
      refs[i * 3 + k] = ref;
    }
    bytes += FIXED_BYTES;
    if (t.prevClose != null) bytes += 8;
    if (t.depth) {
      if (t.depth.buy.length > 255 || t.depth.sell.length > 255) throw new TypeError('tick depth over 255 levels');
      bytes += 2 + 24 * (t.depth.buy.length + t.depth.sell.length);
    }
    if (t.seq !== undefined) bytes += 4;
  }

  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, ticks.length, true);
  view.setUint32(8, strings.length, true);
  let at = 12;
  for (const s of strings) {
    view.setUint16(at, s.length, true);
    out.set(s, at + 2);
    at += 2 + s.length;
  }
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i];
    view.setUint32(at + 4, refs[i * 3], true);
    view.setUint32(at + 8, refs[i * 3 + 1], true);
    view.setUint32(at + 12, refs[i * 3 + 2], true);
    let flags = 0;
    // One statement per field: a keyed loop over NUMBER_FIELDS, or a closure, is several times slower.
    const n = at + 16;
    if (t.instrumentToken == null) flags |= 1;
    else view.setFloat64(n, t.instrumentToken, true);
    if (t.exchangeTime == null) flags |= 2;
    else view.setFloat64(n + 8, t.exchangeTime, true);
    if (t.ltp == null) flags |= 4;
    else view.setFloat64(n + 16, t.ltp, true);
    if (t.lastQuantity == null) flags |= 8;
    else view.setFloat64(n + 24, t.lastQuantity, true);
    if (t.volume == null) flags |= 16;
    else view.setFloat64(n + 32, t.volume, true);
    if (t.averagePrice == null) flags |= 32;
    else view.setFloat64(n + 40, t.averagePrice, true);
    if (t.oi == null) flags |= 64;
    else view.setFloat64(n + 48, t.oi, true);
    if (t.bidPrice == null) flags |= 128;
    else view.setFloat64(n + 56, t.bidPrice, true);
    if (t.bidQuantity == null) flags |= 256;
    else view.setFloat64(n + 64, t.bidQuantity, true);
    if (t.askPrice == null) flags |= 512;
    else view.setFloat64(n + 72, t.askPrice, true);
    if (t.askQuantity == null) flags |= 1024;
    else view.setFloat64(n + 80, t.askQuantity, true);
    const flagsAt = at;
    at += FIXED_BYTES;
    if (t.prevClose !== undefined) {
      flags |= PREV_CLOSE;
      if (t.prevClose === null) flags |= PREV_CLOSE_NULL;
      else {
        view.setFloat64(at, t.prevClose, true);
        at += 8;
      }
    }
    if (t.depth) {
      flags |= DEPTH;
      out[at] = t.depth.buy.length;
      out[at + 1] = t.depth.sell.length;
      at += 2;
      for (const level of t.depth.buy) at = writeLevel(view, at, level);
      for (const level of t.depth.sell) at = writeLevel(view, at, level);
    }
    if (t.seq !== undefined) {
      flags |= SEQ;
      view.setInt32(at, t.seq, true);
      at += 4;
    }
    view.setUint32(flagsAt, flags, true);
  }
  return out;
}

function writeLevel(view: DataView, at: number, level: DepthLevel): number {
  view.setFloat64(at, level.price, true);
  view.setFloat64(at + 8, level.quantity, true);
  view.setFloat64(at + 16, level.orders, true);
  return at + 24;
}

/**
 * Decode one batch written by `encodeTickBatch` (exactly `bytes`, nothing after it). The ticks
 * come back in order with the same fields (see the file comment). Throws TickCodecError when the
 * bytes are not one whole batch.
 */
export function decodeTickBatch(bytes: Uint8Array): CodecTick[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n: number) => {
    if (at + n > bytes.length) throw new TickCodecError(`tick batch truncated at byte ${at} of ${bytes.length}`);
  };
  let at = 0;
  need(12);
  if (view.getUint32(0, true) !== MAGIC) throw new TickCodecError('not a tick batch (bad magic)');
  const count = view.getUint32(4, true);
  const stringCount = view.getUint32(8, true);
  at = 12;
  const strings: string[] = new Array(stringCount);
  for (let s = 0; s < stringCount; s++) {
    need(2);
    const length = view.getUint16(at, true);
    need(2 + length);
    try {
      strings[s] = fromUtf8.decode(bytes.subarray(at + 2, at + 2 + length));
    } catch {
      throw new TickCodecError(`tick batch string ${s} is not UTF-8`);
    }
    at += 2 + length;
  }
  const string = (ref: number): string => {
    if (ref >= stringCount) throw new TickCodecError(`tick batch string index ${ref} out of range`);
    return strings[ref];
  };
  const number = (flags: number, f: number): number | null => (flags & (1 << f) ? null : view.getFloat64(at + 16 + f * 8, true));
  const levels = (n: number): DepthLevel[] => {
    need(24 * n);
    const list: DepthLevel[] = new Array(n);
    for (let l = 0; l < n; l++) {
      list[l] = { price: view.getFloat64(at, true), quantity: view.getFloat64(at + 8, true), orders: view.getFloat64(at + 16, true) };
      at += 24;
    }
    return list;
  };
  const ticks: CodecTick[] = new Array(count);
  for (let i = 0; i < count; i++) {
    need(FIXED_BYTES);
    const flags = view.getUint32(at, true);
    const tick = {
      instrumentToken: number(flags, 0),
      exchange: string(view.getUint32(at + 4, true)),
      tradingsymbol: string(view.getUint32(at + 8, true)),
      exchangeTime: number(flags, 1),
      ltp: number(flags, 2),
      lastQuantity: number(flags, 3),
      volume: number(flags, 4),
      averagePrice: number(flags, 5),
      oi: number(flags, 6),
      bidPrice: number(flags, 7),
      bidQuantity: number(flags, 8),
      askPrice: number(flags, 9),
      askQuantity: number(flags, 10),
      feed: string(view.getUint32(at + 12, true)),
    } as CodecTick;
    at += FIXED_BYTES;
    if (flags & PREV_CLOSE) {
      if (flags & PREV_CLOSE_NULL) tick.prevClose = null;
      else {
        need(8);
        tick.prevClose = view.getFloat64(at, true);
        at += 8;
      }
    }
    if (flags & DEPTH) {
      need(2);
      const buyLevels = bytes[at];
      const sellLevels = bytes[at + 1];
      at += 2;
      const buy = levels(buyLevels);
      tick.depth = { buy, sell: levels(sellLevels) };
    }
    if (flags & SEQ) {
      need(4);
      tick.seq = view.getInt32(at, true);
      at += 4;
    }
    ticks[i] = tick;
  }
  if (at !== bytes.length) throw new TickCodecError(`tick batch has ${bytes.length - at} bytes after its ${count} ticks`);
  return ticks;
}
