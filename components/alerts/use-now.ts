'use client';

import { useEffect, useState } from 'react';
import { useHydrated } from '../use-hydrated';

/**
 * The current time, ticking every `everyMs`, or null on the server and while hydrating, so relative times
 * ("12 min ago") never differ between the server's HTML and the first render in the browser.
 */
export function useNow(everyMs = 30_000): number | null {
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return hydrated ? now : null;
}
