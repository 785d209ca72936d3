'use client';
/**
 * The option chain page's board: header figures (spot, ATM, PCR, max pain, time to expiry, rate),
 * expiry and underlying switches, and the strike table (calls left, puts right, ATM highlighted,
 * in-the-money legs shaded; a leg's LTP opens that contract's chart). At phone width the table keeps LTP, change and OI of each side and
 * scrolls inside its own box; volume, IV, delta and OI change appear from `md` up.
 */
import Link from 'next/link';
import type { ChainLeg, OptionChain } from '@/lib/options/chain';
import { formatChange, formatCompactVolume, formatPrice, toneClass } from '@/components/format';
import { useLiveChain } from './useLiveChain';

export interface OptionChainBoardProps {
  initial: OptionChain;
  /** "NSE:NIFTY 50". */
  spotSymbol: string;
  /** Listed expiries "YYYY-MM-DD" (links). */
  expiries: string[];
  /** Underlyings offered as links. */
  underlyings: string[];
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const fixed = (v: number | null, d: number) => (v === null ? '—' : v.toFixed(d));
const wide = 'hidden md:table-cell';

function formatExpiry(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString('en-IN', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="min-w-0">
      <div className="text-[11px] uppercase tracking-wide text-desk-muted">{label}</div>
      <div className="font-mono tabular-nums" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function legCells(leg: ChainLeg | null, side: 'CE' | 'PE', strike: number, itm: boolean) {
  const bg = itm ? ' bg-accent/5' : '';
  const cells = [
    <td key="oi" className={`px-2 py-1 text-right${bg}`}>{formatCompactVolume(leg?.oi)}</td>,
    <td key="oich" className={`${wide} px-2 py-1 text-right${bg} ${toneClass(leg?.oiChange)}`}>{leg?.oiChange == null ? '—' : formatCompactVolume(leg.oiChange)}</td>,
    <td key="vol" className={`${wide} px-2 py-1 text-right${bg}`}>{formatCompactVolume(leg?.volume)}</td>,
    <td key="iv" className={`${wide} px-2 py-1 text-right${bg}`}>{pct(leg?.iv ?? null)}</td>,
    <td key="delta" className={`${wide} px-2 py-1 text-right${bg}`}>{fixed(leg?.delta ?? null, 2)}</td>,
    <td key="chg" className={`px-2 py-1 text-right${bg} ${toneClass(leg?.change)}`}>{formatChange(leg?.change)}</td>,
    <td key="ltp" className={`px-2 py-1 text-right font-medium${bg}`} data-testid={`ltp-${side}-${strike}`}>
      {leg ? (
        <Link href={`/chart/${encodeURIComponent(leg.symbol)}`} className="hover:text-accent hover:underline" title={`${leg.symbol} chart`} data-testid={`chart-${side}-${strike}`}>
          {formatPrice(leg.ltp)}
        </Link>
      ) : (
        formatPrice(null)
      )}
    </td>,
  ];
  return side === 'CE' ? cells : cells.reverse();
}

const HEAD = ['OI', 'Chg OI', 'Volume', 'IV', 'Delta', 'Chg', 'LTP'];
const HEAD_WIDE = new Set(['Chg OI', 'Volume', 'IV', 'Delta']);

/** The live chain; see the module comment. */
export function OptionChainBoard({ initial, spotSymbol, expiries, underlyings }: OptionChainBoardProps) {
  const { chain, version } = useLiveChain(initial, spotSymbol);
  const days = chain.timeToExpiryYears * 365;
  const head = (side: 'CE' | 'PE') =>
    (side === 'CE' ? HEAD : [...HEAD].reverse()).map((h) => (
      <th key={h} className={`px-2 py-1.5 text-right font-medium ${HEAD_WIDE.has(h) ? wide : ''}`}>
        {h}
      </th>
    ));
  return (
    <div className="space-y-3" data-testid="option-chain" data-version={version}>
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-2">
        <h1 className="text-lg font-semibold">{chain.underlying} option chain</h1>
        <nav className="flex flex-wrap gap-1" aria-label="Underlying">
          {underlyings.map((u) => (
            <Link key={u} href={`/options/${u}`} className={`rounded px-2 py-0.5 text-xs ${u === chain.underlying ? 'bg-desk-raised text-desk-text' : 'text-desk-muted hover:text-desk-text'}`}>
              {u}
            </Link>
          ))}
        </nav>
      </div>
      <nav className="flex flex-wrap gap-1" aria-label="Expiry">
        {expiries.map((e) => (
          <Link
            key={e}
            href={`/options/${chain.underlying}?expiry=${e}`}
            aria-current={e === chain.expiry ? 'page' : undefined}
            className={`rounded border px-2 py-0.5 text-xs ${e === chain.expiry ? 'border-accent text-desk-text' : 'border-desk-line text-desk-muted hover:text-desk-text'}`}
          >
            {formatExpiry(e)}
          </Link>
        ))}
      </nav>
      <div className="grid grid-cols-3 gap-3 rounded border border-desk-line bg-desk-panel p-3 sm:grid-cols-6">
        <Figure label="Spot" value={formatPrice(chain.spot)} testId="chain-spot" />
        <Figure label="ATM" value={chain.atm === null ? '—' : String(chain.atm)} />
        <Figure label="PCR (OI)" value={fixed(chain.pcr, 2)} testId="chain-pcr" />
        <Figure label="Max pain" value={chain.maxPain === null ? '—' : String(chain.maxPain)} />
        <Figure label="Expiry in" value={days > 0 ? `${days.toFixed(2)} d` : 'expired'} />
        <Figure label="Rate" value={pct(chain.rate)} />
      </div>
      <div className="max-w-full overflow-x-auto rounded border border-desk-line" data-testid="chain-scroll">
        <table className="w-full min-w-max border-collapse font-mono text-xs tabular-nums">
          <thead className="bg-desk-panel text-desk-muted">
            <tr>
              <th colSpan={7} className="px-2 py-1 text-center text-[11px] font-medium tracking-wide md:hidden">CALLS</th>
              <th className="px-2 py-1" />
              <th colSpan={7} className="px-2 py-1 text-center text-[11px] font-medium tracking-wide md:hidden">PUTS</th>
            </tr>
            <tr>
              {head('CE')}
              <th className="px-3 py-1.5 text-center font-semibold text-desk-text">Strike</th>
              {head('PE')}
            </tr>
          </thead>
          <tbody>
            {chain.rows.map((row) => {
              const atm = row.strike === chain.atm;
              const spot = chain.spot ?? row.strike;
              return (
                <tr key={row.strike} data-strike={row.strike} data-atm={atm || undefined} className={`border-t border-desk-line/60 ${atm ? 'outline outline-1 outline-accent/60' : ''}`}>
                  {legCells(row.ce, 'CE', row.strike, row.strike < spot)}
                  <td className={`px-3 py-1 text-center font-semibold ${atm ? 'text-accent' : 'text-desk-text'}`}>{row.strike}</td>
                  {legCells(row.pe, 'PE', row.strike, row.strike > spot)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {chain.rows.length === 0 && <p className="text-desk-muted">No contracts listed for this expiry.</p>}
    </div>
  );
}
