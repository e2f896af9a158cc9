import { describe, expect, test } from 'vitest';
import { serviceQuotaBreach, sloQuotaBreach, type Quotas } from './quotas';

const quotas: Quotas = { services: 3, slosPerService: 2, slos: 5 };

describe('serviceQuotaBreach', () => {
  test.each([
    [0, null],
    [2, null],
    [3, 'services'],
    [40, 'services'], // already above (the limit was lowered): still no more
  ])('%d services -> %s', (services, want) => expect(serviceQuotaBreach(services, quotas)?.name ?? null).toBe(want));

  test('says the limit, the setting and what to do', () => {
    expect(serviceQuotaBreach(1000, { ...quotas, services: 1000 })).toEqual({
      name: 'services',
      limit: 1000,
      setting: 'UMPIRE_MAX_SERVICES',
      message:
        'Umpire holds 1,000 services, its limit is 1,000 services (UMPIRE_MAX_SERVICES): delete services no longer needed, or ask the operator to raise UMPIRE_MAX_SERVICES',
    });
  });
});

describe('sloQuotaBreach', () => {
  test.each([
    [0, 0, null],
    [1, 4, null],
    [2, 2, 'slos_per_service'],
    [1, 5, 'slos'],
    [2, 5, 'slos_per_service'], // the service's own limit is named first: it is the one a team can act on
    [0, 99, 'slos'],
  ])('%d of the service, %d in all -> %s', (ofService, all, want) =>
    expect(sloQuotaBreach({ service: 'checkout', ofService, all }, quotas)?.name ?? null).toBe(want),
  );

  test('says the limit, the setting and what to do', () => {
    expect(sloQuotaBreach({ service: 'checkout', ofService: 2, all: 2 }, quotas)).toMatchObject({
      limit: 2,
      setting: 'UMPIRE_MAX_SLOS_PER_SERVICE',
      message:
        'Service “checkout” has 2 SLOs, the most one service may have is 2 SLOs (UMPIRE_MAX_SLOS_PER_SERVICE): delete SLOs it no longer needs, or ask the operator to raise UMPIRE_MAX_SLOS_PER_SERVICE',
    });
    expect(sloQuotaBreach({ service: 'checkout', ofService: 0, all: 5 }, quotas)).toMatchObject({ limit: 5, setting: 'UMPIRE_MAX_SLOS' });
  });
});
