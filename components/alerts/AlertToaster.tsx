'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { AlertEvent } from '@/lib/market/alerts';
import { onRealtimeAlert } from '@/lib/realtime/client';
import { formatIst } from '@/lib/market/session';

const TOAST_MS = 10_000;
const MAX_TOASTS = 5;

/** Toasts for fired user alerts (Socket.IO `alert`), in every open tab; mounted once in the layout. */
export function AlertToaster() {
  const [toasts, setToasts] = useState<AlertEvent[]>([]);

  useEffect(
    () =>
      onRealtimeAlert((event) => {
        setToasts((current) => [event, ...current.filter((t) => t.id !== event.id)].slice(0, MAX_TOASTS));
        setTimeout(() => setToasts((current) => current.filter((t) => t.id !== event.id)), TOAST_MS);
      }),
    [],
  );

  if (toasts.length === 0) return null;
  return (
    <div className="fixed bottom-4 right-4 z-50 flex w-96 flex-col gap-2" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} role="status" data-testid="alert-toast" data-alert={toast.alertName} data-symbol={toast.symbol} className="rounded-lg border border-accent/50 bg-desk-raised px-4 py-3 shadow-2xl shadow-black/60">
          <div className="flex items-start justify-between gap-3">
            <div className="min-w-0">
              <div className="text-[11px] font-semibold uppercase tracking-wide text-accent">Alert · {toast.alertName}</div>
              <Link href={`/chart/${encodeURIComponent(toast.symbol)}`} className="mt-0.5 block text-[13px] text-desk-text hover:text-accent">{toast.message}</Link>
              <div className="mt-0.5 text-[11px] text-desk-faint">{formatIst(Date.parse(toast.tickTime))} IST</div>
            </div>
            <button type="button" aria-label="Dismiss" onClick={() => setToasts((current) => current.filter((t) => t.id !== toast.id))} className="text-desk-muted hover:text-desk-text">×</button>
          </div>
        </div>
      ))}
    </div>
  );
}
