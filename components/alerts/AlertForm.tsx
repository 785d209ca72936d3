'use client';

import { useState } from 'react';
import { InstrumentPicker } from '@/components/watchlists/InstrumentPicker';
import { sendJson } from '@/components/watchlists/types';
import { PRESET_LABELS, SCANNER_PRESETS } from '@/lib/market/scanner';
import { TIMEFRAMES } from '@/lib/market/timeframes';

type ConditionType = 'price_cross' | 'change_pct' | 'volume_spike' | 'rsi' | 'scanner_preset';

const TYPE_LABELS: Record<ConditionType, string> = {
  price_cross: 'Price crosses a level',
  change_pct: 'Day % change beyond',
  volume_spike: 'Volume spike (× usual)',
  rsi: 'RSI threshold',
  scanner_preset: 'Scanner preset match',
};

const field = 'h-8 rounded-md border border-desk-line bg-desk-bg px-2 text-[13px] focus:border-accent/60 focus:outline-none';

/** New-alert form: target (instrument or watchlist), condition, one-shot or repeating, webhook. */
export function AlertForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [targetKind, setTargetKind] = useState<'symbol' | 'watchlist'>('symbol');
  const [target, setTarget] = useState('');
  const [type, setType] = useState<ConditionType>('price_cross');
  const [level, setLevel] = useState('');
  const [direction, setDirection] = useState('either');
  const [op, setOp] = useState('above');
  const [value, setValue] = useState('');
  const [timeframe, setTimeframe] = useState('1d');
  const [preset, setPreset] = useState('top_gainers');
  const [top, setTop] = useState('10');
  const [repeat, setRepeat] = useState(false);
  const [cooldown, setCooldown] = useState('300');
  const [webhook, setWebhook] = useState('');
  const [error, setError] = useState<string | null>(null);

  const condition = () => {
    switch (type) {
      case 'price_cross':
        return { type, level: Number(level), direction };
      case 'change_pct':
        return { type, op, value: Number(value) };
      case 'volume_spike':
        return { type, ratio: Number(value), timeframe };
      case 'rsi':
        return { type, op, value: Number(value), timeframe };
      case 'scanner_preset':
        return { type, preset, timeframe, top: Number(top) };
    }
  };

  const submit = async () => {
    setError(null);
    try {
      await sendJson('POST', '/api/alerts', {
        name: name.trim() || `${target} ${TYPE_LABELS[type]}`,
        condition: condition(),
        target: { kind: targetKind, value: target },
        repeat,
        cooldown_sec: Number(cooldown),
        webhook_url: webhook.trim() || null,
      });
      setName('');
      setValue('');
      setLevel('');
      onCreated();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <form
      data-testid="alert-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      className="space-y-3 rounded-lg border border-desk-line bg-desk-panel p-4 text-[13px]"
    >
      <h2 className="text-[11px] font-semibold uppercase tracking-widest text-desk-faint">New alert</h2>
      {error && <div role="alert" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{error}</div>}
      <div className="flex flex-wrap items-center gap-2">
        <input data-testid="alert-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Name (optional)" maxLength={80} className={`${field} w-56`} />
        <select aria-label="Target kind" value={targetKind} onChange={(e) => { setTargetKind(e.target.value as 'symbol' | 'watchlist'); setTarget(''); }} className={field}>
          <option value="symbol">Instrument</option>
          <option value="watchlist">Watchlist</option>
        </select>
        {targetKind === 'symbol' ? (
          target ? (
            <span className="flex items-center gap-1 rounded bg-desk-raised px-2 py-1" data-testid="alert-target">
              {target}
              <button type="button" aria-label="Clear instrument" onClick={() => setTarget('')} className="text-desk-muted hover:text-desk-text">×</button>
            </span>
          ) : (
            <InstrumentPicker onPick={setTarget} placeholder="Instrument…" />
          )
        ) : (
          <input aria-label="Watchlist name" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="e.g. NIFTY50 or My list" className={`${field} w-56`} />
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <select aria-label="Condition" data-testid="alert-type" value={type} onChange={(e) => setType(e.target.value as ConditionType)} className={field}>
          {(Object.keys(TYPE_LABELS) as ConditionType[]).map((t) => <option key={t} value={t}>{TYPE_LABELS[t]}</option>)}
        </select>
        {type === 'price_cross' && (
          <>
            <select aria-label="Direction" value={direction} onChange={(e) => setDirection(e.target.value)} className={field}>
              <option value="either">either way</option>
              <option value="above">upwards</option>
              <option value="below">downwards</option>
            </select>
            <input aria-label="Level (₹)" data-testid="alert-level" inputMode="decimal" value={level} onChange={(e) => setLevel(e.target.value)} placeholder="₹ level" className={`${field} w-28`} />
          </>
        )}
        {(type === 'change_pct' || type === 'rsi') && (
          <select aria-label="Operator" data-testid="alert-op" value={op} onChange={(e) => setOp(e.target.value)} className={field}>
            <option value="above">at or above</option>
            <option value="below">at or below</option>
          </select>
        )}
        {(type === 'change_pct' || type === 'rsi' || type === 'volume_spike') && (
          <input aria-label="Threshold" data-testid="alert-value" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} placeholder={type === 'change_pct' ? '% e.g. 3' : type === 'rsi' ? 'e.g. 70' : '× e.g. 2'} className={`${field} w-24`} />
        )}
        {type === 'scanner_preset' && (
          <>
            <select aria-label="Preset" value={preset} onChange={(e) => setPreset(e.target.value)} className={field}>
              {SCANNER_PRESETS.map((p) => <option key={p} value={p}>{PRESET_LABELS[p]}</option>)}
            </select>
            <label className="flex items-center gap-1 text-desk-muted">top <input aria-label="Top N" value={top} onChange={(e) => setTop(e.target.value)} className={`${field} w-14`} /></label>
          </>
        )}
        {(type === 'volume_spike' || type === 'rsi' || type === 'scanner_preset') && (
          <select aria-label="Timeframe" value={timeframe} onChange={(e) => setTimeframe(e.target.value)} className={field}>
            {TIMEFRAMES.map((tf) => <option key={tf}>{tf}</option>)}
          </select>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-1.5 text-desk-muted">
          <input type="checkbox" checked={repeat} onChange={(e) => setRepeat(e.target.checked)} className="accent-amber-500" /> repeat, at most every
          <input aria-label="Cooldown (s)" value={cooldown} onChange={(e) => setCooldown(e.target.value)} disabled={!repeat} className={`${field} w-20 disabled:opacity-40`} /> s
        </label>
        <input aria-label="Webhook URL" value={webhook} onChange={(e) => setWebhook(e.target.value)} placeholder="Webhook URL (optional)" className={`${field} w-72`} />
        <button type="submit" data-testid="alert-create" disabled={!target} className="ml-auto rounded-md bg-accent px-3 py-1.5 font-medium text-black disabled:opacity-40">
          Create alert
        </button>
      </div>
    </form>
  );
}
