/**
 * An instrument as stored in `instruments` (a subset of Kite's instruments master,
 * https://kite.trade/docs/connect/v3/market-quotes/#instruments).
 */
import type { Exchange } from './tick';

export interface Instrument {
  instrumentToken: number;
  exchange: Exchange;
  tradingsymbol: string;
  name: string | null;
  /** Kite segment, e.g. "NSE", "NFO-FUT", "NFO-OPT", "INDICES". */
  segment: string | null;
  /** Kite instrument_type, e.g. "EQ", "FUT", "CE", "PE". Indices are "EQ" in segment INDICES. */
  instrumentType: string | null;
  /** Minimum price step, rupees (0 for indices). */
  tickSize: number | null;
  lotSize: number | null;
  /** Expiry date "YYYY-MM-DD" for derivatives, else null. */
  expiry: string | null;
  /** Strike, rupees, for options; else null. */
  strike: number | null;
}
