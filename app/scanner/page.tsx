/**
 * /scanner?preset=top_gainers&timeframe=1d: the live scanner table (components/scanner).
 */
import type { Metadata } from 'next';
import { ScannerBoard } from '@/components/scanner/ScannerBoard';
import { SCANNER_PRESETS, type ScannerPreset } from '@/lib/market/scanner';
import { isTimeframe } from '@/lib/market/timeframes';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Scanner' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ScannerPage({ searchParams }: Props) {
  const params = await searchParams;
  const preset = typeof params.preset === 'string' && (SCANNER_PRESETS as readonly string[]).includes(params.preset) ? (params.preset as ScannerPreset) : 'top_gainers';
  const timeframe = typeof params.timeframe === 'string' && isTimeframe(params.timeframe) ? params.timeframe : '1d';
  return <ScannerBoard initialPreset={preset} initialTimeframe={timeframe} />;
}
