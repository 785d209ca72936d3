/**
 * Option-chain configuration, validated once with zod (docs/configuration.md):
 * - OPTION_RISK_FREE_RATE: annualised, continuously compounded risk-free rate as a fraction
 *   (default 0.065 = 6.5%, about the 91-day T-bill yield of late 2025), 0 ≤ r ≤ 0.25. Used for
 *   IV and delta in GET /api/option-chain and by the simulator when it prices its options.
 */
import { z } from 'zod';

const optionsEnvSchema = z.object({
  OPTION_RISK_FREE_RATE: z.coerce
    .number({ error: 'must be a number (annualised fraction, e.g. 0.065)' })
    .min(0, 'must be at least 0')
    .max(0.25, 'must be at most 0.25 (a fraction: 0.065 = 6.5%)')
    .default(0.065),
});

export type OptionsEnv = z.infer<typeof optionsEnvSchema>;

export const DEFAULT_RISK_FREE_RATE = 0.065;

/**
 * Parse the option settings (default source: process.env; empty values count as unset).
 * @throws Error "Invalid configuration: OPTION_RISK_FREE_RATE <message>".
 */
export function parseOptionsEnv(source: Record<string, string | undefined> = process.env): OptionsEnv {
  const parsed = optionsEnvSchema.safeParse({ OPTION_RISK_FREE_RATE: source.OPTION_RISK_FREE_RATE || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}
