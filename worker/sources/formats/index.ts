/**
 * Registry of replay-file formats and header-based auto-detection.
 *
 * Formats (details in docs/tick-format.md and each module's comment):
 *   marketdesk     the project's own tick CSV (export/import round trip)
 *   kite-csv       KiteTicker full-mode ticks as CSV
 *   breeze-csv     ICICI Breeze NFO futures ticks as CSV
 *   nse-index-csv  headerless NIFTY 50 per-second values from nseindia.com
 */
import { breezeCsvFormat } from './breeze-csv';
import { kiteCsvFormat } from './kite-csv';
import { marketdeskFormat } from './marketdesk';
import { nseIndexCsvFormat } from './nse-index-csv';
import { FORMAT_IDS, type FormatId, type TickFormat } from './types';

export type { CsvRecord, FormatId, NormaliseResult, TickFormat } from './types';
export { FORMAT_IDS } from './types';
export { formatMarketdeskCsvRow, MARKETDESK_COLUMNS, MARKETDESK_HEADER, type MarketdeskRow } from './marketdesk';

/** All formats by id. Detection tries them in FORMAT_IDS order. */
export const TICK_FORMATS: Readonly<Record<FormatId, TickFormat>> = {
  marketdesk: marketdeskFormat,
  'kite-csv': kiteCsvFormat,
  'breeze-csv': breezeCsvFormat,
  'nse-index-csv': nseIndexCsvFormat,
};

/** True when `value` names a known format. */
export function isFormatId(value: string): value is FormatId {
  return (FORMAT_IDS as readonly string[]).includes(value);
}

/**
 * The format `id` names. Throws an Error listing the known formats when it names none
 * (for CLI options and config, where an unknown name is a user error).
 */
export function getFormat(id: string): TickFormat {
  if (!isFormatId(id)) throw new Error(`unknown tick format "${id}"; known formats: ${FORMAT_IDS.join(', ')}`);
  return TICK_FORMATS[id];
}

/**
 * Detect a file's format from its first line (header, or first record for headerless
 * formats; a trailing "\r" and a BOM are tolerated). Returns null when no format matches.
 */
export function detectFormat(firstLine: string): FormatId | null {
  for (const id of FORMAT_IDS) {
    if (TICK_FORMATS[id].detect(firstLine)) return id;
  }
  return null;
}
