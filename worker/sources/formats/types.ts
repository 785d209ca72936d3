/**
 * Contracts shared by the replay-file normalisers (one module per CSV format).
 *
 * A normaliser is a pure function from one parsed CSV record (an object keyed by column name,
 * all values strings as the CSV parser produced them) to a `Tick` or a reason the record was
 * rejected. Normalisers never throw on bad input.
 */
import type { Instrument } from '@/lib/market/instrument';
import type { Tick } from '@/lib/market/tick';

/** One CSV record keyed by column name; a column absent from the record is `undefined`. */
export type CsvRecord = Readonly<Record<string, string | undefined>>;

/** Result of normalising one record: a tick, or the reason it was rejected. */
export type NormaliseResult = { tick: Tick; error?: undefined } | { tick?: undefined; error: string };

/** Identifiers of the replay formats (see docs/tick-format.md). */
export const FORMAT_IDS = ['marketdesk', 'kite-csv', 'breeze-csv', 'nse-index-csv'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** A replay-file format: how to recognise it and how to turn its records into ticks. */
export interface TickFormat {
  readonly id: FormatId;
  /** One line for logs and error messages. */
  readonly description: string;
  /**
   * Column names for headerless files (the first line is already data); null when the first
   * line of the file is the header.
   */
  readonly columns: readonly string[] | null;
  /** Columns a header must contain for this format (all columns for headerless formats). */
  readonly requiredColumns: readonly string[];
  /** True when the first line of a file (header or first record, no line terminator) is this format's. */
  detect(firstLine: string): boolean;
  /** Pure: record → tick or reason. Never throws. */
  normalise(record: CsvRecord): NormaliseResult;
  /** Instruments known without reading the file (e.g. the one index of an index-only format). */
  readonly knownInstruments: readonly Instrument[];
}
