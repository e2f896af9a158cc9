'use client';

import { formatDateTime } from '@/lib/format';
import { useDateContext } from './use-hydrated';

export interface LocalTimeProps {
  iso: string;
  /** Show in this zone (a calendar SLO's own); otherwise the browser's. */
  timeZone?: string;
  year?: boolean;
}

/** An instant in the reader's locale and zone, with an explicit date; UTC until hydrated. */
export function LocalTime({ iso, timeZone, year }: LocalTimeProps) {
  const ctx = useDateContext();
  const zoned = timeZone ? { ...ctx, timeZone } : ctx;
  const utcFallback = !timeZone && ctx.timeZone === 'UTC';
  return (
    <time dateTime={iso}>
      {formatDateTime(iso, zoned, { year })}
      {utcFallback ? ' UTC' : ''}
    </time>
  );
}
