/**
 * Authentication configuration (issue 10; docs/security.md, docs/configuration.md), validated
 * once per call from `source` (default process.env). Read by the host at start and by lib/auth.
 *
 * - HOST: the single-process app's listen address; default 127.0.0.1 (local by default). Any
 *   non-loopback value ("exposed") makes every route but /api/health and the login page require
 *   a session or an API token.
 * - ADMIN_EMAIL + ADMIN_PASSWORD: create this admin account at start when no account exists
 *   (both or neither; password at least 12 characters).
 * - AUTH_SECRET: session-signing secret (at least 32 characters); generated and stored in the
 *   database (auth_settings) when unset.
 * - PUBLIC_URL: the app's URL as browsers see it (e.g. https://desk.example.com behind a TLS
 *   proxy); an https URL makes the session cookie `Secure`.
 *
 * @throws Error naming the variable: `Invalid configuration: ADMIN_PASSWORD must …`.
 */
import { z } from 'zod';

const authEnvSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(128).optional(),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    PUBLIC_URL: z.url().optional(),
  })
  .refine((env) => !!env.ADMIN_EMAIL === !!env.ADMIN_PASSWORD, {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  });

export type AuthEnv = z.infer<typeof authEnvSchema>;

export function authEnv(source: NodeJS.ProcessEnv = process.env): AuthEnv {
  const parsed = authEnvSchema.safeParse({
    HOST: source.HOST || undefined,
    ADMIN_EMAIL: source.ADMIN_EMAIL || undefined,
    ADMIN_PASSWORD: source.ADMIN_PASSWORD || undefined,
    AUTH_SECRET: source.AUTH_SECRET || undefined,
    PUBLIC_URL: source.PUBLIC_URL || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}
