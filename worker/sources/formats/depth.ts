/**
 * Market-depth helpers shared by the CSV normalisers that carry 5-level books.
 */
import type { DepthLevel } from '@/lib/market/tick';
import { FieldReader } from './fields';

/** Column names of one side's depth level `level` (1-based). */
export interface DepthColumns {
  price: (level: number) => string;
  quantity: (level: number) => string;
  /** Absent when the format has no order counts (orders are then 0). */
  orders?: (level: number) => string;
}

/**
 * Read `levels` depth levels of one side. A level whose price is 0 (or blank) is empty and
 * dropped, as brokers pad missing levels with zeros. Invalid numbers are recorded on `reader`.
 * Returns the non-empty levels in book order (best first).
 */
export function readDepthSide(reader: FieldReader, columns: DepthColumns, levels = 5): DepthLevel[] {
  const out: DepthLevel[] = [];
  for (let level = 1; level <= levels; level++) {
    const price = reader.optionalNumber(columns.price(level), { min: 0 });
    const quantity = reader.optionalNumber(columns.quantity(level), { integer: true, min: 0 });
    const orders = columns.orders ? reader.optionalNumber(columns.orders(level), { integer: true, min: 0 }) : 0;
    if (price === null || price === 0) continue;
    out.push({ price, quantity: quantity ?? 0, orders: orders ?? 0 });
  }
  return out;
}
