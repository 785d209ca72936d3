'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { handleListKeys, useInstrumentSearch } from '@/components/useInstrumentSearch';
import { parseSymbol } from '@/lib/market/tick';

const chartHref = (symbol: string) => `/chart/${encodeURIComponent(symbol)}`;

/**
 * Header search box: type part of a symbol or company name, pick a result (mouse or ↑ ↓ Enter)
 * to open its chart. "/" focuses it from anywhere; Enter on "NSE:INFY"-style text goes straight there.
 * Below `sm` the results open full-width under the header (the box itself is narrow there).
 */
export function SymbolSearch() {
  const router = useRouter();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);

  const { hits, active, setActive, loading } = useInstrumentSearch(query, { limit: 10, debounceMs: 150 });

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, [contenteditable="true"]');
      if (event.key === '/' && !typing) {
        event.preventDefault();
        inputRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const go = (symbol: string) => {
    setOpen(false);
    setQuery('');
    inputRef.current?.blur();
    router.push(chartHref(symbol));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) =>
    handleListKeys(event, {
      hits,
      active,
      setActive,
      setOpen,
      onEnter: (hit) => {
        if (open && hit) return go(`${hit.exchange}:${hit.tradingsymbol}`);
        const parsed = parseSymbol(query.trim());
        if (parsed) go(`${parsed.exchange}:${parsed.tradingsymbol}`);
      },
      onEscape: () => {
        setOpen(false);
        inputRef.current?.blur();
      },
    });

  const showList = open && query.trim().length > 0;

  return (
    <div className="relative w-32 min-w-0 sm:w-56 lg:w-72">
      <svg
        viewBox="0 0 20 20"
        className="pointer-events-none absolute left-2.5 top-1/2 h-3.5 w-3.5 -translate-y-1/2 fill-desk-muted"
        aria-hidden="true"
      >
        <path d="M8.5 3a5.5 5.5 0 0 1 4.38 8.82l3.65 3.65-1.06 1.06-3.65-3.65A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z" />
      </svg>
      <input
        ref={inputRef}
        data-testid="symbol-search"
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search symbol or company"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={onKeyDown}
        className="h-8 w-full rounded-md border border-desk-line bg-desk-bg pl-8 pr-8 text-[13px] text-desk-text placeholder:text-desk-faint focus:border-accent/60 focus:outline-none"
      />
      {!query && (
        <kbd className="pointer-events-none absolute right-2 top-1/2 -translate-y-1/2 rounded border border-desk-line px-1 text-[10px] text-desk-faint">
          /
        </kbd>
      )}
      {showList && (
        <ul
          id={listId}
          role="listbox"
          className="fixed inset-x-3 top-12 z-40 max-h-[70vh] overflow-auto rounded-md sm:absolute sm:inset-x-auto sm:right-0 sm:top-9 sm:max-h-96 sm:w-[26rem] border border-desk-line bg-desk-raised py-1 shadow-2xl shadow-black/60"
        >
          {hits.length === 0 && (
            <li className="px-3 py-2 text-desk-muted">{loading ? 'Searching…' : 'No matching instruments'}</li>
          )}
          {hits.map((hit, index) => {
            const symbol = `${hit.exchange}:${hit.tradingsymbol}`;
            return (
              <li
                key={hit.instrument_token}
                role="option"
                aria-selected={index === active}
                onMouseEnter={() => setActive(index)}
                onMouseDown={(event) => {
                  event.preventDefault();
                  go(symbol);
                }}
                className={`flex cursor-pointer items-center gap-3 px-3 py-1.5 ${index === active ? 'bg-desk-hover' : ''}`}
              >
                <span className="w-10 shrink-0 rounded bg-desk-bg px-1 text-center text-[10px] font-medium text-desk-muted">
                  {hit.exchange}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium text-desk-text">{hit.tradingsymbol}</span>
                  {hit.name && <span className="block truncate text-xs text-desk-muted">{hit.name}</span>}
                </span>
                <span className="shrink-0 text-[10px] uppercase text-desk-faint">
                  {hit.segment === 'INDICES' ? 'Index' : hit.instrument_type}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
