/**
 * A CollectorControl that forwards to the worker's manager once it exists: the host registers
 * its runtime (lib/runtime/host.ts) before the worker has started, and /api/collectors calls
 * made in between get 503 `unavailable`.
 */
import { CollectorError } from './errors';
import type { CollectorControl } from './types';

/** Forward every call to `get()`; throws CollectorError('unavailable') while it returns undefined. */
export function deferredControl(get: () => CollectorControl | undefined): CollectorControl {
  const target = (): CollectorControl => {
    const control = get();
    if (!control) throw new CollectorError('unavailable', 'the worker is still starting');
    return control;
  };
  return {
    list: () => target().list(),
    get: (name) => target().get(name),
    create: (definition) => target().create(definition),
    start: (name) => target().start(name),
    stop: (name) => target().stop(name),
    subscribe: (name, spec) => target().subscribe(name, spec),
    unsubscribe: (name, spec) => target().unsubscribe(name, spec),
    setAccessToken: (name, token) => target().setAccessToken(name, token),
  };
}
