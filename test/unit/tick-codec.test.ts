/**
 * lib/market/tick-codec.ts (the journal's records and the replay parse thread's hand-over):
 * a batch decodes to exactly the ticks encoded, for any tick the contract allows (fast-check),
 * optional fields staying absent; every field of the Tick contract is carried; bytes that are
 * not one whole batch are refused with TickCodecError, never decoded into ticks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tickSchema, FEED_SOURCES, type Tick } from '@/lib/contracts/tick';
import { EXCHANGES } from '@/lib/market/tick';
import { decodeTickBatch, encodeTickBatch, NUMBER_FIELDS, OPTIONAL_FIELDS, STRING_FIELDS, TickCodecError } from '@/lib/market/tick-codec';
import { makeTick as baseTick } from '../support/ticks';

const makeTick = (fields: Partial<Tick> = {}) => baseTick({ exchangeTime: 1_767_000_000_000, ltp: 100, volume: 0, ...fields });

const number = fc.oneof(fc.double(), fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.constantFrom(0, -0, Number.NaN));
const level = fc.record({ price: number, quantity: number, orders: number });
const tick: fc.Arbitrary<Tick & { seq?: number }> = fc.record(
  {
    instrumentToken: fc.integer({ min: 0, max: 2 ** 40 }),
    exchange: fc.constantFrom(...EXCHANGES),
    tradingsymbol: fc.string({ unit: 'grapheme', maxLength: 40 }),
    exchangeTime: number,
    ltp: number,
    lastQuantity: number,
    volume: number,
    averagePrice: fc.option(number),
    oi: fc.option(number),
    bidPrice: fc.option(number),
    bidQuantity: fc.option(number),
    askPrice: fc.option(number),
    askQuantity: fc.option(number),
    depth: fc.record({ buy: fc.array(level, { maxLength: 5 }), sell: fc.array(level, { maxLength: 5 }) }),
    prevClose: fc.option(number),
    feed: fc.constantFrom(...FEED_SOURCES),
    seq: fc.integer({ min: 0, max: 32_767 }),
  },
  { requiredKeys: ['instrumentToken', 'exchange', 'tradingsymbol', 'exchangeTime', 'ltp', 'lastQuantity', 'volume', 'averagePrice', 'oi', 'bidPrice', 'bidQuantity', 'askPrice', 'askQuantity', 'feed'] },
) as fc.Arbitrary<Tick & { seq?: number }>;

describe('tick codec', () => {
  it('decodes every batch to exactly the ticks encoded (absent stays absent, null stays null, -0 and NaN kept)', () => {
    fc.assert(
      fc.property(fc.array(tick, { maxLength: 30 }), (ticks) => {
        const decoded = decodeTickBatch(encodeTickBatch(ticks));
        expect(decoded).toHaveLength(ticks.length);
        decoded.forEach((d, i) => {
          expect(Object.keys(d).sort()).toEqual(Object.keys(ticks[i]).sort());
          // Object.is per number (-0 and NaN compared exactly); the clone gives the plain objects fast-check makes without a prototype
          expect(d).toStrictEqual(structuredClone(ticks[i]));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('carries every field of the Tick contract', () => {
    const carried = [...NUMBER_FIELDS, ...STRING_FIELDS, ...OPTIONAL_FIELDS].sort();
    expect(carried).toEqual(Object.keys(tickSchema.shape).sort());
  });

  it('gives each tick of a decoded batch its own values and a shared string per distinct symbol', () => {
    const ticks = [makeTick({ tradingsymbol: 'INFY', ltp: 1601.6 }), makeTick({ tradingsymbol: 'TCS', ltp: 3500 }), makeTick({ tradingsymbol: 'INFY', ltp: 1601.65 })];
    const decoded = decodeTickBatch(encodeTickBatch(ticks));
    expect(decoded.map((t) => [t.tradingsymbol, t.ltp])).toEqual([['INFY', 1601.6], ['TCS', 3500], ['INFY', 1601.65]]);
    expect(decodeTickBatch(encodeTickBatch([]))).toEqual([]);
  });

  it('refuses bytes that are not one whole batch', () => {
    const bytes = encodeTickBatch([makeTick({ depth: { buy: [{ price: 1, quantity: 2, orders: 3 }], sell: [] } }), makeTick()]);
    for (const cut of [0, 5, 12, 40, bytes.length - 1]) expect(() => decodeTickBatch(bytes.subarray(0, cut))).toThrow(TickCodecError);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => decodeTickBatch(longer)).toThrow(/bytes after/);
    const badMagic = bytes.slice();
    badMagic[0] ^= 0xff;
    expect(() => decodeTickBatch(badMagic)).toThrow(/magic/);
  });

  it('refuses what it cannot hold: a string over 65,535 bytes, a depth side over 255 levels', () => {
    expect(() => encodeTickBatch([makeTick({ tradingsymbol: 'X'.repeat(70_000) })])).toThrow(TypeError);
    const levels = Array.from({ length: 256 }, () => ({ price: 1, quantity: 1, orders: 1 }));
    expect(() => encodeTickBatch([makeTick({ depth: { buy: levels, sell: [] } })])).toThrow(/255/);
  });
});
