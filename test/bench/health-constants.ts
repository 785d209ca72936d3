/**
 * The candle history the health bench's server seeds and its clients request
 * (test/bench/health-server.ts, test/bench/health.ts): HISTORY_INSTRUMENTS instruments, tokens
 * HISTORY_TOKEN + i (NSE:HEALTH0 …), 1m candles over the 31 days [HISTORY_START, HISTORY_END) (epoch ms UTC;
 * the end is 00:00 IST of the replayed day, 2025-12-29).
 */
export const HISTORY_INSTRUMENTS = Number(process.env.HEALTH_HISTORY_INSTRUMENTS ?? 20);
export const HISTORY_TOKEN = 6_000_000;
/** Instrument i is NSE:HEALTH<i> (tradingsymbol HEALTH<i>). */
export const HISTORY_SYMBOL = 'HEALTH';
export const HISTORY_END = Date.parse('2025-12-29T00:00:00+05:30');
export const HISTORY_START = HISTORY_END - 31 * 86_400_000;
