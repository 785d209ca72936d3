/**
 * GET /api/openapi.json — the OpenAPI 3.1 document of this API, generated from the endpoint
 * contracts (lib/contracts/api.ts → lib/contracts/openapi.ts). Rendered at /docs.
 */
import { api } from '@/lib/contracts/api';
import { buildOpenApiDocument } from '@/lib/contracts/openapi';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const GET = route(api.getOpenApi, () => (document ??= buildOpenApiDocument()));
