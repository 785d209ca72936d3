/**
 * Alerts and routes under the issue 10 rules, through the real route handlers:
 * - cross-site: a cross-origin POST is 403, a text/plain or form POST 415, a rebinding Host 403,
 *   a body over 1 MB 413 — and nothing is created;
 * - SSRF at creation: webhook URLs with credentials or internal destinations are a 400 naming
 *   `body.webhook_url`; GET /api/alerts never shows `user:pass`; delivery details are hidden from
 *   non-admins; POST /api/collectors refuses broker endpoints;
 * - bounds: a repeating alert needs cooldown ≥ 60 s and at most 20 may be enabled; a repeating
 *   alert (even an older row with cooldown 0) cannot flood: firings are spaced by the minimum
 *   cooldown and deliveries go through a bounded queue (4 at once, 100 waiting, the rest dropped
 *   and recorded as failed).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DELETE as deleteAlertRoute } from '@/app/api/alerts/[id]/route';
import { GET as listEventsRoute } from '@/app/api/alerts/events/route';
import { GET as listAlertsRoute, POST as createAlertRoute } from '@/app/api/alerts/route';
import { POST as createCollectorRoute } from '@/app/api/collectors/route';
import type { Database } from '@/lib/db/client';
import { createAlert, listAlertEvents, listAlerts, recordAlertFiring, setAlertEventWebhookStatus } from '@/lib/db/queries/alerts';
import { upsertInstruments } from '@/lib/db/queries/instruments';
import type { WorkerPorts } from '@/lib/gateway/types';
import { ALERT_LIMITS } from '@/lib/market/alerts';
import type { ScannerRow } from '@/lib/market/scanner';
import { registerWebRuntime } from '@/lib/runtime/registry';
import { webhookStatusFor } from '@/lib/security/alert-rules';
import { AlertEngine } from '@/worker/alerts/engine';
import { DeliveryQueue } from '@/worker/alerts/delivery-queue';
import { describeEachBackend, useTestDatabase } from '../support/test-database';

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

const JSON_TYPE = { 'content-type': 'application/json' };
const validAlert = { name: 'INFY 1650', condition: { type: 'price_cross', level: 1650 }, target: { kind: 'symbol', value: 'NSE:INFY' } };

async function call(handler: Handler, init: { method?: string; body?: unknown; headers?: Record<string, string>; params?: Record<string, string>; url?: string } = {}) {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const request = new Request(init.url ?? 'http://localhost:3000/api/alerts', { method: init.method ?? 'GET', headers: init.headers ?? (body ? JSON_TYPE : {}), body });
  const response = await handler(request, { params: Promise.resolve(init.params ?? {}) });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const stubPorts = { scan: () => ({ rows: [] }), reloadAlerts: () => undefined, collectors: {}, health: () => ({}), metrics: async () => ({ contentType: 'text/plain', body: '' }) } as unknown as WorkerPorts;

describeEachBackend('alert and route security', (backend) => {
  const database = useTestDatabase(backend);
  let db: Database;

  beforeAll(async () => {
    db = database.db;
    registerWebRuntime({ db, worker: { kind: 'in-process', ports: stubPorts }, realtime: 'same-origin' });
    await upsertInstruments(db, [{ instrumentToken: 408065, exchangeToken: 1594, exchange: 'NSE', tradingsymbol: 'INFY', name: 'INFOSYS', segment: 'NSE', instrumentType: 'EQ', tickSize: 0.05, lotSize: 1, expiry: null, strike: null }] as never);
  });

  it('refuses cross-origin, non-JSON, rebinding and oversized requests, creating nothing', async () => {
    const post = (headers: Record<string, string>, body: unknown = validAlert) => call(createAlertRoute, { method: 'POST', headers, body });
    expect((await post({ ...JSON_TYPE, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ ...JSON_TYPE, origin: 'null' })).status).toBe(403);
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'name=x')).status).toBe(415);
    expect((await post({})).status).toBe(415);
    expect((await post({ ...JSON_TYPE, host: 'evil.example:3000' })).status).toBe(403);
    expect((await call(listAlertsRoute, { headers: { host: 'rebind.evil.example:3000' } })).status).toBe(403);
    const huge = await post({ ...JSON_TYPE }, JSON.stringify({ ...validAlert, pad: 'x'.repeat(1_100_000) }));
    expect(huge).toMatchObject({ status: 413, json: { error: { code: 'payload_too_large' } } });
    expect(await listAlerts(db)).toEqual([]);
    // The same request from the app's own origin works.
    const own = await post({ ...JSON_TYPE, origin: 'http://localhost:3000', host: 'localhost:3000' });
    expect(own.status).toBe(201);
    expect((await call(deleteAlertRoute, { method: 'DELETE', headers: JSON_TYPE, params: { id: String(own.json.alert.id) } })).status).toBe(200);
  });

  it('refuses internal and credentialed webhook URLs at creation, naming body.webhook_url', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:3000/api/collectors', 'http://2130706433/', 'http://[::1]:8080/', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/', 'https://user:pass@hooks.example.com/x']) {
      const answer = await call(createAlertRoute, { method: 'POST', body: { ...validAlert, webhook_url: url } });
      expect(answer.status, url).toBe(400);
      expect(answer.json.error.message, url).toMatch(/^body\.webhook_url: /);
    }
    expect(await listAlerts(db)).toEqual([]);
  });

  it('never shows URL credentials and shows delivery details to admins only', async () => {
    const stored = await createAlert(db, { name: 'old row', condition: { type: 'price_cross', level: 1, direction: 'either' }, target: { kind: 'symbol', value: 'NSE:INFY' }, repeat: false, cooldownSec: 300, webhookUrl: 'https://user:secret@hooks.example.com/x', enabled: false });
    const listed = await call(listAlertsRoute);
    expect(JSON.stringify(listed.json)).not.toContain('secret');
    expect(listed.json.alerts[0].webhook_url).toBe('https://hooks.example.com/x');
    const event = await recordAlertFiring(db, { alertId: stored.id, alertName: 'old row', symbol: 'NSE:INFY', instrumentToken: 408065, tickTime: new Date(), message: 'm', value: 1, firedAt: new Date(), disable: false });
    await setAlertEventWebhookStatus(db, event.id, 'failed: connect ECONNREFUSED 10.0.0.5:8080 after 4 attempts');
    const events = await call(listEventsRoute, { url: 'http://localhost:3000/api/alerts/events' });
    expect(events.json.events[0].webhookStatus).toBe('failed');
    expect(webhookStatusFor('failed: connect ECONNREFUSED 10.0.0.5:8080', { kind: 'session', role: 'admin', userId: 'u', name: 'a' })).toMatch(/ECONNREFUSED/);
    expect(webhookStatusFor('delivered (HTTP 200, attempt 2)', undefined)).toBe('delivered');
    expect((await call(deleteAlertRoute, { method: 'DELETE', headers: JSON_TYPE, params: { id: String(stored.id) } })).status).toBe(200);
  });

  it('refuses broker endpoints through POST /api/collectors', async () => {
    const entry = { name: 'probe', broker: 'kite', credentials: { apiKey: 'k', accessToken: 't' }, autoStart: false };
    const ws = await call(createCollectorRoute as Handler, { method: 'POST', url: 'http://localhost:3000/api/collectors', body: { ...entry, endpoint: 'ws://127.0.0.1:9/' } });
    expect(ws.status).toBe(400);
    expect(ws.json.error.message).toMatch(/endpoint: broker endpoints can be set only in the config file/);
    const rest = await call(createCollectorRoute as Handler, { method: 'POST', url: 'http://localhost:3000/api/collectors', body: { ...entry, rest: { endpoint: 'http://169.254.169.254/' } } });
    expect(rest.status).toBe(400);
    expect(rest.json.error.message).toMatch(/rest\.endpoint: broker endpoints can be set only in the config file/);
  });

  it('bounds repeating alerts: minimum cooldown and a cap', async () => {
    const zero = await call(createAlertRoute, { method: 'POST', body: { ...validAlert, repeat: true, cooldown_sec: 0 } });
    expect(zero.status).toBe(400);
    expect(zero.json.error.message).toBe(`body.cooldown_sec: at least ${ALERT_LIMITS.minRepeatCooldownSec} s for a repeating alert`);
    const ids: number[] = [];
    for (let i = 0; i < ALERT_LIMITS.maxRepeatingAlerts; i += 1) {
      const created = await call(createAlertRoute, { method: 'POST', body: { ...validAlert, name: `r${i}`, repeat: true, cooldown_sec: 60 } });
      expect(created.status).toBe(201);
      ids.push(created.json.alert.id);
    }
    const over = await call(createAlertRoute, { method: 'POST', body: { ...validAlert, name: 'one too many', repeat: true, cooldown_sec: 60 } });
    expect(over.status).toBe(409);
    expect(over.json.error.message).toMatch(/^body\.repeat: at most 20 enabled repeating alerts/);
    for (const id of ids) await call(deleteAlertRoute, { method: 'DELETE', headers: JSON_TYPE, params: { id: String(id) } });
  });

  it('a repeating alert cannot flood: firings spaced by the minimum cooldown, deliveries bounded', async () => {
    // An older row with cooldown 0 on a level condition that always holds.
    await createAlert(db, { name: 'flood', condition: { type: 'change_pct', op: 'above', value: 1 }, target: { kind: 'symbol', value: 'NSE:INFY' }, repeat: true, cooldownSec: 0, webhookUrl: 'https://hooks.example.com/flood', enabled: true });
    const row = { symbol: 'NSE:INFY', instrumentToken: 408065, tradingsymbol: 'INFY', ltp: 1100, dayChangePct: 10, time: Date.now() } as unknown as ScannerRow;
    let now = Date.parse('2026-03-10T04:00:00Z');
    const posted: string[] = [];
    const engine = new AlertEngine({ db, scanner: { rows: () => [row] }, emit: () => undefined, now: () => now, post: async (url) => (posted.push(url), { ok: true, status: 'delivered (HTTP 200, attempt 1)', attempts: 1 }) });
    let fired = 0;
    for (let second = 0; second < 300; second += 1) {
      fired += (await engine.evaluate()).length;
      now += 1000;
    }
    await engine.stop();
    expect(fired).toBe(Math.ceil(300 / ALERT_LIMITS.minRepeatCooldownSec)); // 5 in 5 minutes, not 300
    expect(posted).toHaveLength(fired);
    expect((await listAlertEvents(db, { limit: 500 })).filter((e) => e.alertName === 'flood').every((e) => e.webhookStatus === 'delivered (HTTP 200, attempt 1)')).toBe(true);
  });

  it('webhook deliveries run at most 4 at once with at most 100 waiting; the rest are dropped', async () => {
    const queue = new DeliveryQueue();
    let running = 0;
    let peak = 0;
    let release!: () => void;
    const opened = new Promise<void>((resolve) => (release = resolve));
    let dropped = 0;
    for (let i = 0; i < 150; i += 1) {
      queue.push(
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await opened;
          running -= 1;
        },
        () => void (dropped += 1),
      );
    }
    expect([queue.active, queue.queued]).toEqual([ALERT_LIMITS.webhookConcurrency, ALERT_LIMITS.webhookQueue]);
    release();
    await queue.drain();
    expect(peak).toBe(ALERT_LIMITS.webhookConcurrency);
    expect(dropped).toBe(150 - ALERT_LIMITS.webhookConcurrency - ALERT_LIMITS.webhookQueue);
    expect(queue.dropped).toBe(dropped);
  });
});
