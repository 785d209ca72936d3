/**
 * Feed selection from configuration (FEED=simulator | replay; see lib/config/worker-env.ts).
 */
import type { Logger } from 'pino';
import type { WorkerEnv } from '@/lib/config/worker-env';
import type { FormatId } from './formats';
import type { TickFeed } from './feed';
import { createReplayFeed } from './replay/replay';
import { createSimulatorFeed } from './simulator/simulator';

/** Build the configured feed. Throws an Error naming the file or format when a replay cannot start. */
export async function createFeed(env: WorkerEnv, logger: Logger): Promise<TickFeed> {
  if (env.FEED === 'replay') {
    return createReplayFeed({
      file: env.REPLAY_FILE!,
      format: env.REPLAY_FORMAT as 'auto' | FormatId,
      speed: env.REPLAY_SPEED,
      logger,
    });
  }
  return createSimulatorFeed({ seed: env.SIM_SEED, batchWindowMs: env.SIM_BATCH_MS });
}
