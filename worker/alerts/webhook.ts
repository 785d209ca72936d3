/**
 * Webhook delivery of alert events: POST application/json with retries, to public addresses only.
 *
 * Policy (docs/desk.md, docs/security.md "SSRF policy"):
 * - The URL must pass lib/security/destination.ts: http(s), no credentials, no internal literal or
 *   local name; every address the host resolves to must be public unicast, checked at connect
 *   time (safeLookup: the socket goes to the address checked). WEBHOOK_ALLOW hosts may be private.
 *   A refused destination is final (`refused: …`), never retried and never contacted.
 * - Redirects are not followed: a 3xx is a final failure.
 * - Up to `attempts` tries (default 4), each within `timeoutMs` (default 5 s), waiting
 *   `backoffMs` × 2^(try−1) between them (1 s, 2 s, 4 s). Network errors, timeouts, 429 and 5xx
 *   are retried; other statuses are final. The response body is discarded (at most 64 KB read).
 *
 * The returned `status` is the detailed outcome stored in alert_events.webhook_status (admins see
 * it); others see only `delivered` / `failed` (lib/security/webhook-status.ts).
 */
import http from 'node:http';
import https from 'node:https';
import { assertConnectable, checkDestinationUrl, defaultDestinationPolicy, DestinationError, lookupFor, type DestinationPolicy } from '@/lib/security/destination';

export interface WebhookOptions {
  attempts?: number;
  timeoutMs?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Which addresses may be contacted (default: public unicast + WEBHOOK_ALLOW). Tests inject a looser one. */
  destinations?: DestinationPolicy;
}

export interface WebhookResult {
  ok: boolean;
  /** Detailed outcome (admin-only when shown): `delivered (HTTP 200, attempt 1)`, `failed: …`, `refused: …`. */
  status: string;
  attempts: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** One POST; resolves the HTTP status, rejects on network errors, timeouts and refused destinations. */
function postOnce(url: URL, payload: string, timeoutMs: number, policy: DestinationPolicy): Promise<number> {
  assertConnectable(url, policy);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: lookupFor(policy),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'user-agent': 'marketdesk-alerts/1' },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('close', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function describeError(error: unknown): { text: string; final: boolean } {
  if (error instanceof DestinationError || (error as { code?: unknown })?.code === 'EDESTINATION') {
    return { text: `refused: ${(error as Error).message}`, final: true };
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { text: 'timed out', final: false };
  return { text: error instanceof Error ? error.message : String(error), final: false };
}

/** POST `body` as JSON to `url` under the policy above. Never throws. */
export async function postWebhook(url: string, body: unknown, options: WebhookOptions = {}): Promise<WebhookResult> {
  const policy = options.destinations ?? defaultDestinationPolicy;
  const invalid = checkDestinationUrl(url, ['http:', 'https:'], policy);
  if (invalid) return { ok: false, status: `refused: ${invalid}`, attempts: 0 };
  const target = new URL(url);
  const attempts = options.attempts ?? 4;
  const backoff = options.backoffMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const payload = JSON.stringify(body);
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const status = await postOnce(target, payload, options.timeoutMs ?? 5000, policy);
      if (status >= 200 && status < 300) return { ok: true, status: `delivered (HTTP ${status}, attempt ${attempt})`, attempts: attempt };
      last = `HTTP ${status}`;
      if (status >= 300 && status < 400) return { ok: false, status: `failed: ${last} (redirects are not followed)`, attempts: attempt };
      if (status < 500 && status !== 429) return { ok: false, status: `failed: ${last} (not retried)`, attempts: attempt };
    } catch (error) {
      const described = describeError(error);
      if (described.final) return { ok: false, status: described.text, attempts: attempt };
      last = described.text;
    }
    if (attempt < attempts) await sleep(backoff * 2 ** (attempt - 1));
  }
  return { ok: false, status: `failed: ${last} after ${attempts} attempts`, attempts };
}
