'use client';

import { useCallback, useEffect, useState } from 'react';
import { sendJson } from '@/components/watchlists/types';
import { describeCondition, type AlertEvent } from '@/lib/market/alerts';
import { onRealtimeAlert } from '@/lib/realtime/client';
import { formatIst } from '@/lib/market/session';
import { AlertForm } from './AlertForm';
import type { Alert } from '@/lib/contracts/alert';

const HISTORY_POLL_MS = 5000;

/** The alerts page: create, list (enable/disable, delete) and the firing history (live). */
export function AlertsManager() {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [events, setEvents] = useState<AlertEvent[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [a, e] = await Promise.all([
        fetch('/api/alerts', { cache: 'no-store' }).then((r) => r.json() as Promise<{ alerts: Alert[] }>),
        fetch('/api/alerts/events?limit=100', { cache: 'no-store' }).then((r) => r.json() as Promise<{ events: AlertEvent[] }>),
      ]);
      setAlerts(a.alerts ?? []);
      setEvents(e.events ?? []);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(load, HISTORY_POLL_MS);
    const off = onRealtimeAlert((event) => {
      setEvents((current) => [event, ...current.filter((e) => e.id !== event.id)]);
      void load();
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, [load]);

  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      await load();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold tracking-tight">Alerts</h1>
        <p className="text-xs text-desk-muted">Evaluated in the worker every second, with no browser open · fired alerts show as a toast in every tab</p>
      </div>
      <AlertForm onCreated={() => void load()} />
      {error && <div role="alert" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{error}</div>}

      <section className="overflow-x-auto rounded-lg border border-desk-line bg-desk-panel">
        <h2 className="border-b border-desk-line px-3 py-2 text-[11px] font-semibold uppercase tracking-widest text-desk-faint">Alerts ({alerts.length})</h2>
        <table className="w-full text-[13px]" data-testid="alerts-table">
          <tbody>
            {alerts.length === 0 && <tr><td className="px-3 py-6 text-center text-desk-muted">No alerts yet.</td></tr>}
            {alerts.map((alert) => (
              <tr key={alert.id} data-testid="alert-row" data-alert={alert.name} className="border-t border-desk-line/60">
                <td className="px-3 py-1.5 font-medium">{alert.name}</td>
                <td className="px-3 py-1.5 text-desk-muted">{alert.target.kind === 'watchlist' ? `list ${alert.target.value}` : alert.target.value}</td>
                <td className="px-3 py-1.5 text-desk-muted">{describeCondition(alert.condition)}</td>
                <td className="px-3 py-1.5 text-desk-muted">{alert.repeat ? `repeats (${alert.cooldown_sec}s)` : 'one-shot'}{alert.webhook_url ? ' · webhook' : ''}</td>
                <td className="px-3 py-1.5 text-xs text-desk-faint">{alert.last_fired_at ? `fired ${formatIst(Date.parse(alert.last_fired_at))}` : 'not fired'}</td>
                <td className="px-3 py-1.5 text-right">
                  <button type="button" onClick={() => void act(() => sendJson('PATCH', `/api/alerts/${alert.id}`, { enabled: !alert.enabled }))} className={`mr-2 rounded px-2 py-0.5 text-xs ${alert.enabled ? 'bg-up/15 text-up' : 'bg-desk-raised text-desk-muted'}`}>
                    {alert.enabled ? 'on' : 'off'}
                  </button>
                  <button type="button" aria-label={`Delete ${alert.name}`} onClick={() => void act(() => sendJson('DELETE', `/api/alerts/${alert.id}`))} className="text-desk-muted hover:text-down">×</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="overflow-x-auto rounded-lg border border-desk-line bg-desk-panel">
        <h2 className="border-b border-desk-line px-3 py-2 text-[11px] font-semibold uppercase tracking-widest text-desk-faint">History</h2>
        <table className="w-full text-[13px]" data-testid="alert-history">
          <tbody>
            {events.length === 0 && <tr><td className="px-3 py-6 text-center text-desk-muted">Nothing fired yet.</td></tr>}
            {events.map((event) => (
              <tr key={event.id} data-testid="alert-event" className="border-t border-desk-line/60">
                <td className="px-3 py-1.5 font-mono text-xs text-desk-faint">{formatIst(Date.parse(event.firedAt))}</td>
                <td className="px-3 py-1.5 font-medium">{event.alertName}</td>
                <td className="px-3 py-1.5">{event.message}</td>
                <td className="px-3 py-1.5 text-xs text-desk-faint">{event.webhookStatus ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
