/**
 * Signal handling: the first SIGINT/SIGTERM runs `shutdown` (bounded by `timeoutMs`, then the
 * process exits anyway); a second signal exits at once. Uncaught errors are logged and the
 * process exits after a best-effort shutdown rather than carrying on in an unknown state.
 */
import type { Logger } from 'pino';

export function installShutdown(logger: Logger, shutdown: () => Promise<void>, timeoutMs = 15_000): void {
  let stopping = false;
  const stop = (reason: string, code: number) => {
    if (stopping) {
      logger.warn({ reason }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ reason }, 'shutting down (send the signal again to force)');
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    shutdown()
      .then(() => process.exit(code))
      .catch((error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    stop('uncaughtException', 1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection');
    stop('unhandledRejection', 1);
  });
}
