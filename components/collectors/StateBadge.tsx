import type { CollectorState } from '@/lib/contracts/collector';

const TONE: Record<string, string> = {
  live: 'bg-up/15 text-up',
  connecting: 'bg-accent/15 text-accent',
  reconnecting: 'bg-accent/15 text-accent',
  token_expired: 'bg-down/15 text-down',
  failed: 'bg-down/15 text-down',
  stopped: 'bg-desk-raised text-desk-muted',
  idle: 'bg-desk-raised text-desk-muted',
};

/** A collector's or connection's state as a coloured pill (token_expired reads "token expired"). */
export function StateBadge({ state }: { state: CollectorState | string }) {
  return (
    <span
      data-testid="collector-state"
      className={`inline-flex rounded px-2 py-0.5 text-[11px] font-semibold uppercase tracking-wide ${TONE[state] ?? TONE.stopped}`}
    >
      {state.replace('_', ' ')}
    </span>
  );
}
