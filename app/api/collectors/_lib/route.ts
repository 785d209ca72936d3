/**
 * The wrapper every /api/collectors handler uses: read the `name` segment and the JSON body,
 * validate with zod, call the collectors' control, map errors to `{error:{code,message}}`
 * (lib/api/errors.ts) with the status the control gave (404, 409, 422 subscription cap, 503).
 */
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { collectorNameSchema } from '@/lib/api/collector-schemas';
import { ApiError, errorResponse } from '@/lib/api/errors';
import type { CollectorControl } from '@/worker/collectors/types';
import { asApiError, getCollectorControl } from './control';

export interface RouteContext {
  /** Absent for routes without dynamic segments. */
  params?: Promise<Record<string, string>>;
}

/** Handler taking a validated JSON body (or none, with `schema` null) and the collector name. */
export function collectorRoute<S extends z.ZodType | null, R>(
  schema: S,
  handle: (control: CollectorControl, input: { name: string; body: S extends z.ZodType ? z.output<S> : undefined }) => Promise<R>,
  status = 200,
): (request: Request, context: RouteContext) => Promise<NextResponse> {
  return async (request, context) => {
    try {
      const params: Record<string, string> = (await context?.params) ?? {};
      const name = params.name === undefined ? '' : collectorNameSchema.parse(params.name);
      let body: unknown;
      if (schema) {
        const text = await request.text();
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : {};
        } catch {
          throw new ApiError(400, 'invalid_request', 'body: not valid JSON');
        }
        body = schema.parse(json);
      }
      const result = await handle(getCollectorControl(), { name, body: body as S extends z.ZodType ? z.output<S> : undefined });
      return NextResponse.json(result, { status, headers: { 'Cache-Control': 'no-store' } });
    } catch (error) {
      return errorResponse(asApiError(error));
    }
  };
}
