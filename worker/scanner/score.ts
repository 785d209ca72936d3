/**
 * The opportunity score (docs/desk.md): a 0–100 summary of how strongly an instrument is moving,
 * how unusual its volume is and how much its indicators agree with the move.
 *
 *   direction d = sign(change %)   (the timeframe's change; 0 → neutral, score from volume only)
 *   M = min(|change %| / 5, 1)                                    momentum (5% = full)
 *   V = clamp((volume ratio − 1) / 4, 0, 1)                       volume (5× usual = full)
 *   T = ½·[MACD histogram has sign d] + ½·[EMA9 − EMA21 has sign d]  trend agreement
 *   B = 1 if an N-candle breakout in direction d, ½ if LTP is beyond the Bollinger band on
 *       side d, else 0                                            breakout
 *   R = clamp(d·(RSI − 50) / 20, 0, 1)                            RSI strength (RSI 70 / 30 = full)
 *   score = round(100 · (0.30·M + 0.25·V + 0.20·T + 0.15·B + 0.10·R))
 *
 * Missing inputs (not enough history) count as 0. bias = bullish (d > 0), bearish (d < 0),
 * neutral (d = 0).
 */

export interface ScoreInputs {
  changePct: number | null;
  volumeRatio: number | null;
  macdHistogram: number | null;
  emaDiff: number | null;
  breakout: 'up' | 'down' | null;
  ltp: number;
  bollinger: { upper: number; lower: number } | null;
  rsi: number | null;
}

export const SCORE_WEIGHTS = { momentum: 0.3, volume: 0.25, trend: 0.2, breakout: 0.15, rsi: 0.1 } as const;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Score 0–100 and bias from the inputs (see the module comment for the formula). */
export function opportunityScore(inputs: ScoreInputs): { score: number; bias: 'bullish' | 'bearish' | 'neutral' } {
  const change = inputs.changePct ?? 0;
  const d = change > 0 ? 1 : change < 0 ? -1 : 0;
  const momentum = Math.min(Math.abs(change) / 5, 1);
  const volume = inputs.volumeRatio === null ? 0 : clamp01((inputs.volumeRatio - 1) / 4);
  let trend = 0;
  if (d !== 0) {
    if (inputs.macdHistogram !== null && Math.sign(inputs.macdHistogram) === d) trend += 0.5;
    if (inputs.emaDiff !== null && Math.sign(inputs.emaDiff) === d) trend += 0.5;
  }
  let breakout = 0;
  if (d > 0 && inputs.breakout === 'up') breakout = 1;
  else if (d < 0 && inputs.breakout === 'down') breakout = 1;
  else if (d > 0 && inputs.bollinger && inputs.ltp > inputs.bollinger.upper) breakout = 0.5;
  else if (d < 0 && inputs.bollinger && inputs.ltp < inputs.bollinger.lower) breakout = 0.5;
  const rsi = d === 0 || inputs.rsi === null ? 0 : clamp01((d * (inputs.rsi - 50)) / 20);
  const w = SCORE_WEIGHTS;
  const score = Math.round(100 * (w.momentum * momentum + w.volume * volume + w.trend * trend + w.breakout * breakout + w.rsi * rsi));
  return { score, bias: d > 0 ? 'bullish' : d < 0 ? 'bearish' : 'neutral' };
}
