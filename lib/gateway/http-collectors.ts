/**
 * Collector control over the stand-alone worker's /collectors endpoints
 * (worker/collectors/http-api.ts): same shapes and error codes as in-process, the worker's
 * `{ error: { code, message } }` answers become the same AppError (lib/http/errors.ts); 503 `unavailable` when
 * the worker cannot be reached (10 s timeout).
 */
import { workerApiHeaders } from '@/lib/auth/worker-api-key';
import { AppError, appErrorFromAnswer } from '@/lib/http/errors';
import { toCollectorEntry } from '@/lib/config/collectors-config';
import type { CollectorControl } from '@/lib/contracts/collector';

const TIMEOUT_MS = 10_000;

/** CollectorControl whose calls go to `${workerUrl}/collectors…`, authenticated with `apiKey` (lib/auth/worker-api-key.ts). */
export function httpCollectorControl(workerUrl: string, apiKey?: string): CollectorControl {
  const call = async <T>(method: 'GET' | 'POST', path: string, key: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, workerUrl), {
        method,
        headers: body === undefined ? workerApiHeaders(apiKey) : { ...workerApiHeaders(apiKey), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        cache: 'no-store',
      });
    } catch (error) {
      throw new AppError('unavailable', `worker unreachable at ${workerUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok) throw appErrorFromAnswer(response.status, json);
    if (!json || !(key in json)) throw new AppError('bad_gateway', 'unexpected answer from the worker');
    return json[key] as T;
  };
  const at = (name: string, action = '') => `/collectors/${encodeURIComponent(name)}${action ? `/${action}` : ''}`;
  return {
    list: () => call('GET', '/collectors', 'collectors'),
    get: (name) => call('GET', at(name), 'collector'),
    // The worker validates the config-entry shape (durations in seconds), so convert back.
    create: (definition) => call('POST', '/collectors', 'collector', toCollectorEntry({ ...definition, rest: definition.rest ?? { syncInstruments: false } })),
    start: (name) => call('POST', at(name, 'start'), 'collector', {}),
    stop: (name) => call('POST', at(name, 'stop'), 'collector', {}),
    subscribe: (name, spec) => call('POST', at(name, 'subscribe'), 'change', spec),
    unsubscribe: (name, spec) => call('POST', at(name, 'unsubscribe'), 'change', spec),
    setAccessToken: (name, accessToken) => call('POST', at(name, 'token'), 'collector', { accessToken }),
  };
}
