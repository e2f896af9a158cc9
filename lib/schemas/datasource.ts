import { z } from 'zod';
import { Slug } from './common';

const HeaderName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name')
  .refine((name) => !['host', 'content-length', 'content-type', 'connection', 'transfer-encoding'].includes(name.toLowerCase()), {
    message: 'is set by Umpire itself',
  });
const HeaderValue = z
  .string()
  .max(4096)
  .regex(/^[^\r\n]*$/, 'must be one line');

/** How Umpire authenticates to the backend. Secrets are write-only: accepted here, never returned. */
export const DataSourceAuthInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('bearer'),
      token: z
        .string()
        .min(1, 'is required')
        .max(4096)
        .regex(/^[^\r\n]*$/, 'must be one line'),
    }),
    z.strictObject({
      kind: z.literal('basic'),
      username: z
        .string()
        .min(1, 'is required')
        .max(200)
        .regex(/^[^:\r\n]*$/, 'must not contain ":"'),
      password: z
        .string()
        .max(1000)
        .regex(/^[^\r\n]*$/, 'must be one line'),
    }),
    z.strictObject({
      kind: z.literal('headers'),
      headers: z.record(HeaderName, HeaderValue).refine((h) => Object.keys(h).length >= 1 && Object.keys(h).length <= 10, {
        message: 'give 1 to 10 headers',
      }),
    }),
  ],
  { error: 'kind must be none, bearer, basic or headers' },
);
export type DataSourceAuthInput = z.infer<typeof DataSourceAuthInput>;

export const DataSourceKind = z.enum(['prometheus'], { error: 'must be prometheus' });

/** The URL is checked again for SSRF (link-local, metadata, allowlist) by the use-case, with the operator's policy. */
const dataSourceFields = {
  slug: Slug,
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  kind: DataSourceKind,
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  auth: DataSourceAuthInput,
  timeoutSeconds: z.number().int('must be whole seconds').min(1, 'must be 1 to 300 seconds').max(300, 'must be 1 to 300 seconds'),
};

export const DataSourceInput = z.strictObject({
  ...dataSourceFields,
  kind: dataSourceFields.kind.default('prometheus'),
  auth: dataSourceFields.auth.default({ kind: 'none' }),
  timeoutSeconds: dataSourceFields.timeoutSeconds.default(30),
});
export type DataSourceInput = z.infer<typeof DataSourceInput>;

/** PATCH: any subset; leaving `auth` out keeps the stored credentials. */
export const DataSourcePatch = z
  .strictObject(dataSourceFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'names no field to change' });
export type DataSourcePatch = z.infer<typeof DataSourcePatch>;

/** A data source as the API returns it: which kind of auth, never the secret itself. */
export const DataSource = z.object({
  slug: z.string(),
  name: z.string(),
  kind: DataSourceKind,
  url: z.string(),
  auth: z.object({
    kind: z.enum(['none', 'bearer', 'basic', 'headers']),
    username: z.string().optional(),
    headerNames: z.array(z.string()).optional(),
    hasSecret: z.boolean(),
  }),
  timeoutSeconds: z.number(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type DataSource = z.infer<typeof DataSource>;

export const ConnectionTest = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nullable(),
  /** Build info where the backend exposes it (Prometheus does; some compatible backends do not). */
  version: z.string().nullable(),
  buildInfo: z.record(z.string(), z.unknown()).nullable(),
  /** The failure, verbatim from the backend or the network. */
  error: z.object({ kind: z.string(), message: z.string() }).nullable(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;
