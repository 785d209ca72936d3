/**
 * Alert condition evaluation against scanner rows. Pure: the caller keeps the previous LTP per
 * (alert, instrument) for the edge-triggered price cross.
 */
import { describeCondition, type AlertCondition } from '@/lib/market/alerts';
import { formatRupees } from '@/lib/market/rupees';
import type { ScannerRow } from '@/lib/market/scanner';

export interface ConditionHit {
  /** The value that met the condition (LTP, %, ratio, RSI, rank). */
  value: number;
  message: string;
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);

/**
 * Whether `condition` holds for `row`.
 * @param previousLtp LTP at the previous evaluation of this alert for this instrument (price_cross only)
 * @param presetRank 1-based rank of the instrument in the condition's preset, if it is in the top (scanner_preset only)
 */
export function evaluateCondition(
  condition: AlertCondition,
  row: ScannerRow,
  previousLtp: number | undefined,
  presetRank?: number,
): ConditionHit | null {
  const what = `${row.tradingsymbol}: ${describeCondition(condition)}`;
  switch (condition.type) {
    case 'price_cross': {
      if (previousLtp === undefined || previousLtp === row.ltp) return null;
      const up = previousLtp < condition.level && row.ltp >= condition.level;
      const down = previousLtp > condition.level && row.ltp <= condition.level;
      const hit = condition.direction === 'above' ? up : condition.direction === 'below' ? down : up || down;
      return hit ? { value: row.ltp, message: `${what} (LTP ${formatRupees(row.ltp)})` } : null;
    }
    case 'change_pct': {
      // Day change vs the previous session's close (lib/market/change.ts); unknown → never fires.
      const change = row.dayChangePct;
      if (change === null) return null;
      const hit = condition.op === 'above' ? change >= condition.value : change <= condition.value;
      return hit ? { value: change, message: `${what} (${change >= 0 ? '+' : ''}${fmt(change)}%)` } : null;
    }
    case 'volume_spike': {
      const ratio = row.volumeRatio;
      return ratio !== null && ratio >= condition.ratio ? { value: ratio, message: `${what} (${fmt(ratio, 1)}×)` } : null;
    }
    case 'rsi': {
      const rsi = row.rsi;
      if (rsi === null) return null;
      const hit = condition.op === 'above' ? rsi >= condition.value : rsi <= condition.value;
      return hit ? { value: rsi, message: `${what} (RSI ${fmt(rsi, 1)})` } : null;
    }
    case 'scanner_preset':
      return presetRank !== undefined ? { value: presetRank, message: `${what} (#${presetRank})` } : null;
  }
}

/**
 * Firing policy: a hit fires when the alert is enabled and, for this instrument, it never fired
 * or (repeating alerts) `cooldownSec` has passed since it last fired. Times epoch ms.
 */
export function mayFire(alert: { repeat: boolean; cooldownSec: number }, lastFiredAt: number | undefined, now: number): boolean {
  if (lastFiredAt === undefined) return true;
  return alert.repeat && now - lastFiredAt >= alert.cooldownSec * 1000;
}
