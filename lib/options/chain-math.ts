/**
 * Chain-wide figures: ATM strike, put-call ratio by open interest, max pain.
 *
 * - ATM: the listed strike nearest to spot (the lower one on a tie).
 * - PCR (by OI): Σ PE open interest / Σ CE open interest over the strikes given; null when the
 *   calls' total is 0.
 * - Max pain: the strike (among those listed) at which option writers pay the least at expiry,
 *   i.e. that minimises Σ_k [ OI_CE(k) · max(0, S − k) + OI_PE(k) · max(0, k − S) ] over
 *   settlement prices S = each listed strike; null without any OI. Lower strike on a tie.
 *
 * OI in contracts' units (shares/units, as Kite reports it); strikes and spot in rupees. Pure.
 */

/** What the figures need of one strike. */
export interface StrikeOi {
  strike: number;
  /** Call open interest (null: unknown, counted as 0). */
  ceOi: number | null;
  /** Put open interest (null: unknown, counted as 0). */
  peOi: number | null;
}

/** Listed strike nearest to `spot`; null for no strikes. */
export function atmStrike(strikes: readonly number[], spot: number): number | null {
  let best: number | null = null;
  for (const k of strikes) {
    if (best === null || Math.abs(k - spot) < Math.abs(best - spot) || (Math.abs(k - spot) === Math.abs(best - spot) && k < best)) best = k;
  }
  return best;
}

/** Put-call ratio by OI; null when there is no call OI. */
export function putCallRatio(rows: readonly StrikeOi[]): number | null {
  let ce = 0;
  let pe = 0;
  for (const row of rows) {
    ce += row.ceOi ?? 0;
    pe += row.peOi ?? 0;
  }
  return ce > 0 ? pe / ce : null;
}

/** Writers' total payout (rupees × units) if the underlying settles at `settle`. */
export function writerPayout(rows: readonly StrikeOi[], settle: number): number {
  let total = 0;
  for (const row of rows) {
    total += (row.ceOi ?? 0) * Math.max(0, settle - row.strike) + (row.peOi ?? 0) * Math.max(0, row.strike - settle);
  }
  return total;
}

/** Max-pain strike; null when no strike carries OI. */
export function maxPain(rows: readonly StrikeOi[]): number | null {
  if (!rows.some((row) => (row.ceOi ?? 0) > 0 || (row.peOi ?? 0) > 0)) return null;
  let best: { strike: number; payout: number } | null = null;
  for (const row of [...rows].sort((a, b) => a.strike - b.strike)) {
    const payout = writerPayout(rows, row.strike);
    if (best === null || payout < best.payout) best = { strike: row.strike, payout };
  }
  return best?.strike ?? null;
}

/** The `count` strikes each side of the one nearest `spot` (2·count + 1 at most), ascending. */
export function strikesAround(strikes: readonly number[], spot: number, count: number): number[] {
  const sorted = [...new Set(strikes)].sort((a, b) => a - b);
  const atm = atmStrike(sorted, spot);
  if (atm === null) return [];
  const i = sorted.indexOf(atm);
  return sorted.slice(Math.max(0, i - count), i + count + 1);
}
