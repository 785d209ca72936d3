/**
 * Realtime fan-out configuration (docs/scaling.md), validated once with zod. Read by the
 * stand-alone worker (`npm run worker`) and by the realtime nodes (`npm run realtime`,
 * worker/realtime/node.ts); never by the single-process host (`npm start` keeps its in-process
 * Socket.IO server without an adapter).
 *
 * - REALTIME_ADAPTER: `none` (default; the worker serves every browser itself) or `postgres`
 *   (the worker and N realtime nodes form one Socket.IO cluster through
 *   @socket.io/postgres-adapter, LISTEN/NOTIFY on the TimescaleDB server). `npm run realtime`
 *   requires `postgres`.
 * - DATABASE_URL: the TimescaleDB server (required with `postgres`).
 * - REALTIME_CHANNEL: NOTIFY channel prefix (default `marketdesk`; letters, digits, `_.-`, at
 *   most 40), to keep two deployments on one database apart.
 * - REALTIME_PORT (default 3002), HOST (default 0.0.0.0): where a realtime node listens.
 * - REALTIME_GAP_MS (default 2000): how long a node waits for a frame missing from the worker's
 *   sequence before skipping it and asking for a full snapshot.
 * - LOG_LEVEL: pino level (default info).
 */
import { z } from 'zod';

const realtimeEnvSchema = z
  .object({
    REALTIME_ADAPTER: z.enum(['none', 'postgres']).default('none'),
    DATABASE_URL: z.string().url().optional(),
    REALTIME_CHANNEL: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1–40 letters, digits, "_", "." or "-"')
      .default('marketdesk'),
    REALTIME_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
    HOST: z.string().min(1).default('0.0.0.0'),
    REALTIME_GAP_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.REALTIME_ADAPTER === 'postgres' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when REALTIME_ADAPTER=postgres' });
    }
  });

export type RealtimeEnv = z.infer<typeof realtimeEnvSchema>;

/**
 * Parse the realtime environment (default source: process.env; empty values count as unset).
 * @throws Error "Invalid configuration: <VARIABLE> <message>".
 */
export function parseRealtimeEnv(source: NodeJS.ProcessEnv = process.env): RealtimeEnv {
  const keys = Object.keys(realtimeEnvSchema.shape);
  const input = Object.fromEntries(keys.map((key) => [key, source[key] || undefined]));
  const parsed = realtimeEnvSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}
