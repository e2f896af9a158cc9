'use client';

import { useSyncExternalStore } from 'react';
import { SERVER_DATE_CONTEXT, type DateContext } from '@/lib/format';

const subscribe = () => () => {};

/**
 * false on the server and while hydrating, true after: lets client-only values (locale, time zone, chart
 * sizes) render without a hydration mismatch, since React re-renders right after hydration.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** The browser's locale and time zone once hydrated; a fixed UTC context before, matching the server's HTML. */
export function useDateContext(): DateContext {
  return useHydrated() ? { locale: undefined, timeZone: undefined } : SERVER_DATE_CONTEXT;
}

/** The browser's IANA time zone once hydrated, "UTC" before. */
export function useBrowserTimeZone(): string {
  const hydrated = useHydrated();
  return hydrated ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC';
}
