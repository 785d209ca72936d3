/**
 * Scanner presets, thresholds and instrument kinds shared by the worker (worker/scanner), the
 * JSON route (/api/scanner), the dynamic watchlists and the browser. The row, query and result
 * shapes are contracts (lib/contracts/scanner.ts).
 *
 * Units: prices in rupees, percentages in percent (1.5 = 1.5%), volumes in shares/contracts,
 * times epoch ms UTC. See docs/desk.md for every signal and the opportunity score formula.
 */
import type { ScannerQuery, ScannerResult } from '@/lib/contracts/scanner';

// Row, query and result are contracts (lib/contracts/scanner.ts); re-exported for the worker.
export type { ScannerQuery, ScannerResult, ScannerRow } from '@/lib/contracts/scanner';

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
