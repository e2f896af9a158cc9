/** Where a Prometheus SLO's generated rules are fetched (GET .../rules, docs/prometheus-rules.md), as downloads. */
export function PrometheusRulesLinks({ service, slo }: { service: string; slo: string }) {
  const base = `/api/v1/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}/rules`;
  const files = [
    { format: 'prometheus', label: 'Rule file', name: `${service}-${slo}.rules.yaml` },
    { format: 'operator', label: 'PrometheusRule', name: `${service}-${slo}.prometheusrule.yaml` },
    { format: 'tests', label: 'promtool tests', name: `${service}-${slo}.rules.test.yaml` },
  ] as const;
  return (
    <section className="card" aria-labelledby="prometheus-rules-title" data-testid="prometheus-rules">
      <h2 id="prometheus-rules-title">Prometheus rules</h2>
      <p className="muted">
        The same burn-rate alerts as recording and alerting rules for Prometheus itself, one rule group for this SLO, with the promtool unit tests that prove
        each tier fires and resolves (<code>promtool test rules</code>).{' '}
        <code>
          umpire rules --service {service} --slo {slo}
        </code>{' '}
        prints them in a pipeline.
      </p>
      <div className="page-actions">
        {files.map((file) => (
          <a key={file.format} className="btn btn-secondary btn-sm" href={`${base}?format=${file.format}`} download={file.name}>
            {file.label}
          </a>
        ))}
      </div>
    </section>
  );
}
