import { feedRefusal, isRestricted, resourceAllowed, SERVICE_NAME, type IngestBinding } from '../../auth/ingest-binding';
import type { IndexedSlo } from './otel-slo-index';

/** What the plan asks of a token's binding: nothing for a token that may feed anything (as before bindings). */
export function bindingOptions(binding: IngestBinding) {
  if (!isRestricted(binding)) return {};
  // One answer per SLO and service.name per request: refusals are built once, not per metric.
  const answers = new Map<string, string | null>();
  return {
    seriesKey: binding.seriesKey,
    mayFeed: (slo: IndexedSlo, resource: Readonly<Record<string, string>>) => {
      const serviceName = resource[SERVICE_NAME];
      const key = `${slo.sloId}\u0000${serviceName ?? '\u0001'}`;
      let answer = answers.get(key);
      if (answer === undefined) answers.set(key, (answer = feedRefusal(binding, slo.fed, serviceName)));
      return answer;
    },
    catalogResource:
      binding.serviceNames === null ? undefined : (resource: Readonly<Record<string, string>>) => resourceAllowed(binding, resource[SERVICE_NAME]),
  };
}
