'use client';

import { useState } from 'react';
import { formatTickTime, plural } from '@/components/format';
import type { CollectorSnapshot } from '@/lib/contracts/collector';
import { ChainSubscribeForm } from './ChainSubscribeForm';
import { InstrumentLiveness } from './InstrumentLiveness';
import { StateBadge } from './StateBadge';

const integer = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const ago = (iso: string | null, now: number) => (iso ? `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))} s ago` : '—');

export interface CardActions {
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  setToken(name: string, token: string): Promise<void>;
}

/** One collector: state, metrics, budget and connections, start/stop, access token, liveness. */
export function CollectorCard({ collector: c, actions, now }: { collector: CollectorSnapshot; actions: CardActions; now: number }) {
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState('');
  const [open, setOpen] = useState(false);
  const running = c.state !== 'stopped';
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };
  const stat = (label: string, value: string, testId?: string) => (
    <div>
      <dt className="text-[11px] uppercase tracking-wide text-desk-muted">{label}</dt>
      <dd className="font-mono text-[13px]" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
  return (
    <section className="rounded-lg border border-desk-line bg-desk-panel" data-testid={`collector-${c.name}`}>
      <header className="flex flex-wrap items-center gap-3 border-b border-desk-line px-3 py-2">
        <h2 className="text-[15px] font-semibold">{c.name}</h2>
        <span className="text-[12px] uppercase text-desk-muted">{c.broker}</span>
        <StateBadge state={c.state} />
        <span className="text-[12px] text-desk-muted">key {c.apiKey}</span>
        <div className="ml-auto flex gap-2">
          <button
            type="button"
            disabled={busy}
            onClick={() => run(() => (running ? actions.stop(c.name) : actions.start(c.name)))}
            className="rounded border border-desk-line px-3 py-1 text-[12px] font-medium hover:bg-desk-hover disabled:opacity-50"
          >
            {running ? 'Stop' : 'Start'}
          </button>
        </div>
      </header>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 px-3 py-3 sm:grid-cols-4 lg:grid-cols-8">
        {stat('Instruments', `${integer.format(c.instruments)} (${c.modes.full} full · ${c.modes.quote} quote · ${c.modes.ltp} ltp)`, 'collector-instruments')}
        {stat('Ticks', integer.format(c.metrics.ticksReceived), 'collector-ticks')}
        {stat('Ticks/s', String(c.metrics.ticksPerSecond))}
        {stat('Last tick', ago(c.metrics.lastTickAt, now))}
        {stat('Exchange time', c.metrics.lastExchangeTime ? formatTickTime(Date.parse(c.metrics.lastExchangeTime), now) : '—')}
        {stat('Reconnects', `${c.metrics.reconnects} (${c.metrics.watchdogReconnects} silent)`)}
        {stat('Errors', `${c.metrics.errors} (${c.metrics.malformedFrames} malformed)`)}
        {stat('Never ticked', integer.format(c.neverTicked), 'collector-never-ticked')}
      </dl>
      <div className="flex flex-wrap gap-x-6 gap-y-1 border-t border-desk-line px-3 py-2 text-[12px] text-desk-muted">
        <span>
          Budget: {plural(c.budget.requested, 'instrument')} on {plural(c.budget.connections, 'connection')} of {integer.format(c.budget.perConnection)};
          key uses {c.budget.connectionsUsedByKey}/{c.budget.connectionsPerKey}; room for {integer.format(c.budget.remaining)} more
        </span>
        {c.connections.map((conn) => (
          <span key={conn.id}>
            #{conn.id}: {conn.state.replace('_', ' ')}, {integer.format(conn.instruments)} instr.
            {conn.attempts ? `, attempt ${conn.attempts}` : ''}
            {conn.lastError ? ` — ${conn.lastError}` : ''}
          </span>
        ))}
      </div>
      {c.metrics.lastError && <p className="border-t border-desk-line px-3 py-1.5 text-[12px] text-down">Last error: {c.metrics.lastError}</p>}
      <form
        className="flex flex-wrap items-center gap-2 border-t border-desk-line px-3 py-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) void run(() => actions.setToken(c.name, token.trim()).then(() => setToken('')));
        }}
      >
        <label className="text-[12px] text-desk-muted" htmlFor={`token-${c.name}`}>
          {c.state === 'token_expired' ? 'Access token rejected — paste today’s token:' : 'New access token:'}
        </label>
        <input
          id={`token-${c.name}`}
          type="password"
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          className="w-64 rounded border border-desk-line bg-desk-bg px-2 py-1 text-[12px]"
        />
        <button type="submit" disabled={busy || !token.trim()} className="rounded border border-desk-line px-3 py-1 text-[12px] hover:bg-desk-hover disabled:opacity-50">
          Set token
        </button>
        <button type="button" onClick={() => setOpen((o) => !o)} className="ml-auto text-[12px] text-accent hover:underline">
          {open ? 'Hide instruments' : 'Show instruments'}
        </button>
      </form>
      <ChainSubscribeForm name={c.name} />
      {open && <InstrumentLiveness name={c.name} />}
    </section>
  );
}
