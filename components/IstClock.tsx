'use client';

import { useEffect, useState } from 'react';
import { formatIst } from '@/lib/market/session';

/** Live "YYYY-MM-DD HH:mm:ss IST" clock (rendered after mount to avoid a hydration mismatch). */
export function IstClock({ className = '' }: { className?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className={`font-mono tabular-nums ${className}`} data-testid="ist-clock" suppressHydrationWarning>
      {now === null ? '—' : formatIst(now)} <span className="text-desk-faint">IST</span>
    </span>
  );
}
