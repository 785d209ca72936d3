/**
 * Authentication at start-up (worker/host.ts; issue 10): create the first admin from
 * ADMIN_EMAIL + ADMIN_PASSWORD when no account exists, and refuse to start an exposed app (a
 * non-loopback HOST) that nobody could sign in to or call.
 */
import type { AuthEnv } from '@/lib/config/auth-env';
import type { Database } from '@/lib/db/client';
import type { AuthPolicy } from './policy';
import { countActiveTokens } from './tokens';
import { countUsers, createUser } from './users';

export class StartRefusedError extends Error {
  constructor(host: string) {
    super(
      `Refusing to start: HOST=${host} makes the app reachable from other machines, and no account or API token exists yet.\n` +
        'Create the first admin, then start again:\n' +
        '  - set ADMIN_EMAIL and ADMIN_PASSWORD (12+ characters) for this start: the account is created at start, or\n' +
        '  - run `npm run token -- create --name NAME --role admin` (with the app stopped) and send the token as `Authorization: Bearer <token>`.\n' +
        'Or leave HOST unset: the app then listens on 127.0.0.1 only, as a local desk. See docs/security.md.',
    );
    this.name = 'StartRefusedError';
  }
}

export interface AuthStart {
  users: number;
  activeTokens: number;
  /** Email of the admin created from ADMIN_EMAIL at this start, if any. */
  createdAdmin: string | null;
}

/**
 * @throws StartRefusedError when `policy.exposed` and no account or active token exists after
 *         the ADMIN_* bootstrap; AppError when ADMIN_PASSWORD is refused.
 */
export async function prepareAuth(db: Database, env: Pick<AuthEnv, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>, policy: AuthPolicy): Promise<AuthStart> {
  let users = await countUsers(db);
  let createdAdmin: string | null = null;
  if (users === 0 && env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
    createdAdmin = (await createUser(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, role: 'admin' })).email;
    users = 1;
  }
  const activeTokens = await countActiveTokens(db);
  if (policy.exposed && users === 0 && activeTokens === 0) throw new StartRefusedError(policy.bindHost);
  return { users, activeTokens, createdAdmin };
}
