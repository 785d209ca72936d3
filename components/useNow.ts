'use client';

import { useEffect, useState } from 'react';

/** The wall clock (epoch ms), re-read every `intervalMs` (for "today or not" decisions in displays). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
