import type { GeneratedRules } from '../use-cases/slos/prometheus-rules';

/**
 * Generated rules as application/yaml. The tiers that can never fire are also in a header (slugs and alert names
 * only, so always ASCII), for a client that wants them without parsing YAML comments.
 */
export function rulesResponse(rules: GeneratedRules): Response {
  const headers = new Headers({ 'content-type': 'application/yaml; charset=utf-8' });
  if (rules.neverFiring.length > 0) headers.set('umpire-never-firing-tiers', rules.neverFiring.join(', '));
  return new Response(rules.yaml, { status: 200, headers });
}
