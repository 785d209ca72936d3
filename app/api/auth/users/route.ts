/**
 * GET /api/auth/users — admin. 200 { users: [{ id, email, name, role, createdAt }] }.
 * POST /api/auth/users — admin. Body { email, password (12–128), name?, role }. 201 { user }.
 * 409 conflict when the email is taken.
 */
import { createUserEndpoint, listUsersEndpoint } from '@/lib/auth/contracts';
import { createUser, listUsers } from '@/lib/auth/users';
import { getDatabase } from '@/lib/db/runtime';
import { route } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = route(listUsersEndpoint, async () => ({ users: await listUsers(await getDatabase()) }));

export const POST = route(createUserEndpoint, async ({ body }) => ({ user: await createUser(await getDatabase(), body) }));
