'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** This Umpire's origin as the browser reaches it (what an exporter should use); null on the server and while hydrating. */
export function useOrigin(): string | null {
  return useSyncExternalStore(
    subscribe,
    () => window.location.origin,
    () => null,
  );
}
