/**
 * Collectors configuration file (YAML, path in MARKETDESK_CONFIG; docs/brokers.md).
 *
 * ```yaml
 * collectors:
 *   - name: kite-main
 *     broker: kite                      # kite | fyers
 *     credentials:
 *       apiKey: ${KITE_API_KEY}
 *       accessToken: ${KITE_ACCESS_TOKEN}   # daily; edit the file or POST …/token to replace
 *     autoStart: true                   # default true
 *     endpoint: wss://ws.kite.trade/    # optional override (tests: a local server)
 *     reconnect: { maxRetries: 10, baseDelaySeconds: 1, maxDelaySeconds: 60 }
 *     watchdog: { silenceSeconds: 30, hours: market }   # market | always
 *     liveness: { neverTickedSeconds: 60 }
 *     rest: { syncInstruments: true }   # instruments master at start and 08:00 IST daily; endpoint override
 *     subscriptions:
 *       - { mode: full, symbols: [NSE:RELIANCE, NFO:NIFTY25DECFUT] }
 *       - { mode: ltp, watchlist: NIFTY50 }
 *       - { mode: quote, tokens: [256265] }
 * ```
 * `${VAR}` (or `${VAR:-default}`) in any string value is replaced by the environment variable;
 * an unset variable without default is an error naming it. Expansion happens after YAML
 * parsing, so a value cannot inject YAML structure. Errors name the file and the field path
 * (`collectors.0.subscriptions.1.mode: …`).
 *
 * The same entry schema validates POST /api/collectors bodies (`collectorEntrySchema`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const MODES = ['ltp', 'quote', 'full'] as const;

const subscriptionSchema = z
  .object({
    mode: z.enum(MODES).default('quote'),
    symbols: z.array(z.string().min(3).max(64)).max(9000).optional(),
    tokens: z.array(z.coerce.number().int().positive()).max(9000).optional(),
    watchlist: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((s) => Boolean(s.symbols?.length || s.tokens?.length || s.watchlist), {
    message: 'needs symbols, tokens or watchlist',
  });

const seconds = (def: number, min = 0) => z.coerce.number().min(min).max(86_400).default(def);

/** One collector entry (config file item or POST /api/collectors body). Durations in seconds. */
export const collectorEntrySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, '1-64 letters, digits, "-" or "_"'),
    broker: z.enum(['kite', 'fyers']),
    credentials: z.object({ apiKey: z.string().min(1), accessToken: z.string().min(1) }).strict(),
    autoStart: z.boolean().default(true),
    endpoint: z.string().regex(/^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL').optional(),
    reconnect: z
      .object({
        maxRetries: z.coerce.number().int().min(0).max(1000).default(10),
        baseDelaySeconds: seconds(1, 0.01),
        maxDelaySeconds: seconds(60, 0.01),
      })
      .strict()
      .default({ maxRetries: 10, baseDelaySeconds: 1, maxDelaySeconds: 60 }),
    watchdog: z
      .object({ silenceSeconds: seconds(30, 0.1), hours: z.enum(['market', 'always']).default('market') })
      .strict()
      .default({ silenceSeconds: 30, hours: 'market' }),
    liveness: z.object({ neverTickedSeconds: seconds(60, 0.1) }).strict().default({ neverTickedSeconds: 60 }),
    subscriptions: z.array(subscriptionSchema).default([]),
    rest: z
      .object({
        endpoint: z.string().regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL').optional(),
        syncInstruments: z.boolean().default(true),
      })
      .strict()
      .default({ syncInstruments: true }),
  })
  .strict();

export type CollectorEntry = z.output<typeof collectorEntrySchema>;

const fileSchema = z
  .object({ collectors: z.array(collectorEntrySchema).default([]) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.collectors.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['collectors', i, 'name'], message: `duplicate name ${c.name}` });
      seen.add(c.name);
    });
  });

