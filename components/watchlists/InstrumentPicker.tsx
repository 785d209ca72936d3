'use client';

import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { handleListKeys, useInstrumentSearch, type InstrumentHit } from '@/components/useInstrumentSearch';

/**
 * Autocomplete over the instruments master (GET /api/instruments): type part of a symbol or
 * company name, pick with the mouse or ↑ ↓ Enter; `onPick` receives "EXCHANGE:TRADINGSYMBOL".
 */
export function InstrumentPicker({ onPick, placeholder = 'Add instrument…', exclude = [] }: {
  onPick: (symbol: string) => void;
  placeholder?: string;
  exclude?: readonly string[];
}) {
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);

  const { hits, active, setActive, loading } = useInstrumentSearch(query, { limit: 12, debounceMs: 120 });

  const pick = (hit: InstrumentHit) => {
    onPick(`${hit.exchange}:${hit.tradingsymbol}`);
    setQuery('');
    setOpen(false);
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) =>
    handleListKeys(event, {
      hits,
      active,
      setActive,
      setOpen,
      onEnter: (hit) => hit && pick(hit),
      onEscape: () => setOpen(false),
    });

  const excluded = new Set(exclude);
  const showList = open && query.trim().length > 0;
  return (
    <div className="relative w-full sm:w-80">
      <input
        ref={inputRef}
        data-testid="watchlist-add-search"
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={onKeyDown}
        className="h-8 w-full rounded-md border border-desk-line bg-desk-bg px-3 text-[13px] text-desk-text placeholder:text-desk-faint focus:border-accent/60 focus:outline-none"
      />
      {showList && (
        <ul id={listId} role="listbox" className="absolute left-0 top-9 z-40 max-h-80 w-full overflow-auto sm:w-[26rem] rounded-md border border-desk-line bg-desk-raised py-1 shadow-2xl shadow-black/60">
          {hits.length === 0 && <li className="px-3 py-2 text-desk-muted">{loading ? 'Searching…' : 'No matching instruments'}</li>}
          {hits.map((hit, index) => {
            const symbol = `${hit.exchange}:${hit.tradingsymbol}`;
            const listed = excluded.has(symbol);
            return (
              <li
                key={hit.instrument_token}
                role="option"
                data-testid="watchlist-add-option"
                data-symbol={symbol}
                aria-selected={index === active}
                aria-disabled={listed}
                onMouseEnter={() => setActive(index)}
                onMouseDown={(event) => {
                  event.preventDefault();
                  if (!listed) pick(hit);
                }}
                className={`flex cursor-pointer items-center gap-3 px-3 py-1.5 ${index === active ? 'bg-desk-hover' : ''} ${listed ? 'opacity-50' : ''}`}
              >
                <span className="w-10 shrink-0 rounded bg-desk-bg px-1 text-center text-[10px] font-medium text-desk-muted">{hit.exchange}</span>
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium text-desk-text">{hit.tradingsymbol}</span>
                  {hit.name && <span className="block truncate text-xs text-desk-muted">{hit.name}</span>}
                </span>
                <span className="shrink-0 text-[10px] uppercase text-desk-faint">{listed ? 'listed' : hit.segment === 'INDICES' ? 'Index' : hit.instrument_type}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
