import { z } from 'zod';

/**
 * Zod schemas of the OpenSLO v1 documents (github.com/OpenSLO/OpenSLO, README "v1"). They check the spec itself;
 * what Umpire can represent is checked later, by toUmpire, so a valid file Umpire cannot take gets a refusal that
 * says why rather than a schema error.
 */

/** RFC 1123 label, as the spec asks of metadata.name: lowercase alphanumerics and '-', at most 63. */
export const OpenSloName = z
  .string({ error: 'must be a string' })
  .min(1, 'is required')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be an RFC 1123 label: lowercase letters, digits and -, starting and ending with a letter or digit');

/** A duration as OpenSLO writes them: a whole number and a unit, e.g. 30s, 5m, 1h, 28d, 1w, 1M, 1Q, 1Y. */
export const OpenSloDuration = z
  .string({ error: 'must be a duration such as 5m, 1h or 28d' })
  .regex(/^[0-9]{1,6}[smhdwMQY]$/, 'must be a duration such as 5m, 1h or 28d');

export const Metadata = z.object(
  {
    name: OpenSloName,
    displayName: z.string({ error: 'must be a string' }).max(1000, 'must be at most 1000 characters').optional(),
    labels: z.record(z.string(), z.union([z.string(), z.array(z.string())]), { error: 'must be a map of strings' }).optional(),
    annotations: z.record(z.string(), z.string({ error: 'must be a string' }), { error: 'must be a map of strings' }).optional(),
  },
  { error: 'is required' },
);
export type Metadata = z.infer<typeof Metadata>;

const description = z.string({ error: 'must be a string' }).max(1050, 'must be at most 1050 characters (OpenSLO v1)').optional();

export const MetricSource = z
  .strictObject({
    metricSourceRef: OpenSloName.optional(),
    type: z.string({ error: 'must be a string' }).min(1, 'is required').optional(),
    spec: z.record(z.string(), z.unknown(), { error: 'must be a map' }),
  })
  .refine((source) => source.metricSourceRef !== undefined || source.type !== undefined, {
    message: 'needs metricSourceRef or type',
    path: ['type'],
  });
export type MetricSource = z.infer<typeof MetricSource>;

const Metric = z.strictObject({ metricSource: MetricSource }, { error: 'must be an object with metricSource' });

export const RatioMetric = z
  .strictObject({
    counter: z.boolean({ error: 'must be true or false' }).optional(),
    good: Metric.optional(),
    bad: Metric.optional(),
    total: Metric.optional(),
    rawType: z.enum(['success', 'failure'], { error: 'must be success or failure' }).optional(),
    raw: Metric.optional(),
  })
  .superRefine((ratio, ctx) => {
    if (ratio.raw !== undefined) {
      if (ratio.rawType === undefined) ctx.addIssue({ code: 'custom', message: 'is required with raw', path: ['rawType'] });
      if (ratio.good || ratio.bad || ratio.total) ctx.addIssue({ code: 'custom', message: 'raw excludes good, bad and total', path: ['raw'] });
      return;
    }
    if (ratio.good !== undefined && ratio.bad !== undefined) ctx.addIssue({ code: 'custom', message: 'give good or bad, not both', path: ['bad'] });
    if (ratio.good === undefined && ratio.bad === undefined) ctx.addIssue({ code: 'custom', message: 'needs good or bad', path: ['good'] });
    if (ratio.total === undefined) ctx.addIssue({ code: 'custom', message: 'is required', path: ['total'] });
  });

export const SliSpec = z
  .strictObject({ description, thresholdMetric: Metric.optional(), ratioMetric: RatioMetric.optional() }, { error: 'is required' })
  .refine((sli) => (sli.thresholdMetric === undefined) !== (sli.ratioMetric === undefined), {
    message: 'needs exactly one of thresholdMetric and ratioMetric',
    path: ['ratioMetric'],
  });
export type SliSpec = z.infer<typeof SliSpec>;

export const InlineSli = z.strictObject({ metadata: Metadata, spec: SliSpec });
export type InlineSli = z.infer<typeof InlineSli>;

