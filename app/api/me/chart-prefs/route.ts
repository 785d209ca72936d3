/**
 * GET /api/me/chart-prefs — the caller's chart studies (issue 13 point 1; lib/contracts/me.ts).
 * 200: { scope: "user", prefs: { studies: ["rsi:14"], volume: true, oi: true } | null } for a
 * caller with an account (a session, or a token created by an account); { scope: "browser",
 * prefs: null } without one (the loopback local desk, a CLI token): the browser keeps the choice.
 *
 * PUT /api/me/chart-prefs — replace it. Body { studies: string[] (≤ 12 study ids), volume: boolean,
 * oi: boolean }. 200: { scope: "user", prefs } (ids canonical, duplicates merged).
 * Errors: 400 invalid_request naming the `body.` field (e.g. `body.studies.0`); 409 conflict
 * for a caller without an account; 401/403 as every viewer route (docs/security.md).
 */
import { api } from '@/lib/contracts/api';
import { chartPrefsSchema, type ChartPrefsResponse } from '@/lib/contracts/me';
import { getDatabase } from '@/lib/db/runtime';
import { getUserPref, setUserPref } from '@/lib/db/queries/user-prefs';
import { AppError } from '@/lib/http/errors';
import { route } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(api.getChartPrefs, async ({ principal }): Promise<ChartPrefsResponse> => {
  const userId = principal?.userId;
  if (!userId) return { scope: 'browser', prefs: null };
  const stored = chartPrefsSchema.safeParse(await getUserPref(await getDatabase(), userId, 'chart'));
  // A stored value this version no longer accepts (e.g. a removed study) reads as none.
  return { scope: 'user', prefs: stored.success ? stored.data : null };
});

export const PUT = route(api.putChartPrefs, async ({ principal, body }): Promise<ChartPrefsResponse> => {
  const userId = principal?.userId;
  if (!userId) throw new AppError('conflict', 'no account: without sign-in the chart studies are kept in the browser');
  await setUserPref(await getDatabase(), userId, 'chart', body);
  return { scope: 'user', prefs: body };
});
