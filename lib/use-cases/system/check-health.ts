import { pingDatabase } from '../../db/health';
import { env } from '../../env';
import packageJson from '../../../package.json';

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  database: { mode: 'embedded' | 'external'; reachable: boolean; latencyMs: number | null; error?: string };
  time: string;
}

/** Liveness and readiness in one: the app answers, and says whether its database does. */
export async function checkHealth(): Promise<Health> {
  const started = performance.now();
  let reachable = false;
  let error: string | undefined;
  let mode: 'embedded' | 'external' = 'external';
  try {
    mode = env().UMPIRE_DATABASE_MODE;
    await pingDatabase();
    reachable = true;
  } catch (cause) {
    // The reason helps an operator; the URL (which may hold a password) is never part of it.
    error = cause instanceof Error ? cause.message.replace(/postgres(ql)?:\/\/\S+/g, 'postgresql://…') : 'unknown error';
  }
  return {
    status: reachable ? 'ok' : 'degraded',
    version: packageJson.version,
    database: { mode, reachable, latencyMs: reachable ? Math.round(performance.now() - started) : null, ...(error ? { error } : {}) },
    time: new Date().toISOString(),
  };
}
