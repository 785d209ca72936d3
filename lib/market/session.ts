/**
 * Market time: the one place that does date arithmetic on NSE market time.
 *
 * All instants are epoch milliseconds (UTC). India has no daylight saving, so IST is a
 * fixed UTC+05:30 offset and nothing here depends on the server's time zone.
 *
 * Rules and sources:
 * - NSE normal market 09:15–15:30 IST (NSE trading hours, nseindia.com "Market timings").
 * - Kite historical candles are anchored at the 09:15 session open: 60minute candles start
 *   09:15, 10:15, …, 15:15 (verified against Kite's published RELIANCE candles, see
 *   docs/architecture.md). The daily candle is stamped 00:00 IST.
 */
import { TIMEFRAME_MS, type Timeframe } from './timeframes';

/** IST offset from UTC in milliseconds (+05:30, no DST). */
export const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;
/** Session open, minutes after IST midnight (09:15). */
export const SESSION_OPEN_MINUTE = 9 * 60 + 15;
/** Session close, minutes after IST midnight (15:30). */
export const SESSION_CLOSE_MINUTE = 15 * 60 + 30;

/** One day in milliseconds (the only definition; IST has no DST, so every IST day is this long). */
export const DAY_MS = 24 * 60 * 60_000;
/**
 * Origin of intraday buckets: any 09:15 IST instant works because every intraday timeframe
 * divides a day. 2000-01-03 09:15 IST = 2000-01-03T03:45:00Z. The SQL migrations use the
 * same origin ('2000-01-03 09:15:00+05:30').
 */
export const INTRADAY_BUCKET_ORIGIN_MS = Date.UTC(2000, 0, 3, 3, 45);

