/**
 * Web app configuration, validated once. Nothing else in the web app reads process.env.
 *
 * - DATABASE_URL: TimescaleDB server (separate web and worker processes). Unset in embedded mode,
 *   where the host process shares its database (lib/runtime/host.ts).
 * - WORKER_URL: where the web app asks the worker for its health in separate mode
 *   (default http://localhost:3001).
 * - REALTIME_URL: the Socket.IO URL browsers should use. Default: the page's own origin in
 *   embedded mode, WORKER_URL in separate mode.
 */
import { z } from 'zod';

const webEnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  WORKER_URL: z.string().url().default('http://localhost:3001'),
  REALTIME_URL: z.string().url().optional(),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

let cached: WebEnv | undefined;

/** Parsed web environment; throws an Error naming the bad variable. */
export function webEnv(): WebEnv {
  if (cached) return cached;
  const parsed = webEnvSchema.safeParse({
    DATABASE_URL: process.env.DATABASE_URL || undefined,
    WORKER_URL: process.env.WORKER_URL || undefined,
    REALTIME_URL: process.env.REALTIME_URL || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  cached = parsed.data;
  return cached;
}
