/**
 * Number formatting for the UI: Indian digit grouping (en-IN: 1,23,45,678), rupee prices with
 * two decimals, signed changes, IST tick times. Pure functions, safe on server and client.
 */
import { formatIst, istDate } from '@/lib/market/session';

const priceFormat = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integerFormat = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
/** Two decimals always, so a column of short quantities lines up (69.00L under 9.38L). */
const compactFormat = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Rupee price with two decimals, e.g. 1,523.40; "—" when unknown. */
export function formatPrice(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : priceFormat.format(value);
}

/** Signed change with two decimals, e.g. +12.35 / −4.10. */
export function formatChange(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const text = priceFormat.format(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** Signed percentage, e.g. +0.81%. */
export function formatPercent(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const text = `${Math.abs(value).toFixed(2)}%`;
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** Whole quantity with Indian grouping; "—" for 0 or unknown (indices have no volume). */
export function formatVolume(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) || value === 0 ? '—' : integerFormat.format(value);
}

/** Short quantity in Indian units with two decimals: 12.50K, 3.40L (lakh), 1.20Cr (crore); below 1,000 whole. */
export function formatCompactVolume(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e7) return `${compactFormat.format(value / 1e7)}Cr`;
  if (abs >= 1e5) return `${compactFormat.format(value / 1e5)}L`;
  if (abs >= 1e3) return `${compactFormat.format(value / 1e3)}K`;
  return integerFormat.format(value);
}

/** Tailwind text colour class for the sign of a change. */
export function toneClass(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value) || value === 0) return 'text-desk-muted';
  return value > 0 ? 'text-up' : 'text-down';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A tick's time for "last tick" displays, in IST: "15:29:59" when it is on today's IST date
 * (relative to `now`, epoch ms), else with its date, "30 Nov 2022 15:29:59", so data from
 * another day (a replayed session, a weekend) is never mistaken for today's. "—" when unknown.
 * @param ms epoch ms UTC (exchange time)
 */
export function formatTickTime(ms: number | null | undefined, now: number): string {
  if (ms == null || !Number.isFinite(ms) || ms <= 0) return '—';
  const text = formatIst(ms); // YYYY-MM-DD HH:MM:SS
  if (istDate(ms) === istDate(now)) return text.slice(11);
  const [year, month, day] = text.slice(0, 10).split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year} ${text.slice(11)}`;
}

/** "1 instrument", "2 instruments", "1,234 instruments" (Indian grouping); `many` defaults to `one` + "s". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${integerFormat.format(count)} ${count === 1 ? one : many}`;
}
