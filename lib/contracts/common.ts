/**
 * Building blocks of the contracts (lib/contracts/*): symbols, timeframes, times, paging numbers
 * and the error body. Query-string schemas parse the raw strings of a URLSearchParams object;
 * messages are what a 400 shows after the field name (`query.symbol: required`).
 */
import { z } from 'zod';
import { ERROR_CODES } from '@/lib/http/errors';
import { EXCHANGES, parseSymbol } from '@/lib/market/tick';
import { TIMEFRAMES } from '@/lib/market/timeframes';

/** A string parameter whose absence says `required` (not zod's "expected string, received undefined"). */
export const requiredString = (what = 'a string') =>
  z.string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${what}`) });

export const exchangeSchema = z.enum(EXCHANGES, { error: `expected one of ${EXCHANGES.join(', ')}` });

export const timeframeSchema = z.enum(TIMEFRAMES, { error: `expected one of ${TIMEFRAMES.join(', ')}` });

/** Years a date parameter may name (the database and the session calendar cover these). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;
const inYearRange = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

/** Largest value of an `integer` (int4) column: ids past it are a 400, not a database error. */
export const MAX_INT4 = 2_147_483_647;

/** A decimal integer written as digits only (no hex, exponent, Infinity, blanks or sign tricks). */
const decimalIntegerText = z.string({ error: 'expected an integer' }).regex(/^-?\d{1,20}$/, 'expected a decimal integer');

/** ISO 8601 date-time with an offset (`2025-01-15T03:45:00Z`, `2022-11-28T09:15:00+05:30`). */
export const isoDateTimeParam = z.iso
  .datetime({ offset: true, error: 'expected an ISO 8601 date-time with offset, e.g. 2025-01-15T03:45:00Z' })
  .refine((value) => inYearRange(Number(value.slice(0, 4))), `year must be between ${MIN_YEAR} and ${MAX_YEAR}`);

/** An IST calendar date `YYYY-MM-DD` that exists (no 2025-02-30), years MIN_YEAR–MAX_YEAR. */
export const istDateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an IST date YYYY-MM-DD')
  .refine((value) => z.iso.date().safeParse(value).success, 'expected an existing date YYYY-MM-DD')
  .refine((value) => inYearRange(Number(value.slice(0, 4))), `year must be between ${MIN_YEAR} and ${MAX_YEAR}`);

/** `true` / `false` in a query string. */
export const booleanParam = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true');

/** An integer query parameter between `min` and `max`. */
export const intParam = (min: number, max: number) =>
  decimalIntegerText
    .transform(Number)
    .pipe(z.number().int('expected an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .meta({ type: 'integer', minimum: min, maximum: max });

/** A positive integer path id (`12`). */
export const idParam = z
  .string({ error: 'expected a positive integer' })
  .regex(/^\d{1,20}$/, 'expected a positive integer')
  .transform(Number)
  .pipe(z.number().int('expected a positive integer').positive('expected a positive integer').max(MAX_INT4, `must be at most ${MAX_INT4}`))
  .meta({ type: 'integer', minimum: 1, maximum: MAX_INT4 });

const SYMBOL_HINT = `expected EXCHANGE:TRADINGSYMBOL with EXCHANGE one of ${EXCHANGES.join(', ')}, e.g. NSE:INFY`;

/**
 * "EXCHANGE:TRADINGSYMBOL" → `{ symbol, exchange, tradingsymbol }` (exchange upper-cased, symbol
 * trimmed). The one symbol schema: `symbolSchema` below is this with the string kept.
 */
export const symbolParam = requiredString()
  .trim()
  .min(1, 'required')
  .transform((value, ctx) => {
    const parsed = parseSymbol(value);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: `${SYMBOL_HINT} (got "${value.slice(0, 40)}")` });
      return z.NEVER;
    }
    return { symbol: `${parsed.exchange}:${parsed.tradingsymbol}`, ...parsed };
  })
  .meta({ description: '"EXCHANGE:TRADINGSYMBOL", e.g. NSE:INFY, "NSE:NIFTY 50", NFO:NIFTY25DECFUT', example: 'NSE:INFY' });

export type ParsedSymbol = z.output<typeof symbolParam>;

/** A symbol in a JSON body, normalised to "EXCHANGE:TRADINGSYMBOL". */
export const symbolSchema = symbolParam.transform((parsed) => parsed.symbol);

/** A list of symbols in a JSON body (at most 500). */
export const symbolListSchema = z.array(symbolSchema, { error: 'expected an array of symbols' }).max(500, 'at most 500 symbols');

/** ISO 8601 UTC instant in an answer. */
export const isoTime = z.string().meta({ format: 'date-time', example: '2025-12-29T07:17:00.000Z' });

/** Epoch milliseconds UTC in an answer. */
export const epochMs = z.number().int().meta({ description: 'epoch milliseconds UTC', example: 1766992620000 });

/** `{ error: { code, message } }`: every error answer (lib/http/errors.ts). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [string, ...string[]]),
      message: z.string().meta({ example: 'query.timeframe: expected one of 1m, 5m, 15m, 30m, 1h, 1d' }),
    }),
  })
  .meta({ id: 'Error' });

/** `{ deleted: true }`. */
export const deletedSchema = z.object({ deleted: z.literal(true) });

/** No parameters (unknown ones are ignored). */
export const noQuery = z.object({});
