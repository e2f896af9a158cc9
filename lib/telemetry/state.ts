import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

/** What a started SDK leaves for the rest of the process: the /metrics route reads the Prometheus reader. */
export interface TelemetryState {
  prometheus: PrometheusExporter;
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