export const TimeWindow = z
  .strictObject({
    duration: OpenSloDuration,
    isRolling: z.boolean({ error: 'must be true or false' }).optional(),
    calendar: z
      .strictObject({
        startTime: z
          .string({ error: 'must be a date-time such as 2022-01-01 00:00:00' })
          .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/, 'must be a date-time such as 2022-01-01 00:00:00'),
        timeZone: z.string({ error: 'must be an IANA time zone' }).min(1, 'is required'),
      })
      .optional(),
  })
  .refine((window) => (window.isRolling === true) !== (window.calendar !== undefined), {
    message: 'give isRolling: true or a calendar, not both and not neither',
    path: ['isRolling'],
  });
export type TimeWindow = z.infer<typeof TimeWindow>;

export const Objective = z
  .strictObject({
    displayName: z.string({ error: 'must be a string' }).optional(),
    op: z.enum(['lt', 'lte', 'gt', 'gte'], { error: 'must be lt, lte, gt or gte' }).optional(),
    value: z.number({ error: 'must be a number' }).optional(),
    target: z
      .number({ error: 'must be a number between 0 and 1' })
      .min(0, 'must be a number between 0 and 1')
      .lt(1, 'must be a number between 0 and 1')
      .optional(),
    targetPercent: z
      .number({ error: 'must be a number between 0 and 100' })
      .min(0, 'must be a number between 0 and 100')
      .lt(100, 'must be a number between 0 and 100')
      .optional(),
    timeSliceTarget: z
      .number({ error: 'must be a number between 0 and 1' })
      .gt(0, 'must be a number between 0 and 1')
      .max(1, 'must be a number between 0 and 1')
      .optional(),
    timeSliceWindow: z.union([z.number({ error: 'must be a duration' }), OpenSloDuration]).optional(),
    indicator: InlineSli.optional(),
    indicatorRef: OpenSloName.optional(),
    compositeWeight: z.number({ error: 'must be a number' }).positive('must be above 0').optional(),
  })
  .refine((objective) => (objective.target === undefined) !== (objective.targetPercent === undefined), {
    message: 'needs exactly one of target and targetPercent',
    path: ['target'],
  });
export type Objective = z.infer<typeof Objective>;

export const BurnRateCondition = z.strictObject({
  kind: z.literal('burnrate', { error: 'must be burnrate' }),
  op: z.enum(['lt', 'lte', 'gt', 'gte'], { error: 'must be lt, lte, gt or gte' }),
  threshold: z.number({ error: 'must be a number' }),
  lookbackWindow: OpenSloDuration,
  alertAfter: OpenSloDuration,
});

export const AlertConditionSpec = z.strictObject({
  description,
  severity: z.string({ error: 'must be a string' }).min(1, 'is required'),
  condition: BurnRateCondition,
});
export type AlertConditionSpec = z.infer<typeof AlertConditionSpec>;

export const AlertNotificationTargetSpec = z.strictObject({
  description,
  target: z.string({ error: 'must be a string' }).min(1, 'is required'),
});

const InlineAlertCondition = z.strictObject({ kind: z.literal('AlertCondition'), metadata: Metadata, spec: AlertConditionSpec });
const InlineNotificationTarget = z.strictObject({ kind: z.literal('AlertNotificationTarget'), metadata: Metadata, spec: AlertNotificationTargetSpec });

export const AlertPolicySpec = z.strictObject({
  description,
  alertWhenNoData: z.boolean({ error: 'must be true or false' }).optional(),
  alertWhenResolved: z.boolean({ error: 'must be true or false' }).optional(),
  alertWhenBreaching: z.boolean({ error: 'must be true or false' }).optional(),
  // The v1 spec allows one condition per policy.
  conditions: z
    .array(z.union([z.strictObject({ conditionRef: OpenSloName }), InlineAlertCondition], { error: 'must be a conditionRef or an inline AlertCondition' }), {
      error: 'must be a list',
    })
    .length(1, 'must hold exactly one condition'),
  notificationTargets: z
    .array(
      z.union([z.strictObject({ targetRef: OpenSloName }), InlineNotificationTarget], { error: 'must be a targetRef or an inline AlertNotificationTarget' }),
    )
    .optional(),
});
export type AlertPolicySpec = z.infer<typeof AlertPolicySpec>;

