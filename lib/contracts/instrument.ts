/** Instruments in JSON answers (GET /api/instruments) and the search query. */
import { z } from 'zod';
import type { Instrument } from '@/lib/market/instrument';
import { exchangeSchema, intParam, requiredString } from './common';

/** GET /api/instruments: `q` (1–40 characters, required), `limit` (1–100, default 20). */
export const instrumentsQuerySchema = z.object({
  q: requiredString().trim().min(1, 'required').max(40, 'at most 40 characters'),
  limit: intParam(1, 100).default(20),
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
  };
}

export const instrumentsResponseSchema = z.object({ instruments: z.array(apiInstrumentSchema) });
