/**
 * Scanner contracts shared by the worker (worker/scanner), the JSON route (/api/scanner), the
 * dynamic watchlists and the browser: presets, the row shape and the query.
 *
 * Units: prices in rupees, percentages in percent (1.5 = 1.5%), volumes in shares/contracts,
 * times epoch ms UTC. See docs/desk.md for every signal and the opportunity score formula.
 */
import type { Timeframe } from './timeframes';

export const SCANNER_PRESETS = [
  'all',
  'top_gainers',
  'top_losers',
  'most_active',
  'unusual_volume',
  'rsi_overbought',
  'rsi_oversold',
  'macd_bullish',
  'macd_bearish',
  'breakouts',
] as const;

export type ScannerPreset = (typeof SCANNER_PRESETS)[number];

export const PRESET_LABELS: Record<ScannerPreset, string> = {
  all: 'All (by score)',
  top_gainers: 'Top gainers',
  top_losers: 'Top losers',
  most_active: 'Most active',
  unusual_volume: 'Unusual volume',
  rsi_overbought: 'RSI overbought',
  rsi_oversold: 'RSI oversold',
  macd_bullish: 'MACD bullish cross',
  macd_bearish: 'MACD bearish cross',
  breakouts: 'Breakouts',
};

/** Thresholds used by the presets (documented in docs/desk.md). */
export const SCANNER_THRESHOLDS = {
  /** unusual_volume: volume ratio at or above this. */
  unusualVolumeRatio: 2,
  rsiOverbought: 70,
  rsiOversold: 30,
  /** N of the N-candle high/low breakout (20 candles of the timeframe; 20 sessions on 1d). */
  breakoutLookback: 20,
} as const;

/** Kind of instrument (indices have no volume and are left out of volume-based presets). */
export type InstrumentKind = 'index' | 'equity' | 'future' | 'option';

/** One scanner row: an instrument's signals on one timeframe. Null = not enough data yet. */
export interface ScannerRow {
  instrumentToken: number;
  /** "EXCHANGE:TRADINGSYMBOL". */
  symbol: string;
  exchange: string;
  tradingsymbol: string;
  kind: InstrumentKind;
  timeframe: Timeframe;
  /** Exchange time of the last tick, epoch ms UTC. */
  time: number;
  ltp: number;
  /**
   * Previous session close, rupees: the feed's (tick prevClose), else the last stored daily
   * close before today's IST date (official first; lib/db/queries/previous-close.ts); null when
   * unknown, never the day's first price.
   */
  prevClose: number | null;
  /** Day change vs prevClose: rupees and percent (lib/market/change.ts); null when prevClose is. */
  dayChange: number | null;
  dayChangePct: number | null;
  /** Today's open vs prevClose, percent (positive = gap up). */
  gapPct: number | null;
  dayOpen: number | null;
  dayHigh: number | null;
  dayLow: number | null;
  /** Cumulative day volume. */
  dayVolume: number;
  /** LTP × day volume, rupees (most active ranking). */
  turnover: number;
  /** Change of LTP vs the previous candle's close on this timeframe, percent (1d: = dayChangePct). */
  changePct: number | null;
  /** Volume of the current candle on this timeframe (1d: day volume). */
  volume: number;
  /**
   * Current volume ÷ the average volume of the previous ≤20 sessions for the same time of day
   * (intraday: the same bucket; 1d: cumulative volume up to the same minute). Null without history.
   */
  volumeRatio: number | null;
  rsi: number | null;
  macd: { macd: number; signal: number; histogram: number } | null;
  /** MACD line crossed the signal line on the current candle: 'bullish' (up) or 'bearish' (down). */
  macdCross: 'bullish' | 'bearish' | null;
  bollinger: { upper: number; middle: number; lower: number } | null;
  /** %B: 0 at the lower band, 1 at the upper band. */
  percentB: number | null;
  ema9: number | null;
  ema21: number | null;
  /** EMA(9) crossed EMA(21) on the current candle. */
  emaCross: 'bullish' | 'bearish' | null;
  sma20: number | null;
  sma50: number | null;
  /** SMA(20) crossed SMA(50) on the current candle. */
  smaCross: 'bullish' | 'bearish' | null;
  /** Highest high / lowest low of the previous N candles (N = breakoutLookback). */
  rangeHigh: number | null;
  rangeLow: number | null;
  /** LTP above rangeHigh ('up') or below rangeLow ('down'). */
  breakout: 'up' | 'down' | null;
  /** Day VWAP, rupees (exchange's average traded price when the feed gives it). */
  vwap: number | null;
  /** (LTP − VWAP) ÷ VWAP, percent. */
  vwapDistancePct: number | null;
  /** Opportunity score 0–100 (docs/desk.md) and its direction. */
  score: number;
  bias: 'bullish' | 'bearish' | 'neutral';
}

export interface ScannerQuery {
  preset: ScannerPreset;
  timeframe: Timeframe;
  limit: number;
  /** Only this exchange (NSE, NFO, …). */
  exchange?: string;
  /** Rows of just these "EXCHANGE:TRADINGSYMBOL" instruments, in this order (no preset filter or limit). */
  symbols?: string[];
}

export interface ScannerResult {
  preset: ScannerPreset;
  timeframe: Timeframe;
  /** When the snapshot was computed, epoch ms (wall clock). */
  asOf: number;
  /** Instruments the scanner follows (all of them, before the preset filter). */
  universe: number;
  rows: ScannerRow[];
}

/** What the in-process scanner offers to route handlers and dynamic watchlists (lib/runtime/host.ts). */
export interface ScannerAccess {
  scan(query: ScannerQuery): ScannerResult;
  /** Ask the alert engine to reload its definitions now (after a change through the API). */
  reloadAlerts?(): void;
}

/**
 * Kind of an instrument from its exchange and tradingsymbol: NSE "NIFTY …" / "INDIA VIX" and BSE
 * SENSEX / BANKEX are indices; on derivative exchanges a symbol ending in FUT is a future, else
 * an option; everything else is an equity.
 */
export function instrumentKind(exchange: string, tradingsymbol: string): InstrumentKind {
  if (exchange === 'NSE' && /^(NIFTY\s|NIFTY$|INDIA VIX$)/.test(tradingsymbol)) return 'index';
  if (exchange === 'BSE' && (tradingsymbol === 'SENSEX' || tradingsymbol === 'BANKEX')) return 'index';
  if (['NFO', 'BFO', 'MCX', 'CDS', 'BCD'].includes(exchange)) return tradingsymbol.endsWith('FUT') ? 'future' : 'option';
  return 'equity';
}
