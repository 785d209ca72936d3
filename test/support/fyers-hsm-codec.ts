/**
 * Fyers "HSM" data-socket wire format, server side (what a server sends to the fyers-api-v3
 * data socket and reads from it). Written from public descriptions: Fyers' Python SDK
 * (fyers_apiv3 FyersWebsocket/data_ws.py and its ports, e.g. aio_trader) and the observable
 * behaviour of the npm client (fyers-api-v3 1.9.0, HSM_Package/hslib.js).
 *
 * Framing (all integers big-endian): `u16 length (bytes after these two) · u8 type · …`.
 * Requests and control answers are `u8 fieldCount` then fields `u8 id · u16 size · bytes`.
 *
 * | type | client → server | server → client |
 * |---|---|---|
 * | 1 | auth: f1 hsm_key (from the access token's JWT), f2 mode "P", f3 1, f4 source ("JS_API") | f1 "K"/"N", f2 u32 ack interval, f3 JSON field table (below) |
 * | 3 | ack: f1 u32 last message number | — |
 * | 4 / 5 | subscribe / unsubscribe: f1 `u16 n · n×(u8 len · "sf|nse_cm|3045")`, f2 u8 channel | f1 "K"/"N" |
 * | 6 | — | data: `u32 message number · u16 count · count × item` |
 * | 7 / 8 | channel pause / resume: f1 two u32 channel bitmasks | f1 "K"/"N" |
 * | 11 | ping (the 3 bytes 00 01 0B, every 30 s after auth) | — |
 * | 12 | lite/full mode: f1 channel bitmasks, f2 u8 76 (lite) / 70 (full) | f1 "K"/"N" |
 *
 * Data items: snapshot `83 · u16 topicId · u8 len · topic name · u8 n · n×i32 · 2 bytes ·
 * u16 multiplier · u8 precision · 3×(u8 len · string: exchange, exchange token, ticker)`;
 * update `85 · u16 topicId · u8 n · n×i32`; lite `76 · u16 topicId · liteCount×i32`.
 * i32 −2³¹ means "no value / unchanged". Prices are integers: rupees = value / (multiplier ·
 * 10^precision) (we send paise: multiplier 1, precision 2). Times are epoch seconds.
 *
 * NOT established from public material (ours, chosen to fit the client): the field ids
 * (`fid`) other than the five the client names itself (s104 volume, s105 LTP, s113 VWAP,
 * s121 close, i102/i103 index LTP/close, f101–f105 derived), the `details` texts, and the
 * JSON table's exact shape beyond the keys the client reads (fields[].fid/fld/dataType,
 * scrip, index, depth, scrip_lite.hfid, index_lite.hfid). Field ORDER of the scrip, index
 * and depth feeds follows the Python SDK's fixed tables (it has no table from the server).
 */

export const TRASH = -2147483648;

type DataType = 'ConvNumber' | 'Number' | 'timestamp';
interface FieldDef { fid: string; fld: string; dataType: DataType; details: string }

const f = (fid: string, fld: string, dataType: DataType, details: string): FieldDef => ({ fid, fld, dataType, details });

/** Scrip feed (sf), in wire order (Python SDK data_val order; client keys from its mapper). */
export const SCRIP_FIELDS: readonly FieldDef[] = [
  f('s105', 'ltp', 'ConvNumber', 'last traded price'),
  f('s104', 'v', 'Number', 'volume traded today'),
  f('s901', 'ltt', 'timestamp', 'last traded time'),
  f('s902', 'fdtm', 'timestamp', 'exchange feed time'),
  f('s903', 'bq', 'Number', 'best bid size'),
  f('s904', 'bs', 'Number', 'best ask size'),
  f('s905', 'bp', 'ConvNumber', 'best bid price'),
  f('s906', 'sp', 'ConvNumber', 'best ask price'),
  f('s907', 'ltq', 'Number', 'last traded quantity'),
  f('s908', 'tbq', 'Number', 'total buy quantity'),
  f('s909', 'tsq', 'Number', 'total sell quantity'),
  f('s113', 'ap', 'ConvNumber', 'average traded price'),
  f('s910', 'oi', 'Number', 'open interest'),
  f('s911', 'lo', 'ConvNumber', 'day low'),
  f('s912', 'h', 'ConvNumber', 'day high'),
  f('s913', 'yh', 'ConvNumber', 'year high'),
  f('s914', 'yl', 'ConvNumber', 'year low'),
  f('s915', 'lcl', 'ConvNumber', 'lower circuit'),
  f('s916', 'ucl', 'ConvNumber', 'upper circuit'),
  f('s917', 'op', 'ConvNumber', 'day open'),
  f('s121', 'c', 'ConvNumber', 'previous close'),
];
/** Index feed (if), in wire order. */
export const INDEX_FIELDS: readonly FieldDef[] = [
  f('i102', 'iv', 'ConvNumber', 'index value'),
  f('i103', 'ic', 'ConvNumber', 'previous close'),
  f('i901', 'tvalue', 'timestamp', 'exchange feed time'),
  f('i902', 'highPrice', 'ConvNumber', 'day high'),
  f('i903', 'lowPrice', 'ConvNumber', 'day low'),
  f('i904', 'openingPrice', 'ConvNumber', 'day open'),
];
const levels = (prefix: string, fid: number, dataType: DataType, first: string | null): FieldDef[] =>
  [0, 1, 2, 3, 4].map((i) => f(`d${fid + i}`, i === 0 && first !== null ? first : `${prefix}${first === null ? i + 1 : i}`, dataType, `${prefix} level ${i + 1}`));
