'use client';

import Link from 'next/link';
import { ORIGIN_PLACEHOLDER, sdkEnv, TOKEN_PLACEHOLDER } from './exporter-config';
import { Snippet } from './snippet';
import { useOrigin } from '../ui/use-origin';
import './otel.css';

/** What to do when Umpire has received no OpenTelemetry metrics yet: a token, two variables, then wait an export interval. */
export function ExporterHowTo({ newTab = false }: { newTab?: boolean }) {
  const origin = useOrigin() ?? ORIGIN_PLACEHOLDER;
  return (
    <div className="callout callout-info" role="note" data-testid="otel-howto">
      <div>
        <strong>No OpenTelemetry metrics received yet.</strong> Services push metrics to Umpire over OTLP/HTTP:
        <ol className="otel-steps">
          <li>
            {newTab ? (
              <Link href="/ingest" target="_blank" rel="noopener">
                Create an ingest token on the Ingest page (opens a new tab)
              </Link>
            ) : (
              <Link href="/ingest">Create an ingest token on the Ingest page</Link>
            )}
            .
          </li>
          <li>
            Set these in the service’s environment (its OpenTelemetry SDK reads them), with your token in place of <code>{TOKEN_PLACEHOLDER}</code>:
            <Snippet title="SDK environment variables" text={sdkEnv(origin, TOKEN_PLACEHOLDER)} />
          </li>
          <li>Metrics show up here after the SDK’s first export (every 60 seconds by default); this list refreshes on its own.</li>
        </ol>
      </div>
    </div>
  );
}
