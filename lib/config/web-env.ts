/**
 * Web app configuration, validated once. Nothing else in the web app reads process.env.
 *
 * - DATABASE_URL: TimescaleDB server; required by the web app alone (`npm run web`,
 *   lib/runtime/web-server.ts). Unused inside `npm start`, where the host shares its database
 *   (lib/runtime/registry.ts).
 * - WORKER_URL: the stand-alone worker's HTTP API (lib/gateway/http.ts) for `npm run web`
 *   (default http://localhost:3001).
 * - REALTIME_URL: the Socket.IO URL browsers should use. Default: the page's own origin in
 *   `npm start`, WORKER_URL with `npm run web`.
 * - PORT (default 3000), HOST (default 0.0.0.0): where `npm run web` listens.
 *
 * Parsed on each call (three variables, no cache): the entry validates it at start-up.
 */
import { z } from 'zod';

const webEnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  WORKER_URL: z.string().url().default('http://localhost:3001'),
  REALTIME_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

/** Parsed web environment (default source: process.env); throws an Error naming the bad variable. */
export function webEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  const parsed = webEnvSchema.safeParse({
    DATABASE_URL: source.DATABASE_URL || undefined,
    WORKER_URL: source.WORKER_URL || undefined,
    REALTIME_URL: source.REALTIME_URL || undefined,
    PORT: source.PORT || undefined,
    HOST: source.HOST || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
