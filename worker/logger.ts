/** pino logger for the worker, host and CLIs (JSON lines; pipe through `pino-pretty` to read). */
import pino, { type Logger } from 'pino';

export function createLogger(level: string, name = 'marketdesk'): Logger {
  return pino({ name, level });
}
