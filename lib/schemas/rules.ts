import { z } from 'zod';

/** The files GET .../rules answers with (docs/prometheus-rules.md). */
export const RulesFormat = z.enum(['prometheus', 'operator', 'tests'], { error: 'must be prometheus, operator or tests' });
export type RulesFormat = z.infer<typeof RulesFormat>;

/** Query of GET /api/v1/rules, /api/v1/services/{service}/rules and .../slos/{slo}/rules. */
export const RulesQuery = z.object({ format: RulesFormat.default('prometheus') });
export type RulesQuery = z.output<typeof RulesQuery>;
