import type { SliPreview, SliPreviewResult } from '@/lib/schemas';
import { Sparkline } from '../charts/sparkline';
import { formatObjective, formatSli } from '@/lib/format';
import { LocalTime } from '../local-time';

export interface SliPreviewPanelProps {
  onPreview: () => void;
  pending: boolean;
  result: SliPreviewResult | undefined;
  /** The request itself failed (not the query): the API's message. */
  error: string | null;
  /** The SLI was edited after this result was fetched. */
  changed: boolean;
  /** The objective as typed, for the sparkline's reference line; null when it is not valid. */
  objective: number | null;
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function formatCount(n: number | null): string {
  return n === null ? 'no data' : count.format(n);
}

function PreviewFigures({ preview, objective }: { preview: SliPreview; objective: number | null }) {
  const points = preview.sparkline.map((p) => ({ t: Date.parse(p.t), value: p.sli }));
  const tone = objective !== null && preview.sliLastHour !== null && preview.sliLastHour < objective ? 'warning' : 'ok';
  return (
    <div className="preview-result" data-testid="sli-preview">
      <dl className="stats preview-stats">
        <div className="stat">
          <dt>Last hour</dt>
          <dd className="num">
            {preview.total === null ? 'No data' : `${formatCount(preview.good)} / ${formatCount(preview.total)}`}
            <span className="stat-sub">good / total events</span>
          </dd>
        </div>
        <div className="stat">
          <dt>SLI last hour</dt>
          <dd className="num">{formatSli(preview.sliLastHour)}</dd>
        </div>
        <div className="stat">
          <dt>SLI last day</dt>
          <dd className="num">{formatSli(preview.sliLastDay)}</dd>
        </div>
      </dl>
      <div className="sparkline-block">
        <div className="sparkline-caption">
          <span>SLI per hour, last 24 h{objective !== null ? ` (dashed: objective ${formatObjective(objective)})` : ''}</span>
          <span>
            as of <LocalTime iso={preview.at} />
          </span>
        </div>
        <Sparkline points={points} reference={objective ?? undefined} domain="fit" tone={tone} label="Hourly SLI over the last 24 hours" />
      </div>
      {preview.total === null ? (
        <p className="data-note">The total query found no events in the last hour. Check the metric name and the label values.</p>
      ) : null}
    </div>
  );
}

/** The "Preview" button and what it found: figures from the backend, or its own error text, verbatim. */
export function SliPreviewPanel({ onPreview, pending, result, error, changed, objective }: SliPreviewPanelProps) {
  return (
    <div className="sli-preview">
      <div className="sli-preview-head">
        <button type="button" className="btn btn-secondary" onClick={onPreview} disabled={pending}>
          {pending ? 'Running the queries…' : 'Preview'}
        </button>
        <p className="field-hint">Runs this SLI against the data source now, before anything is saved.</p>
      </div>
      <div aria-live="polite">
        {error ? (
          <div className="callout callout-danger" role="alert">
            <span>
              <strong>Preview failed.</strong> {error}
            </span>
          </div>
        ) : result && !result.ok ? (
          <div className="callout callout-danger preview-error" role="alert">
            <div>
              <strong>{result.error.kind === 'bad_query' ? 'Prometheus rejected the query:' : `The query failed (${result.error.kind}):`}</strong>
              <pre className="verbatim-block">{result.error.message}</pre>
            </div>
          </div>
        ) : result?.ok ? (
          <PreviewFigures preview={result.preview} objective={objective} />
        ) : null}
        {result && changed && !pending ? <p className="field-hint">The SLI changed since this preview; run it again to check the new one.</p> : null}
      </div>
    </div>
  );
}
