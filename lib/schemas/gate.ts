import { z } from 'zod';
import { Duration, HttpUrl } from './common';
import { Severity } from './slo';

/** What a gate answers: the verdict is the answer, never an HTTP error. */
export const Verdict = z.enum(['pass', 'warn', 'fail']);
export type Verdict = z.infer<typeof Verdict>;

/** What a rule makes of an SLO that breaks it. */
export const RuleVerdict = z.enum(['warn', 'fail'], { error: 'must be warn or fail' });

/**
 * In the organisation's default policy only: the rule applies to every service's gate whatever the service's own
 * policy says (the organisation's floor); a service policy can add stricter rules, never remove it.
 */
const Mandatory = z.boolean({ error: 'must be true or false' }).optional();

/**
 * One rule of an error-budget policy, checked against every counted SLO:
 * - budget_remaining: the SLO's remaining error budget (a fraction: 0 = spent, 0.25 = a quarter left) is below `below`;
 * - alert_firing: a burn-rate alert of this severity is firing;
 * - burn_rate: the burn rate over `window` is above `above`.
 */
export const PolicyRule = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('budget_remaining'),
      below: z.number({ error: 'must be a fraction, e.g. 0.25' }).min(-10, 'must be at least -10').max(1, 'must be at most 1 (100%)'),
      verdict: RuleVerdict,
      mandatory: Mandatory,
    }),
    z.strictObject({ kind: z.literal('alert_firing'), severity: Severity, verdict: RuleVerdict, mandatory: Mandatory }),
    z.strictObject({
      kind: z.literal('burn_rate'),
      window: Duration,
      above: z.number({ error: 'must be a number' }).positive('must be above 0').max(10_000, 'must be at most 10000'),
      verdict: RuleVerdict,
      mandatory: Mandatory,
    }),
  ],
  { error: 'kind must be budget_remaining, alert_firing or burn_rate' },
);
export type PolicyRule = z.infer<typeof PolicyRule>;

/** Which SLOs a policy counts: all of the service's, or those with all these labels, and/or of these service tiers. */
export const SloSelector = z.strictObject({
  labels: z.record(z.string(), z.string().max(200)).default({}),
  /** Service tiers the policy applies to (the org default may hold tier-1 services only); empty: every tier. */
  serviceTiers: z.array(z.number().int().min(1).max(4), { error: 'must be a list of tiers 1-4' }).max(4).default([]),
});
export type SloSelector = z.infer<typeof SloSelector>;

/** What the gate does when a counted SLO's data is stale or missing: fail-closed by default. */
export const DataPolicy = z.enum(['fail', 'warn', 'pass'], { error: 'must be fail, warn or pass' });
export type DataPolicy = z.infer<typeof DataPolicy>;

/**
 * What the gate makes of provisional figures (a window only partly measured): evaluate them as if complete, let them
 * warn but not fail (the default), or fail. A budget over fewer events than the SLO's minEvents is never judged.
 */
export const PartialDataPolicy = z.enum(['evaluate', 'warn', 'fail'], { error: 'must be evaluate, warn or fail' });

/** Body of PUT /api/v1/policies/default and PUT /api/v1/services/{service}/policy. */
export const PolicyInput = z.strictObject({
  slos: SloSelector.default({ labels: {}, serviceTiers: [] }),
  rules: z.array(PolicyRule, { error: 'must be a list of rules' }).max(20, 'at most 20 rules').default([]),
  onMissingData: DataPolicy.default('fail'),
  onPartialData: PartialDataPolicy.default('warn'),
  /**
   * In the organisation's default policy only: its onMissingData is a floor, so no service's gate treats missing or
   * stale data more leniently (a service policy asking for less is refused; the stricter of the two applies).
   */
  missingDataMandatory: z.boolean({ error: 'must be true or false' }).default(false),
});
export type PolicyInput = z.infer<typeof PolicyInput>;

/** What the organisation's default policy imposes on every service (its mandatory rules and missing-data floor). */
export const PolicyFloor = z.object({
  slos: SloSelector,
  rules: z.array(PolicyRule),
  /** The least strict onMissingData a service may have; null when the default sets none. */
  onMissingData: DataPolicy.nullable(),
});
export type PolicyFloor = z.infer<typeof PolicyFloor>;
export type PolicyInputDraft = z.input<typeof PolicyInput>;

/** Umpire's built-in policy, used when neither the service nor the organisation has one. */
export const BUILTIN_POLICY: PolicyInput = {
  slos: { labels: {}, serviceTiers: [] },
  rules: [
    { kind: 'budget_remaining', below: 0, verdict: 'fail' },
    { kind: 'alert_firing', severity: 'page', verdict: 'fail' },
    { kind: 'budget_remaining', below: 0.25, verdict: 'warn' },
    { kind: 'alert_firing', severity: 'ticket', verdict: 'warn' },
  ],
  onMissingData: 'fail',
  onPartialData: 'warn',
  missingDataMandatory: false,
};

/** A policy as the API returns it: where it comes from, and when it last changed. */
export const Policy = PolicyInput.extend({
  source: z.enum(['service', 'default', 'builtin']),
  updatedAt: z.iso.datetime().nullable(),
  /** A service's own policy: the organisation's floor that applies with it (absent otherwise). */
  floor: PolicyFloor.optional(),
});
export type Policy = z.infer<typeof Policy>;

/** Body of POST /api/v1/services/{service}/gate. */
export const GateRequest = z.strictObject({
  version: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  environment: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters').default('production'),
  commit: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  pipelineUrl: HttpUrl.optional(),
});
export type GateRequest = z.infer<typeof GateRequest>;

