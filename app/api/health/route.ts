/**
 * GET /api/health — readiness of the web app's dependencies: the handler and its full contract
 * are in lib/api/health/get.ts (shared with the host's fast path, worker/host-listener.ts).
 */
import { getHealthHandler } from '@/lib/api/health/get';
import { api } from '@/lib/contracts/api';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.getHealth, getHealthHandler);
