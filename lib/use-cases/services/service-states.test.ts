import { describe, expect, test } from 'vitest';
import { summaryInputs } from './service-states';

const service = { id: '6f1c1a52-0000-4000-8000-000000000001', updatedAt: new Date('2026-12-07T10:00:00.000Z') };
const slos = '6f1c1a52-0000-4000-8000-00000000000a@1796632800000';
const policies = new Map([['default', new Date('2026-12-01T00:00:00.000Z')]]);

describe('summaryInputs', () => {
  test('the same definitions give the same fingerprint', () => {
    expect(summaryInputs(service, slos, policies)).toBe(summaryInputs({ ...service }, `${slos}`, new Map(policies)));
    expect(summaryInputs(service, slos, policies)).toMatch(/^[0-9a-f]{40}$/);
  });

  test.each([
    ['the service changed', { ...service, updatedAt: new Date('2026-12-07T10:00:00.001Z') }, slos, policies],
    ['another service', { ...service, id: '6f1c1a52-0000-4000-8000-000000000002' }, slos, policies],
    ['an SLO changed', service, '6f1c1a52-0000-4000-8000-00000000000a@1796632800001', policies],
    ['an SLO added', service, `${slos},6f1c1a52-0000-4000-8000-00000000000b@1796632800000`, policies],
    ['its SLOs deleted', service, '', policies],
    ['the default policy changed', service, slos, new Map([['default', new Date('2026-12-02T00:00:00.000Z')]])],
    ['the default policy deleted', service, slos, new Map<string, Date>()],
    ['a policy of its own', service, slos, new Map([...policies, [service.id, new Date('2026-12-03T00:00:00.000Z')]])],
  ])('%s: another fingerprint', (_case, changedService, changedSlos, changedPolicies) => {
    expect(summaryInputs(changedService, changedSlos, changedPolicies)).not.toBe(summaryInputs(service, slos, policies));
  });
});
