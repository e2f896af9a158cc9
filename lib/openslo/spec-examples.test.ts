import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importOpenSlo, parseOpenSlo } from './index';

const fixture = (name: string) => ({ name, text: readFileSync(join(__dirname, 'fixtures', name), 'utf8') });

describe('the OpenSLO v1 specification examples', () => {
  test('the valid examples parse, every kind of document', () => {
    const parsed = parseOpenSlo([fixture('spec-v1-examples.yaml')]);
    expect(parsed.ok && parsed.value.map((doc) => `${doc.kind} ${doc.metadata.name}`)).toEqual([
      'Service my-rad-service',
      'DataSource prometheus-prod',
      'SLI great-sli',
      'AlertCondition cpu-usage-breach',
      'AlertNotificationTarget pd-on-call-notification',
      'AlertPolicy default-alert-policy',
      'SLO foo-slo',
    ]);
  });

  test('the invalid variants are refused, each naming the document and the field', () => {
    expect(parseOpenSlo([fixture('spec-v1-invalid.yaml')])).toEqual({
      ok: false,
      errors: [
        'spec-v1-invalid.yaml#1 SLO Foo_SLO: metadata.name: must be an RFC 1123 label: lowercase letters, digits and -, starting and ending with a letter or digit',
        'spec-v1-invalid.yaml#2 SLO foo-slo: spec.budgetingMethod: must be Occurrences, Timeslices or RatioTimeslices',
        'spec-v1-invalid.yaml#2 SLO foo-slo: spec.objectives[0].target: must be a number between 0 and 1',
        'spec-v1-invalid.yaml#3 SLI no-total: spec.ratioMetric.total: is required',
      ],
    });
  });

  test('Umpire refuses the missing owner rather than dropping it', () => {
    expect(importOpenSlo([fixture('spec-v1-examples.yaml')])).toEqual({
      ok: false,
      errors: [
        'spec-v1-examples.yaml#1 Service my-rad-service: metadata.labels.team: Umpire needs the owning team: set the label team or the annotation umpire.dev/owner-team',
      ],
    });
  });

  test("the policy's notification target becomes the SLO's target: the channel of that name, sent the policy's severity", () => {
    const text = fixture('spec-v1-examples.yaml').text.replace(
      '  displayName: My Rad Service\n',
      '  displayName: My Rad Service\n  labels:\n    team: platform\n    tier: "2"\n',
    );
    const result = importOpenSlo([{ name: 'examples.yaml', text }]);
    expect(result.ok && result.value.slos[0]!.targets).toEqual([{ channel: 'pd-on-call-notification', severity: 'page', kind: 'pagerduty' }]);
    const dangling = importOpenSlo([{ name: 'examples.yaml', text: text.replace('targetRef: pd-on-call-notification', 'targetRef: nobody') }]);
    expect(dangling).toEqual({
      ok: false,
      errors: [
        'examples.yaml#7 SLO foo-slo: spec.alertPolicies[0] (AlertPolicy default-alert-policy).spec.notificationTargets[0].targetRef: names no AlertNotificationTarget document among the files: nobody',
      ],
    });
  });

  test('with an owner, a tier and no notification target the examples map to a Prometheus ratio SLO', () => {
    const text = fixture('spec-v1-examples.yaml')
      .text.replace('  displayName: My Rad Service\n', '  displayName: My Rad Service\n  labels:\n    team: platform\n    tier: "2"\n')
      .replace('  notificationTargets:\n    - targetRef: pd-on-call-notification\n', '');
    const result = importOpenSlo([{ name: 'examples.yaml', text }]);
    expect(result).toEqual({
      ok: true,
      value: {
        services: [
          {
            slug: 'my-rad-service',
            name: 'My Rad Service',
            ownerTeam: 'platform',
            tier: 2,
            description: 'This is a great description of an even better service.',
            links: {},
          },
        ],
        slos: [
          {
            service: 'my-rad-service',
            input: {
              slug: 'foo-slo',
              name: 'Foo SLO',
              description: '',
              objective: 0.98,
              window: { kind: 'rolling', days: 28 },
              budgeting: { method: 'occurrences' },
              sli: {
                source: 'prometheus',
                kind: 'ratio',
                datasource: 'prometheus-prod',
                goodSelector: 'http_requests_total{code!~"5.."}',
                totalSelector: 'http_requests_total',
              },
              // One window in OpenSLO: the short window is the SRE Workbook's twelfth of it.
              alertPolicy: { tiers: [{ severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 2, for: '5m' }] },
              minEvents: 100,
              labels: {},
            },
          },
        ],
        files: { services: { 'my-rad-service': 'examples.yaml' }, slos: { 'my-rad-service/foo-slo': 'examples.yaml' } },
      },
    });
  });
});
