/**
 * Browser calls to /api/collectors (docs/api.md). Errors surface the API's `{error:{message}}`.
 */
import type { SubscribeChainResponse } from '@/lib/contracts/chain-subscription';
import type { CollectorDetail, CollectorSnapshot } from '@/lib/contracts/collector';

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { cache: 'no-store', ...init });
  const json = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) throw new Error(json?.error?.message ?? `HTTP ${response.status}`);
  return json as T;
}

const post = (body: unknown = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const at = (name: string, action = '') => `/api/collectors/${encodeURIComponent(name)}${action ? `/${action}` : ''}`;

export const collectorsApi = {
  list: () => call<{ collectors: CollectorSnapshot[] }>('/api/collectors').then((r) => r.collectors),
  detail: (name: string) => call<{ collector: CollectorDetail }>(at(name)).then((r) => r.collector),
  start: (name: string) => call<{ collector: CollectorSnapshot }>(at(name, 'start'), post()),
  stop: (name: string) => call<{ collector: CollectorSnapshot }>(at(name, 'stop'), post()),
  setToken: (name: string, accessToken: string) => call<{ collector: CollectorSnapshot }>(at(name, 'token'), post({ accessToken })),
  /** One-step option chain subscription (POST …/subscribe-chain). */
  subscribeChain: (name: string, body: { underlying: string; expiry?: string; strikes?: number; around?: number }) =>
    call<SubscribeChainResponse>(at(name, 'subscribe-chain'), post(body)),
};
