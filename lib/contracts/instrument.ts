/** Instruments in JSON answers (GET /api/instruments) and the search query. */
import { z } from 'zod';
import type { Instrument } from '@/lib/market/instrument';
import { exchangeSchema, intParam, istDateParam } from './common';

/**
 * GET /api/instruments: search text `q` (1–40 characters) and/or filters `exchange`, `segment`,
 * `type` (instrument_type), `underlying` (derivatives' name), `expiry` (YYYY-MM-DD),
 * `strike_min`/`strike_max` (rupees); `limit` (1–500, default 20) and `offset` (default 0).
 */
export const instrumentsQuerySchema = z.object({
  q: z.string().trim().min(1, 'at least 1 character').max(40, 'at most 40 characters').optional(),
  exchange: exchangeSchema.optional(),
  segment: z.string().trim().toUpperCase().max(20, 'at most 20 characters').optional(),
  type: z.enum(['EQ', 'FUT', 'CE', 'PE'], { error: 'expected one of EQ, FUT, CE, PE' }).optional(),
  underlying: z.string().trim().toUpperCase().max(30, 'at most 30 characters').optional(),
  expiry: istDateParam.optional(),
  strike_min: z.coerce.number({ error: 'expected a number' }).min(0, 'must be at least 0').optional(),
  strike_max: z.coerce.number({ error: 'expected a number' }).min(0, 'must be at least 0').optional(),
  limit: intParam(1, 500).default(20),
  offset: intParam(0, 1_000_000).default(0),
});

/** GET /api/instruments/{token}. */
export const instrumentParams = z.object({
  token: z.coerce.number({ error: 'expected an instrument token' }).int('expected an instrument token').positive('expected an instrument token'),
});

export const apiInstrumentSchema = z
  .object({
    instrument_token: z.number().int(),
    exchange: exchangeSchema,
    tradingsymbol: z.string(),
    name: z.string().nullable(),
    /** Kite segment, e.g. NSE, NFO-FUT, INDICES. */
    segment: z.string().nullable(),
    /** Kite instrument_type, e.g. EQ, FUT, CE, PE. */
    instrument_type: z.string().nullable(),
    /** Derivatives: "YYYY-MM-DD"; else null. */
    expiry: z.string().nullable(),
    /** Options: rupees; else null. */
    strike: z.number().nullable(),
    lot_size: z.number().nullable(),
    /** Rupees (0 for indices). */
    tick_size: z.number().nullable(),
  })
  .meta({ id: 'Instrument' });

export type ApiInstrument = z.infer<typeof apiInstrumentSchema>;

export function toApiInstrument(instrument: Instrument): ApiInstrument {
  return {
    instrument_token: instrument.instrumentToken,
    exchange: instrument.exchange,
    tradingsymbol: instrument.tradingsymbol,
    name: instrument.name,
    segment: instrument.segment,
    instrument_type: instrument.instrumentType,
    expiry: instrument.expiry,
    strike: instrument.strike,
    lot_size: instrument.lotSize,
    tick_size: instrument.tickSize,
  };
}

export const instrumentsResponseSchema = z.object({
  instruments: z.array(apiInstrumentSchema),
  /** Matches in all pages. */
  total: z.number().int(),
  offset: z.number().int(),
});

export const instrumentResponseSchema = z.object({ instrument: apiInstrumentSchema });
