/**
 * PATCH /api/auth/users/:id — admin. Body { role }. 200 { user }.
 * DELETE /api/auth/users/:id — admin. 200 { ok: true }.
 * 404 unknown id; 409 for removing or demoting the last admin.
 */
import { deleteUserEndpoint, updateUserEndpoint } from '@/lib/auth/contracts';
import { deleteUser, setUserRole } from '@/lib/auth/users';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const PATCH = route(updateUserEndpoint, async ({ params, body }) => ({ user: await setUserRole(await getDatabase(), params.id, body.role) }));

export const DELETE = route(deleteUserEndpoint, async ({ params }) => {
  await deleteUser(await getDatabase(), params.id);
  return { ok: true };
});
