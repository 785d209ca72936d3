/**
 * Number formatting for the UI: Indian digit grouping (en-IN: 1,23,45,678), rupee prices with
 * two decimals, signed changes. Pure functions, safe on server and client.
 */

const priceFormat = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integerFormat = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 2 });

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

/** Short quantity in Indian units: 12.5K, 3.4L (lakh), 1.2Cr (crore). */
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