/** Depth feed (dp), in wire order: bid prices, ask prices, bid sizes, ask sizes, bid orders, ask orders. */
export const DEPTH_FIELDS: readonly FieldDef[] = [
  ...levels('bp', 900, 'ConvNumber', 'bp'),
  ...levels('sp', 905, 'ConvNumber', 'sp'),
  ...levels('bq', 910, 'Number', 'bq'),
  ...levels('bs', 915, 'Number', 'bs'),
  ...levels('bno', 920, 'Number', null),
  ...levels('sno', 925, 'Number', null),
];
const DERIVED: readonly FieldDef[] = [
  f('f101', 'cng', 'ConvNumber', 'change'),
  f('f102', 'nc', 'Number', 'percent change'),
  f('f103', 'to', 'Number', 'turnover'),
  f('f104', 'cng', 'ConvNumber', 'index change'),
  f('f105', 'nc', 'Number', 'index percent change'),
];

/** The JSON field table sent as field 3 of the auth answer (the client builds its decoders from it). */
export function fieldTableJson(): string {
  return JSON.stringify({
    fields: [...SCRIP_FIELDS, ...INDEX_FIELDS, ...DEPTH_FIELDS, ...DERIVED],
    scrip: SCRIP_FIELDS.map((x) => x.fid),
    index: INDEX_FIELDS.map((x) => x.fid),
    depth: DEPTH_FIELDS.map((x) => x.fid),
    scrip_lite: { hfid: 1 },
    index_lite: { hfid: 1 },
  });
}

export type TopicKind = 'sf' | 'if' | 'dp';
export const fieldsOf = (kind: TopicKind): readonly FieldDef[] => (kind === 'sf' ? SCRIP_FIELDS : kind === 'if' ? INDEX_FIELDS : DEPTH_FIELDS);

function frame(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt16BE(body.length + 1, 0);
  head.writeUInt8(type, 2);
  return Buffer.concat([head, body]);
}

function field(id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt8(id, 0);
  head.writeUInt16BE(data.length, 1);
  return Buffer.concat([head, data]);
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
};

/** Auth answer: "K" with the ack interval and field table, or "N". */
export function authAnswer(ok: boolean, ackEvery: number): Buffer {
  if (!ok) return frame(1, Buffer.concat([Buffer.from([1]), field(1, Buffer.from('N'))]));
  return frame(1, Buffer.concat([Buffer.from([3]), field(1, Buffer.from('K')), field(2, u32(ackEvery)), field(3, Buffer.from(fieldTableJson()))]));
}

/** Status answer of a control request (4 subscribe, 5 unsubscribe, 7/8 channel, 12 mode). */
export function statusAnswer(type: number, ok: boolean): Buffer {
  return frame(type, Buffer.concat([Buffer.from([1]), field(1, Buffer.from(ok ? 'K' : 'N'))]));
}

const str8 = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);
const ints = (values: readonly number[]) => {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeInt32BE(v, i * 4));
  return b;
};

export interface SnapshotItem { kind: 'snapshot'; topicId: number; topic: string; values: readonly number[]; exchange: string; token: string; ticker: string }
export interface UpdateItem { kind: 'update'; topicId: number; values: readonly number[] }
export type DataItem = SnapshotItem | UpdateItem;

/** A data message (type 6) with its message number and items. */
export function dataMessage(messageNumber: number, items: readonly DataItem[]): Buffer {
  const parts: Buffer[] = [u32(messageNumber), Buffer.from([items.length >> 8, items.length & 0xff])];
  for (const item of items) {
    const id = Buffer.from([item.topicId >> 8, item.topicId & 0xff]);
    if (item.kind === 'snapshot') {
      // multiplier 1, precision 2: prices are paise.
      parts.push(Buffer.from([83]), id, str8(item.topic), Buffer.from([item.values.length]), ints(item.values), Buffer.from([0, 0, 0, 1, 2]));
      parts.push(str8(item.exchange), str8(item.token), str8(item.ticker));
    } else {
      parts.push(Buffer.from([85]), id, Buffer.from([item.values.length]), ints(item.values));
    }
  }
  return frame(6, Buffer.concat(parts));
}

export interface ClientRequest {
  type: number;
  /** Field id → bytes (empty for a ping). */
  fields: Map<number, Buffer>;
}

/** Decode a client request; throws on a truncated one. */
export function decodeRequest(data: Buffer): ClientRequest {
  if (data.length < 3) throw new Error(`request of ${data.length} bytes`);
  const type = data.readUInt8(2);
  const fields = new Map<number, Buffer>();
  if (type === 11 || data.length === 3) return { type, fields };
  const count = data.readUInt8(3);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const id = data.readUInt8(at);
    const size = data.readUInt16BE(at + 1);
    if (at + 3 + size > data.length) throw new Error(`field ${id} overruns the request`);
    fields.set(id, data.subarray(at + 3, at + 3 + size));
    at += 3 + size;
  }
  return { type, fields };
}

/** The topics of a subscribe/unsubscribe field 1 ("sf|nse_cm|3045", …). */
export function decodeTopics(scrips: Buffer): string[] {
  const count = scrips.readUInt16BE(0);
  const out: string[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    const len = scrips.readUInt8(at);
    out.push(scrips.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
  return out;
}

/** Wire values of one topic from named values (missing → −2³¹). */
export function wireValues(kind: TopicKind, values: Readonly<Record<string, number>>): number[] {
  return fieldsOf(kind).map((x) => (x.fld in values ? Math.round(values[x.fld]) : TRASH));
}