export const GateReason = z.object({
  slo: z.string(),
  /** e.g. "budget_remaining < 0", "alert_firing page", "data stale". */
  rule: z.string(),
  verdict: RuleVerdict,
  /** What was seen (a number, a list of firing tiers, a data state). */
  observed: z.union([z.number(), z.string(), z.null()]),
  threshold: z.union([z.number(), z.string(), z.null()]),
  /** observed and threshold as Umpire writes them (lib/slo/format.ts), for clients that print them (the CLI). */
  observedText: z.string().nullable().optional(),
  thresholdText: z.string().nullable().optional(),
  /** The rule is the organisation's mandatory one (its floor), not the service's own. */
  mandatory: z.boolean().optional(),
  message: z.string(),
});
export type GateReason = z.infer<typeof GateReason>;

/** Where the gate's data stood: ok, or the worst of the counted SLOs (stale: not evaluated lately; missing: no data). */
export const GateDataState = z.enum(['ok', 'partial', 'stale', 'missing', 'no_slos']);
export type GateDataState = z.infer<typeof GateDataState>;

export const GateOverrideView = z.object({
  id: z.uuid(),
  service: z.string(),
  version: z.string(),
  environment: z.string().nullable(),
  reason: z.string(),
  /** Who let it through, as signed in (a username, or a token's name). */
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type GateOverrideView = z.infer<typeof GateOverrideView>;

/** The answer to a gate request, also what GET .../gate/evaluations lists. */
export const GateEvaluation = z.object({
  id: z.uuid(),
  service: z.string(),
  version: z.string(),
  environment: z.string(),
  commit: z.string().nullable(),
  pipelineUrl: z.string().nullable(),
  verdict: Verdict,
  /** The policy's verdict before an override let the release through; equal to verdict otherwise. */
  policyVerdict: Verdict,
  reasons: z.array(GateReason),
  /** Each counted SLO as the gate saw it. */
  slos: z.array(
    z.object({
      slo: z.string(),
      name: z.string(),
      budgetRemaining: z.number().nullable(),
      firing: z.array(z.string()),
      dataState: z.string(),
      /** Why its figures are provisional, or null (absent in evaluations stored before it was kept). */
      provisional: z.string().nullable().optional(),
      /** The minute its figures are as of (absent in evaluations stored before it was kept). */
      asOf: z.iso.datetime().optional(),
    }),
  ),
  policy: Policy,
  override: GateOverrideView.nullable(),
  evaluatedAt: z.iso.datetime(),
  /**
   * The minute the verdict's figures are as of (the least recent of its SLOs'); GET .../status?at= with it shows
   * what the gate saw. Null for evaluations stored before it was kept.
   */
  asOf: z.iso.datetime().nullable(),
  dataState: GateDataState,
});
export type GateEvaluation = z.infer<typeof GateEvaluation>;

/** Body of POST /api/v1/services/{service}/gate/overrides. */
export const GateOverrideInput = z.strictObject({
  version: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
  /** Absent: any environment. */
  environment: z.string().trim().min(1).max(100).optional(),
  reason: z.string({ error: 'is required' }).trim().min(10, 'must say why, in at least 10 characters').max(2000),
  /** Who lets it through is whoever asks: the signed-in user or the token's name. */
  expiresInHours: z.number().int().min(1, 'must be 1 to 168 hours').max(168, 'must be 1 to 168 hours').default(24),
});
export type GateOverrideInput = z.infer<typeof GateOverrideInput>;

/** Body of POST /api/v1/deployments. */
export const DeploymentInput = z.strictObject({
  service: z.string({ error: 'is required' }).min(1, 'is required'),
  version: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
  environment: z.string().trim().min(1).max(100).default('production'),
  startedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  finishedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  commit: z.string().trim().max(100).optional(),
  url: HttpUrl.optional(),
});
export type DeploymentInput = z.infer<typeof DeploymentInput>;

/** What a deploy did to one SLO's budget: the window after it against the same length before it. */
export const DeployImpact = z.object({
  slo: z.string(),
  name: z.string(),
  /** Fractions of the SLO period's budget (0.031 = 3.1%); null without events. */
  burnedAfter: z.number().nullable(),
  burnedBefore: z.number().nullable(),
  /** ok; burned_more: clearly faster after than before; pending: the window after has not ended; no_data. */
  verdict: z.enum(['ok', 'burned_more', 'pending', 'no_data']),
  message: z.string(),
});
export type DeployImpact = z.infer<typeof DeployImpact>;

export const Deployment = z.object({
  id: z.uuid(),
  service: z.string(),
  version: z.string(),
  environment: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  commit: z.string().nullable(),
  url: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** The ledger window (after, and before, the deploy). */
  windowMinutes: z.number(),
  impact: z.array(DeployImpact),
});
export type Deployment = z.infer<typeof Deployment>;

/** Duration of the ledger window, default 1 hour. */
export const LEDGER_WINDOW: z.infer<typeof Duration> = '1h';

/** The gate as it would answer now, not stored: GET .../gate/status and POST .../policy/preview. */
export const GatePreview = GateEvaluation.pick({
  service: true,
  verdict: true,
  policyVerdict: true,
  reasons: true,
  slos: true,
  policy: true,
  evaluatedAt: true,
  asOf: true,
  dataState: true,
});
export type GatePreview = z.infer<typeof GatePreview>;

/** Query of GET .../gate/evaluations. */
export const GateEvaluationsQuery = z.object({
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 500').max(500, 'must be 1 to 500').default(50),
});

/** Query of GET /api/v1/services/{service}/deployments. */
export const DeploymentsQuery = z.object({
  from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
});
