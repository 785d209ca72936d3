/**
 * Kite Connect REST through the official client (npm kiteconnect `KiteConnect`, `root` option
 * for a local server in tests): the instruments master sync and quotes.
 *
 * - GET /instruments (CSV of every exchange, ~100k rows, regenerated daily before the open;
 *   kite.trade/docs/connect/v3/market-quotes/#instruments) → upsert into `instruments` by
 *   instrument_token (richer rows replace the minimal ones feeds registered).
 * - GET /quote (≤ 500 instruments per call, 1 request/s; …/market-quotes/#retrieving-full-market-quotes).
 * Errors: the client rejects with Kite's `{ error_type, message }` (TokenException = dead token,
 * NetworkException on 429 or a dropped connection, retried twice with backoff); we rethrow an
 * Error naming the call and error_type.
 */
import kiteconnect from 'kiteconnect';
import type { Logger } from 'pino';
import type { Database } from '@/lib/db/client';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { Instrument } from '@/lib/market/instrument';
import { parseKiteInstrument } from '../../import/kite-instruments';

export interface KiteRestOptions {
  apiKey: string;
  accessToken: string;
  /** REST root override, e.g. "http://127.0.0.1:PORT" (default https://api.kite.trade). */
  root?: string;
}

/** One quote as Kite returns it (prices in rupees; timestamps IST strings, which the client leaves as text). */
export interface KiteQuote {
  instrument_token: number;
  last_price: number;
  volume?: number;
  average_price?: number;
  oi?: number;
  ohlc?: { open: number; high: number; low: number; close: number };
  timestamp?: string;
  last_trade_time?: string;
}

/** The subset of KiteConnect we use (its bundled typings do not match its runtime exports). */
interface KiteConnectClient {
  getInstruments(exchange?: string): Promise<Record<string, unknown>[]>;
  getQuote(instruments: string[]): Promise<Record<string, KiteQuote>>;
}

type KiteConnectConstructor = new (params: { api_key: string; access_token?: string; root?: string; timeout?: number }) => KiteConnectClient;

/** A KiteConnect client for these credentials. */
export function kiteRestClient(options: KiteRestOptions): KiteConnectClient {
  const KiteConnect = (kiteconnect as unknown as { KiteConnect: KiteConnectConstructor }).KiteConnect;
  return new KiteConnect({ api_key: options.apiKey, access_token: options.accessToken, root: options.root, timeout: 60_000 });
}

/** Kite's rejection `{ error_type, message }` (or an Error) → Error naming the call. */
function kiteError(call: string, error: unknown): Error {
  if (error instanceof Error) return new Error(`Kite ${call} failed: ${error.message}`);
  const e = error as { error_type?: string; message?: string } | null;
  return new Error(`Kite ${call} failed: ${e?.error_type ?? 'error'}: ${e?.message ?? String(error)}`);
}

/**
 * Run a call, retrying Kite's NetworkException (HTTP 429 and dropped connections, e.g. a
 * keep-alive socket closed by the server) up to `attempts` times with 1 s, 2 s, … backoff.
 * Other errors (TokenException, InputException) are thrown at once.
 */
async function withRetry<T>(call: string, run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const type = (error as { error_type?: string } | null)?.error_type;
      if (type !== 'NetworkException' || attempt >= attempts) throw kiteError(call, error);
      await new Promise((r) => setTimeout(r, 1000 * 2 ** (attempt - 1)));
    }
  }
}

/** The client's parsed CSV row (numbers and Date) back to the CSV's text fields. */
function asRecord(row: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
    else if (typeof value === 'number') out[key] = Number.isFinite(value) ? String(value) : '';
    else out[key] = value == null ? '' : String(value);
  }
  return out;
}

export interface InstrumentsSyncResult {
  rows: number;
  upserted: number;
  /** Rows of exchanges we do not store (e.g. MCX-SX segments, mutual funds) or malformed. */
  skipped: number;
  ms: number;
}

/**
 * Download the instruments master and upsert it. Throws an Error naming the call on a REST
 * failure (a TokenException means the access token is dead).
 */
export async function syncKiteInstruments(db: Database, options: KiteRestOptions, logger?: Logger): Promise<InstrumentsSyncResult> {
  const started = Date.now();
  const rows = await withRetry('GET /instruments', () => kiteRestClient(options).getInstruments());
  const list: Instrument[] = [];
  let skipped = 0;
  for (const row of rows) {
    const parsed = parseKiteInstrument(asRecord(row));
    if ('instrument' in parsed) list.push(parsed.instrument);
    else skipped += 1;
  }
  await upsertInstruments(db, list);
  const result = { rows: rows.length, upserted: list.length, skipped, ms: Date.now() - started };
  logger?.info(result, 'Kite instruments master synced');
  return result;
}

/**
 * Quotes of "EXCHANGE:TRADINGSYMBOL" symbols, keyed by symbol, in calls of ≤ 500 (Kite's cap)
 * spaced ≥ 1 s apart (quote rate limit). Throws an Error naming the call on failure.
 */
export async function fetchKiteQuotes(options: KiteRestOptions, symbols: readonly string[]): Promise<Record<string, KiteQuote>> {
  const client = kiteRestClient(options);
  const out: Record<string, KiteQuote> = {};
  for (let i = 0; i < symbols.length; i += 500) {
    if (i > 0) await new Promise((r) => setTimeout(r, 1000));
    Object.assign(out, await withRetry('GET /quote', () => client.getQuote(symbols.slice(i, i + 500) as string[])));
  }
  return out;
}