/** Start of IST calendar day containing `ms`, as epoch ms (i.e. 00:00 IST = previous 18:30Z). */
export function istDayStart(ms: number): number {
  return Math.floor((ms + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

/**
 * Start of the bucket of `timeframe` that contains instant `ms` (epoch ms, UTC).
 * Intraday buckets are anchored at 09:15 IST; the daily bucket starts at 00:00 IST.
 */
export function bucketStart(ms: number, timeframe: Timeframe): number {
  if (timeframe === '1d') return istDayStart(ms);
  const width = TIMEFRAME_MS[timeframe];
  return Math.floor((ms - INTRADAY_BUCKET_ORIGIN_MS) / width) * width + INTRADAY_BUCKET_ORIGIN_MS;
}

/** End (exclusive) of the bucket of `timeframe` that contains `ms`. */
export function bucketEnd(ms: number, timeframe: Timeframe): number {
  return bucketStart(ms, timeframe) + TIMEFRAME_MS[timeframe];
}

/** Session open (09:15 IST) of the IST day containing `ms`, epoch ms. */
export function sessionOpen(ms: number): number {
  return istDayStart(ms) + SESSION_OPEN_MINUTE * 60_000;
}

/** Session close (15:30 IST) of the IST day containing `ms`, epoch ms. */
export function sessionClose(ms: number): number {
  return istDayStart(ms) + SESSION_CLOSE_MINUTE * 60_000;
}

/** The next instant strictly after `ms` whose IST time of day is `minuteOfDay` (e.g. 8 × 60 = 08:00 IST), epoch ms. */
export function nextIstTimeOfDay(ms: number, minuteOfDay: number): number {
  const today = istDayStart(ms) + minuteOfDay * 60_000;
  return today > ms ? today : today + DAY_MS;
}

/**
 * Parse a wall-clock IST date-time string without offset, e.g. "2022-11-28 09:15:01" or
 * "2025-11-17 12:07:57.022308" (fractional seconds beyond ms are truncated).
 * Returns epoch ms, or NaN when the text is not of that shape.
 */
export function parseIstLocal(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  return (
    Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, ms) - IST_OFFSET_MS
  );
}

const istFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Kolkata',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** Format epoch ms as "YYYY-MM-DD HH:mm:ss" in IST (for logs, tables and CLI output). */
export function formatIst(ms: number): string {
  const parts = Object.fromEntries(istFormatter.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Milliseconds since 00:00 IST of the IST day containing `ms` (0 … 86_399_999). */
export function istTimeOfDayMs(ms: number): number {
  return ms - istDayStart(ms);
}

/**
 * Parse a date-time with an explicit UTC offset, e.g. "2025-12-29 07:17:00+00:00" (Kite ticker
 * CSVs), "2025-12-29T07:17:00.000Z" (ISO-8601) or "2017-12-15T09:15:00+0530" (Kite historical).
 * Fractional seconds beyond ms are truncated. Returns epoch ms, or NaN when there is no offset
 * or the text is not of that shape (a time without offset is ambiguous: use parseIstLocal).
 */
export function parseZonedTimestamp(text: string): number {
  const fast = parseZonedFixed(text);
  return fast === undefined ? parseZonedTimestampText(text) : fast;
}

/** The last minute parsed by parseZonedFixed: y·10⁸ + mo·10⁶ + d·10⁴ + h·100 + mi, and its Date.UTC. */
const lastMinute = { key: -1, ms: 0 };

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The shape feeds write ("YYYY-MM-DD[ T]HH:MM:SS[.fff…](Z|±HH[:]MM)", no surrounding spaces)
 * read by character codes, with the minute's Date.UTC remembered: consecutive ticks share it,
 * and a replay parses one timestamp per tick (~5× cheaper than the regex). Same result as
 * parseZonedTimestampText (test/unit/field-parsing.test.ts); undefined when the text is of
 * another shape, which that function then decides.
 */
function parseZonedFixed(text: string): number | undefined {
  const n = text.length;
  if (n < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const sep = text.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return undefined;
  const y1 = twoDigits(text, 0);
  const y2 = twoDigits(text, 2);
  const mo = twoDigits(text, 5);
  const d = twoDigits(text, 8);
  const h = twoDigits(text, 11);
  const mi = twoDigits(text, 14);
  const sec = twoDigits(text, 17);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    let digits = 0;
    for (at++; at < n; at++, digits++) {
      const c = text.charCodeAt(at) - 48;
      if (c < 0 || c > 9) break;
      if (digits < 3) ms = ms * 10 + c;
    }
    if (digits < 1 || digits > 9) return undefined;
    for (let k = digits; k < 3; k++) ms *= 10;
  }
  let offsetMs = 0;
  const zone = text.charCodeAt(at);
  if (zone === 90) {
    if (at + 1 !== n) return undefined;
  } else if (zone === 43 || zone === 45) {
    const zh = twoDigits(text, at + 1);
    const colon = text.charCodeAt(at + 3) === 58 ? 1 : 0;
    const zm = twoDigits(text, at + 3 + colon);
    if (zh < 0 || zm < 0 || at + 5 + colon !== n) return undefined;
    offsetMs = (zone === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
  } else return undefined;
  const year = y1 * 100 + y2;
  const key = year * 1e8 + mo * 1e6 + d * 1e4 + h * 100 + mi;
  if (key !== lastMinute.key) {
    lastMinute.key = key;
    lastMinute.ms = Date.UTC(year, mo - 1, d, h, mi);
  }
  return lastMinute.ms + sec * 1000 + ms - offsetMs;
}

/** parseZonedTimestamp by regex: any shape parseZonedFixed declines (surrounding spaces, invalid text). */
function parseZonedTimestampText(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/.exec(
    text.trim(),
  );
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 59) return Number.NaN;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMs = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms) - offsetMs;
}

/**
 * The NSE monthly F&O contract current at instant `ms`: its expiry date is the last Tuesday of
 * the IST month (last Thursday before September 2025, when NSE moved its expiry day to Tuesday
 * per SEBI's 2025 expiry-day rationalisation); once that date has passed (in IST), the next
 * month's contract is current. Exchange holidays (which move expiry to the previous trading
 * day) are NOT applied: good enough for symbols and simulation, not for settlement.
 * Returns the contract month and the expiry as "YYYY-MM-DD".
 */
export function currentMonthlyExpiry(ms: number): { year: number; month: number; expiry: string } {
  const ist = new Date(istDayStart(ms) + IST_OFFSET_MS); // UTC fields of this Date = IST calendar date
  let year = ist.getUTCFullYear();
  let month = ist.getUTCMonth() + 1; // 1-12
  const today = ist.getUTCDate();
  let day = lastWeekdayOfMonth(year, month, expiryWeekday(year, month));
  if (today > day) {
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
    day = lastWeekdayOfMonth(year, month, expiryWeekday(year, month));
  }
  const expiry = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { year, month, expiry };
}

/** Monthly expiry weekday (0 = Sunday): Tuesday from 2025-09, Thursday before. */
function expiryWeekday(year: number, month: number): number {
  return year * 12 + month >= 2025 * 12 + 9 ? 2 : 4;
}

/** Day of month (1-31) of the last `weekday` (0 = Sunday) in `month` (1-12) of `year`. */
function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const last = new Date(Date.UTC(year, month, 0)); // day 0 of next month = last day of this month
  const back = (last.getUTCDay() - weekday + 7) % 7;
  return last.getUTCDate() - back;
}

/** IST calendar date "YYYY-MM-DD" of instant `ms`. */
export function istDate(ms: number): string {
  return new Date(istDayStart(ms) + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 IST of IST date "YYYY-MM-DD", epoch ms; NaN when the text is not such a date. */
export function istDateStart(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3]) - IST_OFFSET_MS;
}

/** Day of week (0 = Sunday … 6 = Saturday) of the IST date containing `ms`. */
export function istWeekday(ms: number): number {
  return new Date(istDayStart(ms) + IST_OFFSET_MS).getUTCDay();
}
