import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { SloStateSnapshots } from './metrics';

/** What a started SDK leaves for the rest of the process: the /metrics route reads the Prometheus reader. */
export interface TelemetryState {
  prometheus: PrometheusExporter;
  /** The stored states' snapshots behind the per-SLO series, when they are exported. */
  sloStates?: SloStateSnapshots;
  shutdown: () => Promise<void>;
}

// instrumentation.ts and the route handlers are bundled apart, so the state lives on globalThis.
const holder = globalThis as typeof globalThis & { umpireTelemetry?: TelemetryState };

/** The running telemetry, or undefined when it was not started (UMPIRE_TELEMETRY=off, tests, next build). */
export function telemetryState(): TelemetryState | undefined {
  return holder.umpireTelemetry;
}

export function setTelemetryState(state: TelemetryState | undefined): void {
  holder.umpireTelemetry = state;
}
