'use client';

import { useEffect, useState } from 'react';
import { onConnectionStatus, type ConnectionStatus } from '@/lib/realtime/client';

const LABEL: Record<ConnectionStatus, string> = {
  connecting: 'Connecting',
  live: 'Live',
  offline: 'Offline',
};

const DOT: Record<ConnectionStatus, string> = {
  connecting: 'bg-accent animate-pulse',
  live: 'bg-up live-pulse',
  offline: 'bg-down',
};

/** Small pill showing the state of the shared Socket.IO connection. */
export function ConnectionIndicator() {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  useEffect(() => onConnectionStatus(setStatus), []);
  return (
    <div
      data-testid="connection-status"
      data-status={status}
      role="status"
      title={status === 'offline' ? 'Realtime connection lost, reconnecting…' : `Realtime: ${LABEL[status]}`}
      className="flex items-center gap-2 rounded-full border border-desk-line bg-desk-raised px-2.5 py-1 text-xs text-desk-muted"
    >
      <span className={`h-2 w-2 rounded-full ${DOT[status]}`} aria-hidden="true" />
      <span className={status === 'live' ? 'text-desk-text' : undefined}>{LABEL[status]}</span>
    </div>
  );
}
