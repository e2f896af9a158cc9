import { z } from 'zod';
import packageJson from '../../package.json';
import {
  ApiError,
  ConnectionTest,
  DataSource,
  DataSourceInput,
  DataSourcePatch,
  ServiceFilter,
  ServiceInput,
  ServicePatch,
  Service,
  ServiceSummary,
  Slo,
  SloInput,
  SloPatch,
  SloSeries,
  SloStatus,
  AlertEvent,
  SliPreviewRequest,
  SliPreviewResult,
  ApiToken,
  CreatedApiToken,
  OtelMetricList,
  SloFeeders,
  TokenInput,
  TokenPatch,
  PolicyInput,
  Policy,
  GateRequest,
  GateEvaluation,
  GatePreview,
  GateOverrideInput,
  GateOverrideView,
  DeploymentInput,
  Deployment,
  EmbedInput,
  EmbedLink,
  AuditPage,
  AuthConfig,
  CreatedUser,
  LoginInput,
  Me,
  PasswordChange,
  PasswordLinkInput,
  PasswordLinkView,
  SetupInput,
  User,
  UserInput,
  UserPatch,
  Channel,
  ChannelInput,
  ChannelPatch,
  ChannelTestResult,
  DeliveryPage,
  DeliveryQuery,
  Route,
  RouteInput,
  ServicePaging,
  Silence,
  SilenceInput,
} from '../schemas';

type Io = 'input' | 'output';

function schema(s: z.ZodType, io: Io): Record<string, unknown> {
  const json = z.toJSONSchema(s, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });

function errors(...statuses: number[]): Record<string, unknown> {
  const text: Record<number, string> = {
    400: 'Invalid input; `fields` names each failing field',
    404: 'No such service or SLO',
    409: 'The slug is already taken',
    413: 'Body larger than 1 MiB',
    415: 'Body is not application/json',
    422: 'Well-formed but cannot be carried out (e.g. a data-source URL that may not be requested, or code `quota_exceeded`: a quota is full, `quota` names it, its limit and the setting that raises it)',
    401: 'Not signed in, or the token is unknown, revoked or expired',
    403: 'Signed in, but not allowed to do this (role, team or token scope), or a CSRF check failed',
    429: 'Too many attempts; Retry-After says when to try again',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), { description: text[s], content: json('ApiError') }]));
}

const serviceParam = { name: 'service', in: 'path', required: true, schema: { type: 'string' }, description: 'Service slug' };
const datasourceParam = { name: 'datasource', in: 'path', required: true, schema: { type: 'string' }, description: 'Data source slug' };
const channelParam = { name: 'channel', in: 'path', required: true, schema: { type: 'string' }, description: 'Channel slug' };
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: `${what} id` });
const sloParam = { name: 'slo', in: 'path', required: true, schema: { type: 'string' }, description: 'SLO slug' };
const bodyErrors = [400, 413, 415];
const userParam = { name: 'user', in: 'path', required: true, schema: { type: 'string' }, description: 'Username' };
const publicAccess = { security: [] as unknown[] };

/** Query parameters from a query schema, each with its JSON schema. */
function queryParameters(query: z.ZodType): Array<Record<string, unknown>> {
  const properties = (schema(query, 'input') as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

/** OpenAPI 3.1, built from the same zod schemas the routes validate with, so the two cannot drift apart. */
/** GET .../rules: YAML generated from the SLOs (docs/prometheus-rules.md). */
/** The query of POST /api/v1/catalog/plan and /apply (lib/http/catalog-request.ts). */
const catalogParameters = [
  { name: 'file', in: 'query', required: false, schema: { type: 'string' }, description: 'the name of an application/yaml body, in messages' },
  {
    name: 'source',
    in: 'query',
    required: false,
    schema: { type: 'string' },
    description: 'the repository that manages what is applied, e.g. github.com/acme/slos',
  },
  { name: 'revision', in: 'query', required: false, schema: { type: 'string' }, description: 'the commit applied, kept in the audit trail' },
  { name: 'prune', in: 'query', required: false, schema: { type: 'boolean' }, description: 'delete what the source manages and the files no longer define' },
];

const catalogBody = {
  required: true,
  content: {
    'application/yaml': { schema: { type: 'string' } },
    'application/json': {
      schema: {
        type: 'object',
        properties: { files: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, text: { type: 'string' } } } } },
      },
    },
  },
};

const catalogRefusals = {
  '409': { description: '{error: {code: managed_elsewhere, errors}}: objects another source manages (or, without a source, hand edits refused)' },
  '413': { description: 'A file over 4 MiB, or a body over 8 MiB' },
  '415': { description: 'Neither application/yaml nor application/json' },
  '422': { description: '{error: {code: invalid_catalog, message, errors: string[]}}: every document and field refused; or quota_exceeded' },
};

