/**
 * Webhook delivery of alert events: POST application/json with retries.
 *
 * Policy: up to `attempts` tries (default 4), each with a `timeoutMs` limit (default 5 s), waiting
 * `backoffMs` × 2^(try−1) between tries (default 1 s, 2 s, 4 s). Network errors, timeouts, 429
 * and 5xx are retried; other 4xx are final. Returns a status text for the alert history.
 */
export interface WebhookOptions {
  attempts?: number;
  timeoutMs?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function postWebhook(url: string, body: unknown, options: WebhookOptions = {}): Promise<{ ok: boolean; status: string; attempts: number }> {
  const attempts = options.attempts ?? 4;
  const backoff = options.backoffMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'marketdesk-alerts/1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, status: `delivered (HTTP ${response.status}, attempt ${attempt})`, attempts: attempt };
      last = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) {
        return { ok: false, status: `failed: ${last} (not retried)`, attempts: attempt };
      }
    } catch (error) {
      last = error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : error.message) : String(error);
    }
    if (attempt < attempts) await sleep(backoff * 2 ** (attempt - 1));
  }
  return { ok: false, status: `failed: ${last} after ${attempts} attempts`, attempts };
}