const InlineAlertPolicy = z.strictObject({ kind: z.literal('AlertPolicy'), metadata: Metadata, spec: AlertPolicySpec });

export const SloSpec = z
  .strictObject({
    description,
    service: OpenSloName,
    indicator: InlineSli.optional(),
    indicatorRef: OpenSloName.optional(),
    timeWindow: z.array(TimeWindow, { error: 'must be a list of one time window' }).length(1, 'must hold exactly one time window'),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices'], { error: 'must be Occurrences, Timeslices or RatioTimeslices' }),
    objectives: z.array(Objective, { error: 'must be a list' }).min(1, 'needs at least one objective'),
    alertPolicies: z
      .array(z.union([z.strictObject({ alertPolicyRef: OpenSloName }), InlineAlertPolicy], { error: 'must be an alertPolicyRef or an inline AlertPolicy' }))
      .optional(),
  })
  .superRefine((slo, ctx) => {
    const composite = slo.objectives.every((objective) => objective.indicator !== undefined || objective.indicatorRef !== undefined);
    if (slo.indicator !== undefined && slo.indicatorRef !== undefined)
      ctx.addIssue({ code: 'custom', message: 'give indicator or indicatorRef, not both', path: ['indicatorRef'] });
    if (slo.indicator === undefined && slo.indicatorRef === undefined && !composite)
      ctx.addIssue({ code: 'custom', message: 'needs indicator or indicatorRef', path: ['indicator'] });
    if (slo.budgetingMethod !== 'Occurrences') {
      slo.objectives.forEach((objective, i) => {
        if (objective.timeSliceTarget === undefined)
          ctx.addIssue({ code: 'custom', message: `is required with ${slo.budgetingMethod}`, path: ['objectives', i, 'timeSliceTarget'] });
        if (objective.timeSliceWindow === undefined)
          ctx.addIssue({ code: 'custom', message: `is required with ${slo.budgetingMethod}`, path: ['objectives', i, 'timeSliceWindow'] });
      });
    }
  });
export type SloSpec = z.infer<typeof SloSpec>;

export const ServiceSpec = z.strictObject({ description }).default({});
export const DataSourceSpec = z.strictObject({
  description,
  type: z.string({ error: 'must be a string' }).min(1, 'is required'),
  connectionDetails: z.record(z.string(), z.unknown(), { error: 'must be a map' }),
});

/** Each kind's spec schema; a kind not listed here is refused. */
export const SPEC_BY_KIND = {
  Service: ServiceSpec,
  SLO: SloSpec,
  SLI: SliSpec,
  DataSource: DataSourceSpec,
  AlertPolicy: AlertPolicySpec,
  AlertCondition: AlertConditionSpec,
  AlertNotificationTarget: AlertNotificationTargetSpec,
} as const;
export type OpenSloKind = keyof typeof SPEC_BY_KIND;

export type OpenSloDocument =
  | { kind: 'Service'; metadata: Metadata; spec: z.infer<typeof ServiceSpec>; at: DocumentAt }
  | { kind: 'SLO'; metadata: Metadata; spec: SloSpec; at: DocumentAt }
  | { kind: 'SLI'; metadata: Metadata; spec: SliSpec; at: DocumentAt }
  | { kind: 'DataSource'; metadata: Metadata; spec: z.infer<typeof DataSourceSpec>; at: DocumentAt }
  | { kind: 'AlertPolicy'; metadata: Metadata; spec: AlertPolicySpec; at: DocumentAt }
  | { kind: 'AlertCondition'; metadata: Metadata; spec: AlertConditionSpec; at: DocumentAt }
  | { kind: 'AlertNotificationTarget'; metadata: Metadata; spec: z.infer<typeof AlertNotificationTargetSpec>; at: DocumentAt };

/** Where a document came from, for messages: its file and its 1-based position in that file. */
export interface DocumentAt {
  file: string;
  index: number;
}
