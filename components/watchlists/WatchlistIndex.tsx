'use client';

import { plural } from '@/components/format';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { sendJson, type WatchlistSummaryJson } from './types';

const CATEGORY_LABEL: Record<string, string> = { index: 'Indices', movers: 'Market movers (live)', sector: 'Sectors' };
const href = (name: string) => `/watchlists/${encodeURIComponent(name)}`;

/** The watchlists page: the 15 predefined lists by category, the user's lists, create and merge. */
export function WatchlistIndex({ predefined, user }: { predefined: WatchlistSummaryJson[]; user: WatchlistSummaryJson[] }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sources, setSources] = useState<string[]>([]);
  const [into, setInto] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const create = async () => {
    setError(null);
    try {
      const body = await sendJson<{ watchlist: { name: string } }>('POST', '/api/watchlists', { name });
      router.push(href(body.watchlist.name));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const merge = async () => {
    setError(null);
    setMessage(null);
    try {
      const body = await sendJson<{ watchlist: { name: string }; added: number; skipped: string[] }>('POST', '/api/watchlists/merge', { sources, into });
      setMessage(`${plural(body.added, 'instrument')} added to ${body.watchlist.name}${body.skipped.length ? ` (${plural(body.skipped.length, 'unknown symbol')} skipped)` : ''}.`);
      router.push(href(body.watchlist.name));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const toggle = (list: string) => setSources((current) => (current.includes(list) ? current.filter((s) => s !== list) : [...current, list]));
  const categories = ['index', 'movers', 'sector'];

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-lg font-semibold tracking-tight">Watchlists</h1>
        <p className="text-xs text-desk-muted">15 predefined lists and your own · tick a list&apos;s box to merge it</p>
      </div>
      {error && <div role="alert" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{error}</div>}
      {message && <div className="rounded-md border border-up/40 bg-up/10 px-3 py-2 text-xs text-up">{message}</div>}

      <section className="rounded-lg border border-desk-line bg-desk-panel p-4">
        <h2 className="mb-3 text-[11px] font-semibold uppercase tracking-widest text-desk-faint">My watchlists</h2>
        <form
          className="mb-3 flex gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <input
            data-testid="watchlist-create-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="New list name"
            maxLength={40}
            className="h-8 w-64 rounded-md border border-desk-line bg-desk-bg px-3 text-[13px] placeholder:text-desk-faint focus:border-accent/60 focus:outline-none"
          />
          <button type="submit" data-testid="watchlist-create" disabled={!name.trim()} className="rounded-md bg-accent px-3 text-[13px] font-medium text-black disabled:opacity-40">
            Create
          </button>
        </form>
        {user.length === 0 ? (
          <p className="text-xs text-desk-muted">No lists yet.</p>
        ) : (
          <ListGrid lists={user} sources={sources} onToggle={toggle} />
        )}
      </section>

      {categories.map((category) => (
        <section key={category} className="rounded-lg border border-desk-line bg-desk-panel p-4">
          <h2 className="mb-3 text-[11px] font-semibold uppercase tracking-widest text-desk-faint">{CATEGORY_LABEL[category]}</h2>
          <ListGrid lists={predefined.filter((l) => l.category === category)} sources={sources} onToggle={toggle} />
        </section>
      ))}

      <section className="rounded-lg border border-desk-line bg-desk-panel p-4">
        <h2 className="mb-3 text-[11px] font-semibold uppercase tracking-widest text-desk-faint">Merge</h2>
        <form
          className="flex flex-wrap items-center gap-2 text-[13px]"
          onSubmit={(event) => {
            event.preventDefault();
            void merge();
          }}
        >
          <span className="text-desk-muted">{sources.length ? sources.join(' + ') : 'Tick lists above'} →</span>
          <input
            value={into}
            onChange={(event) => setInto(event.target.value)}
            placeholder="into (new or existing list)"
            maxLength={40}
            className="h-8 w-64 rounded-md border border-desk-line bg-desk-bg px-3 placeholder:text-desk-faint focus:border-accent/60 focus:outline-none"
          />
          <button type="submit" disabled={!sources.length || !into.trim()} className="rounded-md bg-accent px-3 py-1 font-medium text-black disabled:opacity-40">
            Merge
          </button>
        </form>
      </section>
    </div>
  );
}

function ListGrid({ lists, sources, onToggle }: { lists: WatchlistSummaryJson[]; sources: string[]; onToggle: (name: string) => void }) {
  return (
    <ul className="grid grid-cols-[repeat(auto-fill,minmax(14rem,1fr))] gap-2">
      {lists.map((list) => (
        <li key={list.name} className="flex items-center gap-2 rounded-md border border-desk-line bg-desk-bg px-3 py-2 hover:border-desk-faint">
          <input type="checkbox" aria-label={`Merge ${list.name}`} checked={sources.includes(list.name)} onChange={() => onToggle(list.name)} className="accent-amber-500" />
          <Link href={href(list.name)} data-testid="watchlist-link" className="min-w-0 flex-1">
            <span className="block truncate font-medium text-desk-text">{list.name}</span>
            <span className="block truncate text-xs text-desk-muted">
              {list.dynamic ? 'live' : plural(list.size ?? 0, 'instrument')}
              {list.description ? ` · ${list.description}` : ''}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