function rulesOperation(summary: string): Record<string, unknown> {
  return {
    summary,
    parameters: [
      {
        name: 'format',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['prometheus', 'operator', 'tests'], default: 'prometheus' },
        description: 'prometheus: a rule file; operator: a PrometheusRule (monitoring.coreos.com/v1); tests: its `promtool test rules` file',
      },
    ],
    responses: {
      '200': {
        description: 'YAML; SLOs not sourced from Prometheus, and tiers that can never fire, are listed in its leading comment',
        headers: { 'umpire-never-firing-tiers': { schema: { type: 'string' }, description: 'service/slo/alert of each tier that can never fire' } },
        content: { 'application/yaml': { schema: { type: 'string' } } },
      },
      ...errors(400, 404),
    },
  };
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const filter = schema(ServiceFilter, 'input') as { properties: Record<string, unknown> };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Umpire API',
      version: packageJson.version,
      description:
        'Services, SLOs, error budgets and burn rates. Errors are `{ "error": { code, message, fields? } }`. Authenticate with an API token ' +
        '(`Authorization: Bearer umpire_...`: scopes read, write, gate, ingest, admin) or, from a browser, the session cookie plus the ' +
        '`X-CSRF-Token` header on changes. 401: no or bad credentials; 403: not allowed (role, team, scope).',
    },
    security: [{ bearerToken: [] }, { session: [] }],
    paths: {
      '/api/v1/services': {
        get: {
          summary: 'List services with their worst SLO, sorted with the services in trouble first',
          description:
            'The answer is shared for UMPIRE_OVERVIEW_CACHE_SECONDS and carries an ETag: a poller sending it back in If-None-Match gets 304 while the list is unchanged.',
          parameters: [
            ...Object.entries(filter.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })),
            { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'Services',
              headers: { ETag: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { type: 'object', properties: { services: { type: 'array', items: ref('ServiceSummary') } } } } },
            },
            '304': { description: 'Not modified: the list is as the ETag sent names it' },
            ...errors(400),
          },
        },
        post: {
          summary: 'Register a service',
          requestBody: { required: true, content: json('ServiceInput') },
          responses: { '201': { description: 'Created', content: json('Service') }, ...errors(...bodyErrors, 409, 422) },
        },
      },
      '/api/v1/services/{service}': {
        parameters: [serviceParam],
        get: { summary: 'Get a service', responses: { '200': { description: 'The service', content: json('Service') }, ...errors(404) } },
        patch: {
          summary: 'Change a service',
          requestBody: { required: true, content: json('ServicePatch') },
          responses: { '200': { description: 'Updated', content: json('Service') }, ...errors(...bodyErrors, 404, 409) },
        },
        delete: { summary: 'Delete a service, its SLOs and their history', responses: { '204': { description: 'Deleted' }, ...errors(404) } },
      },
      '/api/v1/services/{service}/slos': {
        parameters: [serviceParam],
        get: {
          summary: "List a service's SLOs",
          responses: {
            '200': {
              description: 'SLOs',
              content: { 'application/json': { schema: { type: 'object', properties: { slos: { type: 'array', items: ref('Slo') } } } } },
            },
            ...errors(404),
          },
        },
        post: {
          summary: 'Define an SLO',
          requestBody: { required: true, content: json('SloInput') },
          responses: { '201': { description: 'Created', content: json('Slo') }, ...errors(...bodyErrors, 404, 409, 422) },
        },
      },
      '/api/v1/services/{service}/slos/{slo}': {
        parameters: [serviceParam, sloParam],
        get: { summary: 'Get an SLO', responses: { '200': { description: 'The SLO', content: json('Slo') }, ...errors(404) } },
        patch: {
          summary: 'Change an SLO',
          requestBody: { required: true, content: json('SloPatch') },
          responses: { '200': { description: 'Updated', content: json('Slo') }, ...errors(...bodyErrors, 404, 409) },
        },
        delete: { summary: 'Delete an SLO and its history', responses: { '204': { description: 'Deleted' }, ...errors(404) } },
      },
      '/api/v1/services/{service}/slos/{slo}/status': {
        parameters: [serviceParam, sloParam],
        get: {
          summary: 'SLI, error budget, burn rates and alert state as of the newest minute read, or as of `at`',
          parameters: [
            {
              name: 'at',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: 'RFC 3339 time (or Unix seconds): the status as of that minute, from stored buckets (what a gate evaluation saw: its asOf)',
            },
          ],
          responses: { '200': { description: 'Status', content: json('SloStatus') }, ...errors(400, 404) },
        },
      },
      '/api/v1/services/{service}/slos/{slo}/rules': {
        parameters: [serviceParam, sloParam],
        get: rulesOperation("The SLO's Prometheus recording and alerting rules, as a PrometheusRule, or their promtool tests"),
      },
      '/api/v1/services/{service}/rules': {
        parameters: [serviceParam],
        get: rulesOperation("Prometheus rules of the service's Prometheus-sourced SLOs, one group per SLO"),
      },
      '/api/v1/rules': {
        get: rulesOperation('Prometheus rules of every Prometheus-sourced SLO, one group per SLO'),
      },
      '/api/v1/openslo': {
        get: {
          summary: 'The catalogue as OpenSLO v1 YAML: every service, a team (`team`) or one service (`service`); Umpire-only fields in umpire.dev/ annotations',
          parameters: [
            { name: 'team', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'service', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'OpenSLO v1 documents', content: { 'application/yaml': { schema: { type: 'string' } } } }, ...errors(400) },
        },
      },
      '/api/v1/openslo/plan': {
        post: {
          summary: 'What applying OpenSLO v1 documents would create or change, field by field; nothing is written',
          parameters: [{ name: 'file', in: 'query', required: false, schema: { type: 'string' }, description: 'the file name messages give' }],
          requestBody: { required: true, content: { 'application/yaml': { schema: { type: 'string' } } } },
          responses: {
            '200': { description: '{steps: [{kind, name, action: create|change|unchanged, fields}]}' },
            '413': { description: 'The file is too large' },
            '415': { description: 'Not application/yaml' },
            '422': { description: '{error: {code: invalid_openslo, message, errors: string[]}}: every document and field Umpire refuses' },
            ...errors(),
          },
        },
      },
      '/api/v1/catalog/plan': {
        post: {
          summary:
            'What applying OpenSLO v1 and Backstage catalog-info.yaml files would create, change (field by field, both values) or, with prune and source, delete; nothing is written',
          parameters: catalogParameters,
          requestBody: catalogBody,
          responses: {
            '200': { description: '{steps: [{kind, name, action: create|change|unchanged|delete, fields, changes: [{field, from, to}], file}], skipped}' },
            ...catalogRefusals,
            ...errors(),
          },
        },
      },
      '/api/v1/catalog/apply': {
        post: {
          summary:
            'Applies OpenSLO v1 and Backstage catalog-info.yaml files in one transaction (all or nothing), audited with the source and revision; objects applied with a source are managed by it (docs/gitops.md)',
          parameters: [
            ...catalogParameters,
            { name: 'dryRun', in: 'query', required: false, schema: { type: 'boolean' }, description: 'carry it out and roll it back' },
          ],
          requestBody: catalogBody,
          responses: {
            '200': { description: '{steps, skipped, applied: whether anything changed, dryRun}' },
            ...catalogRefusals,
            ...errors(403),
          },
        },
      },
      '/api/v1/services/{service}/slos/{slo}/alerts': {
        parameters: [serviceParam, sloParam],
        get: {
          summary: "The SLO's alert events (burn-rate tiers, data absent, budget low), newest first: its alert timeline",
          responses: { '200': { description: '{alerts: AlertEvent[]}', content: json('AlertList') }, ...errors(404) },
        },
      },
      '/api/v1/alerts': {
        get: {
          summary: 'Alert events across every service; `state=firing` is what fires now (default `open`: pending or firing)',
          parameters: [
            { name: 'state', in: 'query', required: false, schema: { type: 'string', enum: ['firing', 'pending', 'resolved', 'open', 'all'] } },
            { name: 'service', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'team', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
          ],
          responses: { '200': { description: '{alerts: AlertEvent[]}', content: json('AlertList') }, ...errors(400, 404) },
        },
      },
      '/api/v1/services/{service}/slos/{slo}/series': {
        parameters: [serviceParam, sloParam],
        get: {
          summary: 'SLI, budget remaining and burn rates over time, for charts',
          parameters: [
            { name: 'from', in: 'query', required: true, schema: { type: 'string' }, description: 'ISO 8601 time or Unix seconds' },
            { name: 'to', in: 'query', required: true, schema: { type: 'string' }, description: 'ISO 8601 time or Unix seconds' },
            { name: 'step', in: 'query', required: true, schema: { type: 'string' }, description: 'Seconds (300) or a duration (5m); whole minutes' },
          ],
          responses: { '200': { description: 'Series', content: json('SloSeries') }, ...errors(400, 404) },
        },
      },
      '/api/v1/services/{service}/slos/{slo}/feeders': {
        parameters: [serviceParam, sloParam],
        get: {
          summary:
            'OpenTelemetry SLOs: the ingest tokens that fed it in the last 7 days (points counted, last time) and those refused for it (points, the reason); empty for other sources',
          responses: { '200': { description: 'Feeders', content: json('SloFeeders') }, ...errors(404) },
        },
      },
      '/api/v1/sli/preview': {
        post: {
          summary: 'Run an SLI before saving it: last hour, last day, 24-hour sparkline, or the backend error verbatim',
          requestBody: { required: true, content: json('SliPreviewRequest') },
          responses: { '200': { description: 'Preview, or ok: false with the error', content: json('SliPreviewResult') }, ...errors(...bodyErrors) },
        },
      },
      '/api/v1/services/{service}/slos/{slo}/backfill': {
        parameters: [serviceParam, sloParam],
        post: {
          summary: 'Re-read the SLO history (90 days) from its source in the background; its figures stay whole meanwhile',
          responses: { '202': { description: 'Accepted; progress shows in the status' }, ...errors(404) },
        },
      },
      '/api/v1/datasources': {
        get: {
          summary: 'List data sources (credentials are never returned)',
          responses: {
            '200': {
              description: 'Data sources',
              content: { 'application/json': { schema: { type: 'object', properties: { datasources: { type: 'array', items: ref('DataSource') } } } } },
            },
          },
        },
        post: {
          summary: 'Register a Prometheus-compatible backend',
          requestBody: { required: true, content: json('DataSourceInput') },
          responses: { '201': { description: 'Created', content: json('DataSource') }, ...errors(...bodyErrors, 409, 422) },
        },
      },
      '/api/v1/datasources/{datasource}': {
        parameters: [datasourceParam],
        get: { summary: 'Get a data source', responses: { '200': { description: 'The data source', content: json('DataSource') }, ...errors(404) } },
        patch: {
          summary: 'Change a data source; leaving out auth keeps the stored credentials',
          requestBody: { required: true, content: json('DataSourcePatch') },
          responses: { '200': { description: 'Updated', content: json('DataSource') }, ...errors(...bodyErrors, 404, 409, 422) },
        },
        delete: { summary: 'Delete a data source no SLO reads from', responses: { '204': { description: 'Deleted' }, ...errors(404, 409) } },
      },
      '/api/v1/datasources/{datasource}/test': {
        parameters: [datasourceParam],
        post: {
          summary: 'Test the connection: reachability, version, and the error verbatim on failure',
          responses: { '200': { description: 'Result (ok may be false)', content: json('ConnectionTest') }, ...errors(404) },
        },
      },
      '/api/v1/channels': {
        get: {
          summary: 'List notification channels with their settings (secrets are never returned; hasSecret says whether one is set)',
          responses: {
            '200': {
              description: 'Channels',
              content: { 'application/json': { schema: { type: 'object', properties: { channels: { type: 'array', items: ref('Channel') } } } } },
            },
          },
        },
        post: {
          summary: 'Add a notification channel (admin). `secret` is write-only; every URL passes the outbound guard',
          requestBody: { required: true, content: json('ChannelInput') },
          responses: { '201': { description: 'Created', content: json('Channel') }, ...errors(...bodyErrors, 403, 409, 422) },
        },
      },
      '/api/v1/channels/{channel}': {
        parameters: [channelParam],
        get: { summary: 'Get a channel', responses: { '200': { description: 'The channel', content: json('Channel') }, ...errors(404) } },
        patch: {
          summary: 'Change a channel (admin); leaving out secret keeps the stored one, unless the channel now sends to another host or is of another kind',
          requestBody: { required: true, content: json('ChannelPatch') },
          responses: { '200': { description: 'Updated', content: json('Channel') }, ...errors(...bodyErrors, 403, 404, 422) },
        },
        delete: { summary: 'Delete a channel no route sends to (admin)', responses: { '204': { description: 'Deleted' }, ...errors(403, 404, 409) } },
      },
      '/api/v1/channels/{channel}/test': {
        parameters: [channelParam],
        post: {
          summary: 'Send a test notification now (editors and admins); recorded in the delivery log as action test',
          responses: { '200': { description: 'How it went (ok may be false)', content: json('ChannelTestResult') }, ...errors(403, 404) },
        },
      },
      '/api/v1/channels/{channel}/deliveries': {
        parameters: [channelParam],
        get: {
          summary: 'The channel’s delivery log, newest first',
          parameters: queryParameters(DeliveryQuery),
          responses: {
            '200': { description: 'A page of deliveries; next is the cursor of the following page', content: json('DeliveryPage') },
            ...errors(400, 404),
          },
        },
      },
      '/api/v1/alerts/{id}/deliveries': {
        parameters: [idParam('Alert event')],
        get: {
          summary: 'What was sent about one alert event, to every channel, newest first',
          parameters: queryParameters(DeliveryQuery),
          responses: { '200': { description: 'A page of deliveries', content: json('DeliveryPage') }, ...errors(400, 404) },
        },
      },
      '/api/v1/routes': {
        get: {
          summary: 'List notification routes (which of a team’s alerts go to which channel)',
          parameters: [{ name: 'team', in: 'query', required: false, schema: { type: 'string' }, description: 'This team’s routes only' }],
          responses: {
            '200': {
              description: 'Routes',
              content: { 'application/json': { schema: { type: 'object', properties: { routes: { type: 'array', items: ref('Route') } } } } },
            },
          },
        },
        post: {
          summary: 'Route some of a team’s alerts to a channel (editors of the team, admins)',
          requestBody: { required: true, content: json('RouteInput') },
          responses: { '201': { description: 'Created', content: json('Route') }, ...errors(...bodyErrors, 403, 422) },
        },
      },
      '/api/v1/routes/{id}': {
        parameters: [idParam('Route')],
        delete: { summary: 'Delete a route (editors of its team, admins)', responses: { '204': { description: 'Deleted' }, ...errors(403, 404) } },
      },
      '/api/v1/silences': {
        get: {
          summary: 'List silences',
          parameters: [
            {
              name: 'active',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['true', 'false', 'all'], default: 'true' },
              description: 'true: holding now; false: past',
            },
          ],
          responses: {
            '200': {
              description: 'Silences',
              content: { 'application/json': { schema: { type: 'object', properties: { silences: { type: 'array', items: ref('Silence') } } } } },
            },
          },
        },
        post: {
          summary: 'Hold a team’s, a service’s or an SLO’s notifications until endsAt, saying why (editors of the team, admins)',
          requestBody: { required: true, content: json('SilenceInput') },
          responses: { '201': { description: 'Created', content: json('Silence') }, ...errors(...bodyErrors, 403, 422) },
        },
      },
      '/api/v1/silences/{id}': {
        parameters: [idParam('Silence')],
        delete: {
          summary: 'End a silence now (it stays among the past ones)',
          responses: { '200': { description: 'The ended silence', content: json('Silence') }, ...errors(403, 404, 409) },
        },
      },
      '/api/v1/services/{service}/paging': {
        parameters: [serviceParam],
        get: {
          summary: 'Who is paged: per severity and alert kind, the routes and channels that take this service’s alerts, and the silences holding them now',
          responses: { '200': { description: 'Paths and silences', content: json('ServicePaging') }, ...errors(404) },
        },
      },
      '/api/v1/otel/metrics': {
        get: {
          summary:
            'Metrics received over OTLP recently, with attribute values and histogram bounds (for defining OpenTelemetry SLIs): those SLOs read first, then each ingest token’s in turn, its most recent first',
          parameters: [
            { name: 'q', in: 'query', required: false, schema: { type: 'string' }, description: 'Names containing this, any case' },
            { name: 'name', in: 'query', required: false, schema: { type: 'string' }, description: 'This metric only' },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
              description: 'At most this many; `truncated` says when more match',
            },
          ],
          responses: { '200': { description: 'Metrics', content: json('OtelMetricList') }, ...errors(400) },
        },
      },
      '/api/v1/tokens': {
        get: {
          summary: 'List API tokens (never the tokens themselves)',
          responses: {
            '200': {
              description: 'Tokens',
              content: { 'application/json': { schema: { type: 'object', properties: { tokens: { type: 'array', items: ref('ApiToken') } } } } },
            },
          },
        },
        post: {
          summary: 'Create a token, e.g. an ingest token for OTLP exporters; the token is in this response only',
          requestBody: { required: true, content: json('TokenInput') },
          responses: { '201': { description: 'Created', content: json('CreatedApiToken') }, ...errors(...bodyErrors) },
        },
      },
      '/api/v1/tokens/{token}': {
        parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'Token id' }],
        patch: {
          summary:
            'Rename a token, or change its teams (service tokens) or the service.name values an ingest token may send; takes effect within 10 seconds everywhere',
          requestBody: { required: true, content: json('TokenPatch') },
          responses: { '200': { description: 'Updated', content: json('ApiToken') }, ...errors(...bodyErrors, 404, 422) },
        },
        delete: {
          summary: 'Revoke a token (takes effect within 10 seconds everywhere)',
          responses: { '200': { description: 'Revoked', content: json('ApiToken') }, ...errors(404) },
        },
      },
      '/api/v1/policies/default': {
        get: {
          summary: "The organisation's default error-budget policy (the built-in one when none is set)",
          responses: { '200': { description: 'Policy', content: json('Policy') } },
        },
        put: {
          summary: 'Set the organisation default policy',
          requestBody: { required: true, content: json('PolicyInput') },
          responses: { '200': { description: 'Saved', content: json('Policy') }, ...errors(...bodyErrors) },
        },
        delete: { summary: 'Go back to the built-in policy', responses: { '204': { description: 'Reset' } } },
      },
      '/api/v1/services/{service}/policy': {
        parameters: [serviceParam],
        get: {
          summary: 'The policy that gates the service (source: service, default or builtin)',
          responses: { '200': { description: 'Policy', content: json('Policy') }, ...errors(404) },
        },
        put: {
          summary: "Set the service's own policy",
          requestBody: { required: true, content: json('PolicyInput') },
          responses: { '200': { description: 'Saved', content: json('Policy') }, ...errors(...bodyErrors, 404) },
        },
        delete: { summary: 'The service goes back to the organisation default', responses: { '204': { description: 'Deleted' }, ...errors(404) } },
      },
      '/api/v1/services/{service}/policy/preview': {
        parameters: [serviceParam],
        post: {
          summary: 'What the gate would answer now under this policy (nothing stored)',
          requestBody: { required: true, content: json('PolicyInput') },
          responses: { '200': { description: 'Preview', content: json('GatePreview') }, ...errors(...bodyErrors, 404) },
        },
      },
      '/api/v1/services/{service}/gate': {
        parameters: [serviceParam],
        post: {
          summary: 'Release gate: may this version be released? 200 whatever the verdict; every evaluation is stored',
          requestBody: { required: true, content: json('GateRequest') },
          responses: { '200': { description: 'The verdict with its reasons', content: json('GateEvaluation') }, ...errors(...bodyErrors, 404) },
        },
      },
      '/api/v1/services/{service}/gate/status': {
        parameters: [serviceParam],
        get: {
          summary: 'The gate as it would answer now (nothing stored)',
          responses: { '200': { description: 'Preview', content: json('GatePreview') }, ...errors(404) },
        },
      },
      '/api/v1/services/{service}/gate/evaluations': {
        parameters: [serviceParam, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }],
        get: {
          summary: 'Gate evaluations, newest first',
          responses: {
            '200': {
              description: 'Evaluations',
              content: { 'application/json': { schema: { type: 'object', properties: { evaluations: { type: 'array', items: ref('GateEvaluation') } } } } },
            },
            ...errors(400, 404),
          },
        },
      },
      '/api/v1/services/{service}/gate/overrides': {
        parameters: [serviceParam],
        get: {
          summary: 'Overrides, newest first',
          responses: {
            '200': {
              description: 'Overrides',
              content: { 'application/json': { schema: { type: 'object', properties: { overrides: { type: 'array', items: ref('GateOverrideView') } } } } },
            },
            ...errors(404),
          },
        },
        post: {
          summary: 'Let one version through a failing gate, with a reason, until it expires',
          requestBody: { required: true, content: json('GateOverrideInput') },
          responses: { '201': { description: 'Created', content: json('GateOverrideView') }, ...errors(...bodyErrors, 404) },
        },
      },
      '/api/v1/services/{service}/deployments': {
        parameters: [
          serviceParam,
          { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
        ],
        get: {
          summary: "The service's deploys, newest first, each with its budget ledger",
          responses: {
            '200': {
              description: 'Deployments',
              content: { 'application/json': { schema: { type: 'object', properties: { deployments: { type: 'array', items: ref('Deployment') } } } } },
            },
            ...errors(400, 404),
          },
        },
      },
      '/api/v1/deployments': {
        post: {
          summary: 'Record a deploy (chart markers and the per-deploy budget ledger)',
          requestBody: { required: true, content: json('DeploymentInput') },
          responses: { '201': { description: 'Recorded', content: json('Deployment') }, ...errors(...bodyErrors, 404) },
        },
      },
      '/api/v1/deployments/{deployment}': {
        parameters: [{ name: 'deployment', in: 'path', required: true, schema: { type: 'string' }, description: 'Deployment id' }],
        get: {
          summary: 'A deploy and what it did to each SLO budget (the hour after against the hour before)',
          responses: { '200': { description: 'Deployment', content: json('Deployment') }, ...errors(404) },
        },
      },
      '/api/v1/embeds': {
        get: {
          summary: "A service's embed links (or one SLO's), with their URLs",
          parameters: [
            { name: 'service', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'slo', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'Embed links',
              content: { 'application/json': { schema: { type: 'object', properties: { embeds: { type: 'array', items: ref('EmbedLink') } } } } },
            },
            ...errors(400, 404),
          },
        },
        post: {
          summary: 'Create a signed, read-only embed link to one panel (burn_rate, budget, sli of an SLO; service summary)',
          requestBody: { required: true, content: json('EmbedInput') },
          responses: {
            '201': {
              description: 'Created; urls.page for an iframe, urls.svg/png/badge for images (append range, theme, width, height)',
              content: json('EmbedLink'),
            },
            ...errors(...bodyErrors, 404, 422),
          },
        },
      },
      '/api/v1/embeds/{embed}': {
        parameters: [{ name: 'embed', in: 'path', required: true, schema: { type: 'string' }, description: 'Embed link id' }],
        delete: {
          summary: 'Revoke an embed link: its page and images answer 404',
          responses: { '200': { description: 'Revoked', content: json('EmbedLink') }, ...errors(404) },
        },
      },
      '/api/v1/auth/login': {
        post: {
          ...publicAccess,
          summary: 'Sign in with username and password: sets the session cookie (a new session every time) and the CSRF cookie',
          requestBody: { required: true, content: json('LoginInput') },
          responses: {
            '200': { description: 'Signed in', content: { 'application/json': { schema: { type: 'object', properties: { user: ref('User') } } } } },
            ...errors(...bodyErrors, 401, 403, 429),
          },
        },
      },
      '/api/v1/auth/logout': {
        post: { ...publicAccess, summary: 'End this session and clear its cookies', responses: { '204': { description: 'Signed out' }, ...errors(403) } },
      },
      '/api/v1/auth/config': {
        get: {
          ...publicAccess,
          summary: 'What the sign-in page offers (password, single sign-on, anonymous reading, first-admin setup)',
          responses: { '200': { description: 'Sign-in options', content: json('AuthConfig') } },
        },
      },
      '/api/v1/auth/setup': {
        post: {
          ...publicAccess,
          summary: 'Create the first admin with the one-time setup link Umpire printed (only while there is no user); signs in',
          requestBody: { required: true, content: json('SetupInput') },
          responses: {
            '201': { description: 'Created and signed in', content: { 'application/json': { schema: { type: 'object', properties: { user: ref('User') } } } } },
            ...errors(...bodyErrors, 422),
          },
        },
      },
      '/api/v1/auth/password': {
        post: {
          ...publicAccess,
          summary: 'Set a password with an invitation or reset link (used once); signs in',
          requestBody: { required: true, content: json('PasswordLinkInput') },
          responses: {
            '200': {
              description: 'Password set, signed in',
              content: { 'application/json': { schema: { type: 'object', properties: { user: ref('User') } } } },
            },
            ...errors(...bodyErrors, 422),
          },
        },
      },
      '/api/v1/me': {
        get: {
          ...publicAccess,
          summary: 'Who this request acts as and what it may do (anonymous when nobody is signed in)',
          responses: { '200': { description: 'The caller', content: json('Me') } },
        },
      },
      '/api/v1/me/password': {
        post: {
          summary: 'Change your own password (signed in with a session); your other sessions end',
          requestBody: { required: true, content: json('PasswordChange') },
          responses: { '204': { description: 'Changed' }, ...errors(...bodyErrors, 401, 403, 422, 429) },
        },
      },
      '/api/v1/users': {
        get: {
          summary: 'List users (admins)',
          responses: {
            '200': {
              description: 'Users',
              content: { 'application/json': { schema: { type: 'object', properties: { users: { type: 'array', items: ref('User') } } } } },
            },
            ...errors(401, 403),
          },
        },
        post: {
          summary: 'Add a user (admins); without a password the answer has a one-time link for them to set one',
          requestBody: { required: true, content: json('UserInput') },
          responses: { '201': { description: 'Created', content: json('CreatedUser') }, ...errors(...bodyErrors, 401, 403, 409, 422) },
        },
      },
      '/api/v1/users/{user}': {
        parameters: [userParam],
        get: { summary: 'Get a user (admins)', responses: { '200': { description: 'The user', content: json('User') }, ...errors(401, 403, 404) } },
        patch: {
          summary: "Change a user's role, teams, name, email, or disable them (signs them out everywhere); admins",
          requestBody: { required: true, content: json('UserPatch') },
          responses: { '200': { description: 'Updated', content: json('User') }, ...errors(...bodyErrors, 401, 403, 404, 409) },
        },
      },
      '/api/v1/users/{user}/password-link': {
        parameters: [userParam],
        post: {
          summary: 'A new one-time link for the user to set their password (admins; replaces the previous link)',
          responses: { '201': { description: 'The link, shown once', content: json('PasswordLinkView') }, ...errors(401, 403, 404) },
        },
      },
      '/api/v1/audit': {
        get: {
          summary: 'The audit trail: who changed what and when, before and after; newest first, paged with nextCursor',
          parameters: ['service', 'slo', 'datasource', 'user', 'token', 'policy', 'type', 'actor', 'action', 'from', 'to', 'cursor', 'limit'].map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'string' },
          })),
          responses: { '200': { description: 'Events', content: json('AuditPage') }, ...errors(400, 401, 403) },
        },
      },
      '/api/health': {
        get: {
          ...publicAccess,
          summary: 'Version, database reachability and mode',
          responses: { '200': { description: 'Healthy' }, '503': { description: 'Database unreachable' } },
        },
      },
    },
    components: {
      schemas: {
        ServiceInput: schema(ServiceInput, 'input'),
        ServicePatch: schema(ServicePatch, 'input'),
        Service: schema(Service, 'output'),
        ServiceSummary: schema(ServiceSummary, 'output'),
        SloInput: schema(SloInput, 'input'),
        SloPatch: schema(SloPatch, 'input'),
        Slo: schema(Slo, 'output'),
        SloStatus: schema(SloStatus, 'output'),
        AlertList: schema(z.object({ alerts: z.array(AlertEvent) }), 'output'),
        SloSeries: schema(SloSeries, 'output'),
        SliPreviewRequest: schema(SliPreviewRequest, 'input'),
        SliPreviewResult: schema(SliPreviewResult, 'output'),
        DataSourceInput: schema(DataSourceInput, 'input'),
        DataSourcePatch: schema(DataSourcePatch, 'input'),
        DataSource: schema(DataSource, 'output'),
        ConnectionTest: schema(ConnectionTest, 'output'),
        OtelMetricList: schema(OtelMetricList, 'output'),
        SloFeeders: schema(SloFeeders, 'output'),
        TokenInput: schema(TokenInput, 'input'),
        TokenPatch: schema(TokenPatch, 'input'),
        ApiToken: schema(ApiToken, 'output'),
        CreatedApiToken: schema(CreatedApiToken, 'output'),
        PolicyInput: schema(PolicyInput, 'input'),
        Policy: schema(Policy, 'output'),
        GateRequest: schema(GateRequest, 'input'),
        GateEvaluation: schema(GateEvaluation, 'output'),
        GatePreview: schema(GatePreview, 'output'),
        GateOverrideInput: schema(GateOverrideInput, 'input'),
        GateOverrideView: schema(GateOverrideView, 'output'),
        DeploymentInput: schema(DeploymentInput, 'input'),
        Deployment: schema(Deployment, 'output'),
        EmbedInput: schema(EmbedInput, 'input'),
        EmbedLink: schema(EmbedLink, 'output'),
        LoginInput: schema(LoginInput, 'input'),
        SetupInput: schema(SetupInput, 'input'),
        PasswordLinkInput: schema(PasswordLinkInput, 'input'),
        PasswordChange: schema(PasswordChange, 'input'),
        PasswordLinkView: schema(PasswordLinkView, 'output'),
        AuthConfig: schema(AuthConfig, 'output'),
        Me: schema(Me, 'output'),
        UserInput: schema(UserInput, 'input'),
        UserPatch: schema(UserPatch, 'input'),
        User: schema(User, 'output'),
        CreatedUser: schema(CreatedUser, 'output'),
        AuditPage: schema(AuditPage, 'output'),
        ChannelInput: schema(ChannelInput, 'input'),
        ChannelPatch: schema(ChannelPatch, 'input'),
        Channel: schema(Channel, 'output'),
        ChannelTestResult: schema(ChannelTestResult, 'output'),
        DeliveryPage: schema(DeliveryPage, 'output'),
        RouteInput: schema(RouteInput, 'input'),
        Route: schema(Route, 'output'),
        SilenceInput: schema(SilenceInput, 'input'),
        Silence: schema(Silence, 'output'),
        ServicePaging: schema(ServicePaging, 'output'),
        ApiError: schema(ApiError, 'output'),
      },
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token: personal (acts as you, within your role) or service (its own scopes and teams)',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'umpire_session', description: 'The browser session; changes also need the X-CSRF-Token header' },
      },
    },
  };
}
