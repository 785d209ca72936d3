'use client';
/**
 * "Subscribe chain" on a collector card (issue 13 point 6): underlying, expiry (empty = the
 * nearest live one) and strikes each side of ATM → POST /api/collectors/{name}/subscribe-chain
 * (the contracts around ATM, the index and its nearest future, in full mode). Shows what was
 * subscribed, or the API's error (which names the field, e.g. `body.underlying: …`).
 */
import { useState } from 'react';
import { collectorsApi } from './api';

export function ChainSubscribeForm({ name, onDone }: { name: string; onDone?: () => void }) {
  const [underlying, setUnderlying] = useState('NIFTY');
  const [expiry, setExpiry] = useState('');
  const [strikes, setStrikes] = useState(10);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const input = 'rounded border border-desk-line bg-desk-bg px-2 py-1 text-[12px]';
  return (
    <form
      className="flex flex-wrap items-center gap-2 border-t border-desk-line px-3 py-2"
      data-testid={`chain-form-${name}`}
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        collectorsApi
          .subscribeChain(name, { underlying: underlying.trim(), strikes, ...(expiry ? { expiry } : {}) })
          .then(({ chain, change }) => {
            setMessage({
              ok: true,
              text: `${chain.underlying} ${chain.expiry}: ATM ${chain.atm} (spot ${chain.spot}), ${chain.strikes.length} strikes, ${chain.symbols.length} instruments (${change.added} new)`,
            });
            onDone?.();
          })
          .catch((error: unknown) => setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) }))
          .finally(() => setBusy(false));
      }}
    >
      <span className="text-[12px] text-desk-muted">Option chain:</span>
      <input aria-label="Underlying" value={underlying} onChange={(e) => setUnderlying(e.target.value)} className={`${input} w-28 uppercase`} />
      <input aria-label="Expiry (nearest when empty)" type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} className={input} />
      <label className="text-[12px] text-desk-muted">
        strikes ±{' '}
        <input aria-label="Strikes each side of ATM" type="number" min={1} max={50} value={strikes} onChange={(e) => setStrikes(Number(e.target.value))} className={`${input} w-16`} />
      </label>
      <button type="submit" disabled={busy || !underlying.trim()} className="rounded border border-desk-line px-3 py-1 text-[12px] hover:bg-desk-hover disabled:opacity-50">
        Subscribe chain
      </button>
      {message && (
        <span className={`text-[12px] ${message.ok ? 'text-desk-muted' : 'text-down'}`} data-testid={`chain-result-${name}`} role="status">
          {message.text}
        </span>
      )}
    </form>
  );
}
