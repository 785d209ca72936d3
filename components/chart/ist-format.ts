/**
 * Chart time labels in IST whatever the browser's time zone. lightweight-charts receives UTC
 * seconds; these formatters render them with Intl and `timeZone: 'Asia/Kolkata'` (formatting
 * only, no date arithmetic: that lives in lib/market/session.ts). Years always have four digits.
 */
import { TickMarkType, type Time } from 'lightweight-charts';
import type { Timeframe } from '@/lib/market/timeframes';

const IST = 'Asia/Kolkata';

const make = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: IST, hourCycle: 'h23', ...options });

const yearFormat = make({ year: 'numeric' });
const monthFormat = make({ month: 'short', year: 'numeric' });
const dayFormat = make({ day: 'numeric', month: 'short' });
const timeFormat = make({ hour: '2-digit', minute: '2-digit' });
const secondsFormat = make({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
const crosshairDayFormat = make({ weekday: 'short', day: '2-digit', month: 'short', year: 'numeric' });
const crosshairFormat = make({
  weekday: 'short',
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Epoch ms of a chart time (we only ever give the chart UTC seconds). */
export function chartTimeToMs(time: Time): number {
  if (typeof time === 'number') return time * 1000;
  if (typeof time === 'string') return Date.parse(time);
  return Date.UTC(time.year, time.month - 1, time.day);
}

/** Axis labels: year / month / day marks as dates, intraday marks as HH:mm IST. */
export function istTickMark(time: Time, type: TickMarkType): string {
  const date = new Date(chartTimeToMs(time));
  switch (type) {
    case TickMarkType.Year:
      return yearFormat.format(date);
    case TickMarkType.Month:
      return monthFormat.format(date);
    case TickMarkType.DayOfMonth:
      return dayFormat.format(date);
    case TickMarkType.TimeWithSeconds:
      return secondsFormat.format(date);
    default:
      return timeFormat.format(date);
  }
}

/** Crosshair label: "Mon, 17 Nov 2025, 10:15" (four-digit year; date only for daily candles). */
export function istCrosshairLabel(time: Time, timeframe: Timeframe): string {
  const date = new Date(chartTimeToMs(time));
  return (timeframe === '1d' ? crosshairDayFormat : crosshairFormat).format(date);
}

/** Legend label of a candle's bucket start. */
export function istBucketLabel(ms: number, timeframe: Timeframe): string {
  return (timeframe === '1d' ? crosshairDayFormat : crosshairFormat).format(new Date(ms));
}
