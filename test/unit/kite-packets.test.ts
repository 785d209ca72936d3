/**
 * The test server's Kite packet encoder against Zerodha's own fixtures: encoding the decoded
 * values must give back exactly the published bytes (kite-mocks: gokiteconnect's test packets and
 * their JSON expectations; kite-js-packets: kiteconnectjs's raw messages, values in DECODED.md).
 * Also: the real KiteTicker decoder reads our encoding back to the same values.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encodeMessage, encodePacket, type KiteMode, type KitePacketValues } from '../support/kite-packets';
import { sharedFile } from '../support/shared-data';

const require = createRequire(import.meta.url);
const { KiteTicker } = require('kiteconnect') as {
  KiteTicker: new (p: object) => { parseBinary(buf: ArrayBuffer): Array<Record<string, unknown>> };
};

const MOCK_FULL = sharedFile('kite-mocks/ticker_full.json');
const MOCK_FULL_PACKET = sharedFile('kite-mocks/ticker_full.packet');
const MOCK_QUOTE = sharedFile('kite-mocks/ticker_quote.json');
const MOCK_QUOTE_PACKET = sharedFile('kite-mocks/ticker_quote.packet');
const JS_PACKETS = {
  ltp: sharedFile('kite-js-packets/ltpMode_binary.packet'),
  quote: sharedFile('kite-js-packets/quoteMode_binary.packet'),
  full: sharedFile('kite-js-packets/fullMode_binary.packet'),
};
const allPresent = [MOCK_FULL, MOCK_FULL_PACKET, MOCK_QUOTE, MOCK_QUOTE_PACKET, ...Object.values(JS_PACKETS)].every((f) => f.exists);

interface GoMockTick {
  instrument_token: number;
  last_price: number;
  last_quantity: number;
  average_price: number;
  volume: number;
  buy_quantity: number;
  sell_quantity: number;
  ohlc: { open: number; high: number; low: number; close: number };
  last_trade_time?: string;
  timestamp?: string;
  oi?: number;
  oi_day_high?: number;
  oi_day_low?: number;
  depth?: { buy: { price: number; quantity: number; orders: number }[]; sell: { price: number; quantity: number; orders: number }[] };
}

/** gokiteconnect's JSON names → KiteTicker's names. */
function fromGoMock(mock: GoMockTick): KitePacketValues {
  return {
    instrument_token: mock.instrument_token,
    last_price: mock.last_price,
    last_traded_quantity: mock.last_quantity,
    average_traded_price: mock.average_price,
    volume_traded: mock.volume,
    total_buy_quantity: mock.buy_quantity,
    total_sell_quantity: mock.sell_quantity,
    ohlc: mock.ohlc,
    last_trade_time: mock.last_trade_time ? Date.parse(mock.last_trade_time) : undefined,
    exchange_timestamp: mock.timestamp ? Date.parse(mock.timestamp) : undefined,
    oi: mock.oi,
    oi_day_high: mock.oi_day_high,
    oi_day_low: mock.oi_day_low,
    depth: mock.depth,
  };
}

/** TATAMOTORS 884737 as decoded in kite-js-packets/DECODED.md. */
const TATAMOTORS: KitePacketValues = {
  instrument_token: 884737,
  last_price: 392.95,
  last_traded_quantity: 2,
  average_traded_price: 403.07,
  volume_traded: 22261032,
  total_buy_quantity: 5617,
  total_sell_quantity: 0,
  ohlc: { open: 420.0, high: 420.9, low: 390.1, close: 414.1 },
  last_trade_time: 1655375264 * 1000,
  exchange_timestamp: 1655378328 * 1000,
  oi: 0,
  oi_day_high: 0,
  oi_day_low: 0,
  depth: { buy: [{ price: 392.95, quantity: 5617, orders: 30 }], sell: [] },
};

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const readBase64 = (file: string) => Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
const toArrayBuffer = (buf: Buffer) => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;

