import { expect, test } from 'vitest';
import { selfServiceName } from './self-service-name';

test.each<[Record<string, string>, string]>([
  [{}, 'umpire'],
  [{ OTEL_SERVICE_NAME: 'umpire-staging' }, 'umpire-staging'],
  [{ OTEL_SERVICE_NAME: '  ' }, 'umpire'],
  [{ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=umpire%20eu' }, 'umpire eu'],
  [{ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes', OTEL_SERVICE_NAME: 'from-name' }, 'from-name'],
  [{ OTEL_RESOURCE_ATTRIBUTES: 'service.name=%zz' }, 'umpire'],
  [{ OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=x' }, 'umpire'],
])('selfServiceName(%j) = %s', (env, want) => {
  expect(selfServiceName(env)).toBe(want);
});
