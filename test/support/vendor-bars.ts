/**
 * aeron7 vendor 1m bars (../shared/data/nse-nifty-1s-vs-1m/aeron7_*.txt,
 * `SYMBOL,YYYYMMDD,HH:MM,O,H,L,C,V,OI`, timestamp = bar END) as candles stamped by their start,
 * the way Kite's historical API serves them. Used as the "broker history" of test servers.
 */
import { readFileSync } from 'node:fs';
import type { ServedCandle } from './kite-rest-server';

export function readVendorBars(file: string): ServedCandle[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','))
    .map(([, ymd, hhmm, o, h, l, c, v]) => ({
      bucket: Date.parse(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}T${hhmm}:00+05:30`) - 60_000,
      open: Number(o),
      high: Number(h),
      low: Number(l),
      close: Number(c),
      volume: Number(v),
    }));
}