/** A collector definition in the worker's units (ms); structurally worker/collectors/types.ts CollectorDefinition. */
export interface CollectorConfig {
  name: string;
  broker: 'kite' | 'fyers';
  credentials: { apiKey: string; accessToken: string };
  endpoint?: string;
  autoStart: boolean;
  reconnect: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  watchdog: { silenceMs: number; hours: 'market' | 'always' };
  liveness: { neverTickedMs: number };
  subscriptions: { mode: (typeof MODES)[number]; symbols?: string[]; tokens?: number[]; watchlist?: string }[];
  /** Broker REST: endpoint override and whether the worker syncs the instruments master (Kite: at start and daily 08:00 IST). */
  rest: { endpoint?: string; syncInstruments: boolean };
}

/** Seconds → ms and shape of the worker's definition. */
export function toCollectorConfig(entry: CollectorEntry): CollectorConfig {
  const ms = (s: number) => Math.round(s * 1000);
  return {
    name: entry.name,
    broker: entry.broker,
    credentials: entry.credentials,
    ...(entry.endpoint ? { endpoint: entry.endpoint } : {}),
    autoStart: entry.autoStart,
    reconnect: {
      maxRetries: entry.reconnect.maxRetries,
      baseDelayMs: ms(entry.reconnect.baseDelaySeconds),
      maxDelayMs: ms(entry.reconnect.maxDelaySeconds),
    },
    watchdog: { silenceMs: ms(entry.watchdog.silenceSeconds), hours: entry.watchdog.hours },
    liveness: { neverTickedMs: ms(entry.liveness.neverTickedSeconds) },
    subscriptions: entry.subscriptions,
    rest: entry.rest,
  };
}

/** The inverse of toCollectorConfig (ms → seconds): a definition as a config entry / POST body. */
export function toCollectorEntry(config: CollectorConfig): z.input<typeof collectorEntrySchema> {
  const s = (ms: number) => ms / 1000;
  return {
    name: config.name,
    broker: config.broker,
    credentials: config.credentials,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    autoStart: config.autoStart,
    reconnect: {
      maxRetries: config.reconnect.maxRetries,
      baseDelaySeconds: s(config.reconnect.baseDelayMs),
      maxDelaySeconds: s(config.reconnect.maxDelayMs),
    },
    watchdog: { silenceSeconds: s(config.watchdog.silenceMs), hours: config.watchdog.hours },
    liveness: { neverTickedSeconds: s(config.liveness.neverTickedMs) },
    subscriptions: config.subscriptions,
    rest: config.rest,
  };
}

/** Replace `${VAR}` / `${VAR:-default}` in every string of a parsed YAML tree. */
function expand(value: unknown, env: Readonly<Record<string, string | undefined>>, path: (string | number)[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new Error(`${path.join('.') || '(root)'}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => expand(item, env, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, env, [...path, k])]));
  }
  return value;
}

/**
 * Parse and validate a collectors config text. `source` names the file in errors.
 * Throws Error("Invalid collectors config <source>: <field path>: <problem>").
 */
export function parseCollectorsConfig(text: string, source = 'config', env: Readonly<Record<string, string | undefined>> = process.env): CollectorConfig[] {
  const fail = (message: string): never => {
    throw new Error(`Invalid collectors config ${source}: ${message}`);
  };
  let tree: unknown;
  try {
    tree = parseYaml(text) ?? {};
  } catch (error) {
    return fail(`not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  let expanded: unknown;
  try {
    expanded = expand(tree, env, []);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const parsed = fileSchema.safeParse(expanded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data.collectors.map(toCollectorConfig);
}

/** Read and validate the config file at `file` (see parseCollectorsConfig). */
export function loadCollectorsConfig(file: string, env: Readonly<Record<string, string | undefined>> = process.env): CollectorConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Invalid collectors config ${file}: cannot read it (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseCollectorsConfig(text, file, env);
}
