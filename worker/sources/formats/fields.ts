/**
 * Field parsing for CSV normalisers: strict number parsing and a reader that records the
 * first problem instead of throwing, so a normaliser can read all its fields and then return
 * `{ error }` once.
 */
import type { CsvRecord, NormaliseResult } from './types';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parse a decimal number ("25978.50", "-0.31", "1e3"); NaN for anything else, including
 * "", "0x10", "Infinity" and "12abc" (which `Number()` would partly accept).
 */
export function parseDecimal(text: string): number {
  // Fast path for the usual field, [+-]digits[.digits] with at most 15 digits: the digits as
  // an integer over a power of ten. Both are exact doubles, so the one division is correctly
  // rounded and equals Number(text) (Clinger's fast path); ~3× cheaper than the regex and
  // Number() below, and a replay parses ~10 numbers per tick.
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && (text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43)) {
    negative = text.charCodeAt(0) === 45;
    i = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else break;
  }
  if (i === n && digits > 0 && digits <= 15) {
    const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
    return negative ? -value : value;
  }
  const t = text.trim();
  return NUMBER_RE.test(t) ? Number(t) : Number.NaN;
}

/** 10^0 … 10^15, exact doubles. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** Split a CSV header line into trimmed column names (handles a BOM and simple quoting). */
export function splitHeaderLine(line: string): string[] {
  return line
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '')
    .split(',')
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
}

/** True when the header `line` contains every column in `required`. */
export function headerHas(line: string, required: readonly string[]): boolean {
  const cols = new Set(splitHeaderLine(line));
  return required.every((c) => cols.has(c));
}

interface NumberRules {
  /** Must be an integer (quantities, tokens). */
  integer?: boolean;
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Value must be strictly greater than this. */
  above?: number;
}

const NO_RULES: NumberRules = {};

/**
 * Reads typed fields from a record. Each getter returns a placeholder (NaN, "", null) on
 * failure and remembers the first error; check `error` (or call `fail()`) after reading.
 */
export class FieldReader {
  error: string | null = null;

  constructor(private readonly record: CsvRecord) {}

  /** Raw text of a column; records "missing column" when absent and "empty" when blank. */
  text(column: string): string {
    const value = this.record[column];
    if (value === undefined) return this.setError(`missing column '${column}'`, '');
    const t = value.trim();
    if (t === '') return this.setError(`empty '${column}'`, '');
    return t;
  }

  /** A required number obeying `rules`; NaN (and an error) otherwise. */
  number(column: string, rules: NumberRules = NO_RULES): number {
    const t = this.text(column);
    if (this.error) return Number.NaN;
    return this.check(column, t, rules);
  }

  /** An optional number: blank or absent → null; present but invalid → error. */
  optionalNumber(column: string, rules: NumberRules = NO_RULES): number | null {
    const value = this.record[column];
    if (value === undefined) return null;
    // parseDecimal trims only when its fast path fails, so the usual field is scanned once.
    const parsed = parseDecimal(value);
    if (Number.isNaN(parsed) && value.trim() === '') return null;
    const n = this.check(column, value.trim(), rules, parsed);
    return Number.isNaN(n) ? null : n;
  }

  /** `{ error }` with the recorded error (call only when `error` is set). */
  fail(): NormaliseResult {
    return { error: this.error ?? 'invalid record' };
  }

  /** `text` (trimmed) against `rules`; `n` is its parseDecimal when the caller has it. */
  private check(column: string, text: string, rules: NumberRules, n = parseDecimal(text)): number {
    if (!Number.isFinite(n)) return this.setError(`'${column}' is not a number: ${JSON.stringify(text)}`, Number.NaN);
    if (rules.integer && !Number.isSafeInteger(n))
      return this.setError(`'${column}' is not an integer: ${JSON.stringify(text)}`, Number.NaN);
    if (rules.min !== undefined && n < rules.min)
      return this.setError(`'${column}' must be >= ${rules.min}: ${text}`, Number.NaN);
    if (rules.above !== undefined && !(n > rules.above))
      return this.setError(`'${column}' must be > ${rules.above}: ${text}`, Number.NaN);
    return n;
  }

  private setError<T>(message: string, placeholder: T): T {
    if (this.error === null) this.error = message;
    return placeholder;
  }
}