describe.skipIf(!allPresent)(`Kite packet encoder vs Zerodha fixtures${MOCK_FULL.skipNote}`, () => {
  it('encodes kite-mocks/ticker_full.json to the bytes of ticker_full.packet (184 bytes)', () => {
    const expected = readBase64(MOCK_FULL_PACKET.path);
    const encoded = encodePacket(fromGoMock(readJson<GoMockTick>(MOCK_FULL.path)), 'full');
    expect(expected.length).toBe(184);
    expect(encoded.toString('hex')).toBe(expected.toString('hex'));
  });

  it('encodes kite-mocks/ticker_quote.json to the bytes of ticker_quote.packet (44 bytes)', () => {
    const expected = readBase64(MOCK_QUOTE_PACKET.path);
    const encoded = encodePacket(fromGoMock(readJson<GoMockTick>(MOCK_QUOTE.path)), 'quote');
    expect(expected.length).toBe(44);
    expect(encoded.toString('hex')).toBe(expected.toString('hex'));
  });

  for (const mode of ['ltp', 'quote', 'full'] as KiteMode[]) {
    it(`encodes the TATAMOTORS values to kite-js-packets/${mode}Mode_binary.packet, header included`, () => {
      const expected = readFileSync(JS_PACKETS[mode].path);
      const encoded = encodeMessage([encodePacket(TATAMOTORS, mode)]);
      expect(encoded.toString('hex')).toBe(expected.toString('hex'));
    });
  }

  it('the real KiteTicker decoder reads our full-mode encoding back to the fixture values', () => {
    const ticker = new KiteTicker({ api_key: 'k', access_token: 't', reconnect: false });
    const mock = readJson<GoMockTick>(MOCK_FULL.path);
    const [tick] = ticker.parseBinary(toArrayBuffer(encodeMessage([encodePacket(fromGoMock(mock), 'full')])));
    expect(tick).toMatchObject({
      mode: 'full',
      instrument_token: 408065,
      last_price: 1573.7,
      volume_traded: 1192471,
      average_traded_price: 1570.37,
      ohlc: { open: 1569.15, high: 1575, low: 1561.05, close: 1567.8 },
    });
    expect((tick.exchange_timestamp as Date).toISOString()).toBe('2021-07-05T05:11:27.000Z');
    expect((tick.depth as { sell: { price: number }[] }).sell[4].price).toBe(1573.95);
  });
});

describe('Kite packet encoder: indices and currency segments', () => {
  it('encodes an index (segment 9) full packet as 32 bytes that KiteTicker decodes', () => {
    const ticker = new KiteTicker({ api_key: 'k', access_token: 't', reconnect: false });
    const nifty: KitePacketValues = {
      instrument_token: 256265,
      last_price: 26172.4,
      ohlc: { open: 26100.05, high: 26200.5, low: 26050.25, close: 26042.3 },
      exchange_timestamp: Date.UTC(2025, 11, 29, 7, 17, 0),
    };
    const packet = encodePacket(nifty, 'full');
    expect(packet.length).toBe(32);
    const [tick] = ticker.parseBinary(toArrayBuffer(encodeMessage([packet])));
    expect(tick).toMatchObject({ tradable: false, mode: 'full', last_price: 26172.4, ohlc: nifty.ohlc });
    expect((tick.exchange_timestamp as Date).getTime()).toBe(nifty.exchange_timestamp);
  });

  it('uses the NSE currency divisor (1e7) for segment 3', () => {
    const ticker = new KiteTicker({ api_key: 'k', access_token: 't', reconnect: false });
    const token = (1234 << 8) | 3;
    const [tick] = ticker.parseBinary(toArrayBuffer(encodeMessage([encodePacket({ instrument_token: token, last_price: 83.1275 }, 'ltp')])));
    expect(tick.last_price).toBeCloseTo(83.1275, 7);
  });
});
