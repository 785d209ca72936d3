/**
 * Scanner presets: which rows a preset keeps and how it ranks them (docs/desk.md). Pure.
 *
 * | preset | keeps | ranked by |
 * |---|---|---|
 * | all | every row | score, high first |
 * | top_gainers | non-index, change % > 0 | change %, high first |
 * | top_losers | non-index, change % < 0 | change %, low first |
 * | most_active | non-index, volume > 0 | LTP × volume of the timeframe's candle (1d: the day), high first |
 * | unusual_volume | volume ratio ≥ 2 | volume ratio, high first |
 * | rsi_overbought / rsi_oversold | RSI ≥ 70 / ≤ 30 | RSI, extreme first |
 * | macd_bullish / macd_bearish | MACD crossed its signal up / down on the current candle | score |
 * | breakouts | LTP beyond the previous 20-candle high or low | distance beyond the level, % |
 *
 * Ties break on symbol, so the order is stable.
 */
import { SCANNER_THRESHOLDS, type ScannerPreset, type ScannerRow } from '@/lib/market/scanner';

type Rule = { keep: (row: ScannerRow) => boolean; key: (row: ScannerRow) => number };

const breakoutDistance = (row: ScannerRow): number => {
  if (row.breakout === 'up' && row.rangeHigh) return (row.ltp - row.rangeHigh) / row.rangeHigh;
  if (row.breakout === 'down' && row.rangeLow) return (row.rangeLow - row.ltp) / row.rangeLow;
  return 0;
};

const RULES: Record<ScannerPreset, Rule> = {
  all: { keep: () => true, key: (row) => row.score },
  top_gainers: { keep: (row) => row.kind !== 'index' && (row.changePct ?? 0) > 0, key: (row) => row.changePct! },
  top_losers: { keep: (row) => row.kind !== 'index' && (row.changePct ?? 0) < 0, key: (row) => -row.changePct! },
  most_active: { keep: (row) => row.kind !== 'index' && row.volume > 0, key: (row) => row.ltp * row.volume },
  unusual_volume: {
    keep: (row) => (row.volumeRatio ?? 0) >= SCANNER_THRESHOLDS.unusualVolumeRatio,
    key: (row) => row.volumeRatio!,
  },
  rsi_overbought: { keep: (row) => row.rsi !== null && row.rsi >= SCANNER_THRESHOLDS.rsiOverbought, key: (row) => row.rsi! },
  rsi_oversold: { keep: (row) => row.rsi !== null && row.rsi <= SCANNER_THRESHOLDS.rsiOversold, key: (row) => -row.rsi! },
  macd_bullish: { keep: (row) => row.macdCross === 'bullish', key: (row) => row.score },
  macd_bearish: { keep: (row) => row.macdCross === 'bearish', key: (row) => row.score },
  breakouts: { keep: (row) => row.breakout !== null, key: breakoutDistance },
};

/** The rows a preset keeps, ranked, at most `limit`, optionally of one exchange only. */
export function applyPreset(
  rows: readonly ScannerRow[],
  preset: ScannerPreset,
  limit: number,
  exchange?: string,
): ScannerRow[] {
  const rule = RULES[preset];
  return rows
    .filter((row) => (!exchange || row.exchange === exchange) && row.ltp > 0 && rule.keep(row))
    .sort((a, b) => rule.key(b) - rule.key(a) || a.symbol.localeCompare(b.symbol))
    .slice(0, limit);
}
