import { z } from 'zod';

/** An unset variable and one set to "" are the same: not set. */
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const EnvSchema = z
  .object({
    /** Required by the database client only (databaseUrl()), so modules that never touch the database need none. */
    DATABASE_URL: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL')
        .optional(),
    ),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** Set by scripts/start.ts when it runs the embedded PGlite database. */
    UMPIRE_DATABASE_MODE: z.enum(['embedded', 'external']).default('external'),
    /** npm start (scripts/start.ts): seed the demo into an empty database; default on with the embedded database, off otherwise. */
    UMPIRE_SEED_DEMO: z.enum(['on', 'off']).optional(),
    /** npm start: where the embedded database keeps its files (default .umpire/pglite). */
    UMPIRE_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().optional()),
    /** The in-process evaluator that keeps buckets current; tests turn it off. */
    UMPIRE_EVALUATOR: z.enum(['on', 'off']).default('on'),
    UMPIRE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** The port `npm start` serves on; self-observation reaches the server there. */
    PORT: z.coerce
      .number({ error: 'PORT must be a TCP port number' })
      .int('PORT must be a TCP port number')
      .min(1, 'PORT must be 1 to 65535')
      .max(65_535, 'PORT must be 1 to 65535')
      .default(3000),
    /**
     * The key data-source credentials are encrypted with, embed links signed with, and Umpire's own ingest token derived
     * from (lib/crypto). Optional: without it those features refuse with a message saying to set it.
     */
    UMPIRE_SECRET_KEY: z.preprocess(unsetIfEmpty, z.string().min(16, 'UMPIRE_SECRET_KEY must be at least 16 characters').optional()),
    /** Umpire's public address, for links (setup, invitations, embeds) and Secure cookies behind a proxy; no trailing slash. */
    UMPIRE_PUBLIC_URL: z.preprocess(
      unsetIfEmpty,
      z
        .url({ protocol: /^https?$/, error: 'UMPIRE_PUBLIC_URL must be an http(s) URL, e.g. https://umpire.example.com' })
        .transform((url) => url.trim().replace(/\/+$/, ''))
        .optional(),
    ),
    /** Who may frame embeds: a CSP frame-ancestors source list; default any. */
    UMPIRE_EMBED_FRAME_ANCESTORS: z.preprocess(unsetIfEmpty, z.string().trim().optional()),
    /** Hosts, IPs or CIDRs data sources may point at, comma-separated; default any (the outbound guard still applies). */
    UMPIRE_DATASOURCE_ALLOWED_HOSTS: z.preprocess(unsetIfEmpty, z.string().optional()),
    /** OpenTelemetry for Umpire itself (lib/telemetry): /metrics, and OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
    UMPIRE_TELEMETRY: z.enum(['on', 'off']).default('on'),
    /** Push Umpire's own metrics to its own OTLP receiver (dogfooding). */
    UMPIRE_SELF_OBSERVE: z.enum(['on', 'off']).default('off'),
    /** Where this server is reached for self-observation; default http://127.0.0.1:$PORT. */
    UMPIRE_SELF_URL: z.url({ protocol: /^https?$/, error: 'UMPIRE_SELF_URL must be an http(s) URL' }).optional(),
    UMPIRE_SELF_OBSERVE_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(15_000),
    /** How long the services overview's answer is shared by the requests that ask for it (0: computed for each). */
    UMPIRE_OVERVIEW_CACHE_SECONDS: z.coerce
      .number({ error: 'UMPIRE_OVERVIEW_CACHE_SECONDS must be a number of seconds' })
      .min(0, 'UMPIRE_OVERVIEW_CACHE_SECONDS must be 0 to 60')
      .max(60, 'UMPIRE_OVERVIEW_CACHE_SECONDS must be 0 to 60')
      .default(5),
    /** The budget-low alert fires when an SLO's measured budget left falls below this share (0.25: 25%). */
    UMPIRE_ALERT_BUDGET_LOW_SHARE: z.coerce
      .number({ error: 'UMPIRE_ALERT_BUDGET_LOW_SHARE must be a share from 0.01 to 0.99, e.g. 0.25' })
      .min(0.01, 'UMPIRE_ALERT_BUDGET_LOW_SHARE must be a share from 0.01 to 0.99, e.g. 0.25')
      .max(0.99, 'UMPIRE_ALERT_BUDGET_LOW_SHARE must be a share from 0.01 to 0.99, e.g. 0.25')
      .default(0.25),
    /** The data-absent alert fires after this many minutes without events (or with the source failing). */
    UMPIRE_ALERT_ABSENT_MINUTES: z.coerce
      .number({ error: 'UMPIRE_ALERT_ABSENT_MINUTES must be a whole number of minutes from 2 to 1440' })
      .int('UMPIRE_ALERT_ABSENT_MINUTES must be a whole number of minutes from 2 to 1440')
      .min(2, 'UMPIRE_ALERT_ABSENT_MINUTES must be a whole number of minutes from 2 to 1440')
      .max(1440, 'UMPIRE_ALERT_ABSENT_MINUTES must be a whole number of minutes from 2 to 1440')
      .default(15),
    /** /metrics: at most this many SLOs get per-SLO series (those with least budget left first); the rest are counted. */
    UMPIRE_METRICS_MAX_SLOS: z.coerce
      .number({ error: 'UMPIRE_METRICS_MAX_SLOS must be a whole number' })
      .int('UMPIRE_METRICS_MAX_SLOS must be a whole number')
      .min(0, 'UMPIRE_METRICS_MAX_SLOS must be 0 to 1000000')
      .max(1_000_000, 'UMPIRE_METRICS_MAX_SLOS must be 0 to 1000000')
      .default(10_000),
    /** Distinct metric names one ingest token may add to the catalogue the SLO form picks from; its further new names are not listed. */
    UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN: z.coerce
      .number({ error: 'UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN must be a number' })
      .int('UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN must be a whole number')
      .min(1, 'UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN must be 1 to 100000')
      .max(100_000, 'UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN must be 1 to 100000')
      .default(200),

    // ---- the HTTP server (scripts/server.ts, scripts/http-server.ts) ----
    /** How long a client may take to send a whole request, headers and body (OTLP bodies too); then 408. */
    UMPIRE_REQUEST_TIMEOUT_SECONDS: z.coerce
      .number({ error: 'UMPIRE_REQUEST_TIMEOUT_SECONDS must be a whole number of seconds' })
      .int('UMPIRE_REQUEST_TIMEOUT_SECONDS must be a whole number of seconds')
      .min(1, 'UMPIRE_REQUEST_TIMEOUT_SECONDS must be at least 1')
      .max(3600, 'UMPIRE_REQUEST_TIMEOUT_SECONDS must be at most 3600')
      .default(30),
    /** Connections open at once; more are closed as soon as they are accepted. */
    UMPIRE_MAX_CONNECTIONS: z.coerce
      .number({ error: 'UMPIRE_MAX_CONNECTIONS must be a whole number' })
      .int('UMPIRE_MAX_CONNECTIONS must be a whole number')
      .min(1, 'UMPIRE_MAX_CONNECTIONS must be at least 1')
      .max(1_000_000, 'UMPIRE_MAX_CONNECTIONS must be at most 1000000')
      .default(1000),

    // ---- sign-in (lib/auth, lib/use-cases/access/sessions.ts) ----
    /** Anyone who reaches Umpire may read (dashboards open to the network); writes still need sign-in. */
    UMPIRE_ANONYMOUS_READ: z.enum(['on', 'off'], { error: 'UMPIRE_ANONYMOUS_READ must be on or off' }).default('off'),
    /** Sign-in with username and password; off leaves the identity provider only. */
    UMPIRE_PASSWORD_LOGIN: z.enum(['on', 'off'], { error: 'UMPIRE_PASSWORD_LOGIN must be on or off' }).default('on'),
    /** A session ends this long after sign-in, whatever happens. */
    UMPIRE_SESSION_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(7 * 24),
    /** A session ends after this long without a request. */
    UMPIRE_SESSION_IDLE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24),
    /** Reverse proxies in front of Umpire that append to X-Forwarded-For: the client is that many entries from the end. */
    UMPIRE_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
    /** Failed sign-ins for one username from one client address within 15 minutes before that pair gets 429 (lib/auth/sign-in-throttle). */
    UMPIRE_LOGIN_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(10),
    /** Requests per minute one API token may make to the JSON API (OTLP ingest is limited by its own size limits). */
    UMPIRE_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1200),

    // ---- quotas (lib/quotas.ts): creations beyond them get 422 quota_exceeded ----
    UMPIRE_MAX_SERVICES: z.coerce.number({ error: 'UMPIRE_MAX_SERVICES must be a whole number' }).int().min(1).max(10_000_000).default(1000),
    UMPIRE_MAX_SLOS_PER_SERVICE: z.coerce.number({ error: 'UMPIRE_MAX_SLOS_PER_SERVICE must be a whole number' }).int().min(1).max(10_000_000).default(50),
    UMPIRE_MAX_SLOS: z.coerce.number({ error: 'UMPIRE_MAX_SLOS must be a whole number' }).int().min(1).max(10_000_000).default(5000),

    /**
     * Hand edits (UI or API) to a service or SLO that `umpire apply` manages from git: refused with 409 so git stays
     * the truth, or let through with a warning in the UI and `managedEdit` in the audit trail.
     */
    UMPIRE_MANAGED_EDITS: z.enum(['refuse', 'warn'], { error: 'UMPIRE_MANAGED_EDITS must be refuse or warn' }).default('refuse'),

    // ---- OpenID Connect (lib/use-cases/access/oidc-login.ts): on when UMPIRE_OIDC_ISSUER is set ----
    UMPIRE_OIDC_ISSUER: z.url({ protocol: /^https?$/, error: "UMPIRE_OIDC_ISSUER must be the identity provider's issuer URL" }).optional(),
    UMPIRE_OIDC_CLIENT_ID: z.string().min(1).optional(),
    UMPIRE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    UMPIRE_OIDC_SCOPES: z.string().default('openid profile email'),
    /** The sign-in button's label: "Sign in with <name>". */
    UMPIRE_OIDC_NAME: z.string().min(1).max(60).default('single sign-on'),
    /** The ID token / userinfo claim that lists the user's groups. */
    UMPIRE_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    /** Comma-separated groups whose members are admins / editors; with either set, the role follows the groups at every sign-in. */
    UMPIRE_OIDC_ADMIN_GROUPS: z.string().default(''),
    UMPIRE_OIDC_EDITOR_GROUPS: z.string().default(''),
    /** Groups starting with this prefix name the user's teams (prefix removed), kept in step at every sign-in. */
    UMPIRE_OIDC_TEAM_PREFIX: z.string().default(''),
    /** The role of someone signing in for the first time when no group says otherwise. */
    UMPIRE_OIDC_DEFAULT_ROLE: z.enum(['viewer', 'editor', 'admin'], { error: 'UMPIRE_OIDC_DEFAULT_ROLE must be viewer, editor or admin' }).default('viewer'),
    /**
     * off: nobody new gets an account at sign-in; only accounts that signed in through the provider before may.
     * Never matched to an existing account by username or email (lib/use-cases/access/oidc-login.ts).
     */
    UMPIRE_OIDC_SIGNUP: z.enum(['on', 'off'], { error: 'UMPIRE_OIDC_SIGNUP must be on or off' }).default('on'),
  })
  .refine((e) => !e.UMPIRE_OIDC_ISSUER || (e.UMPIRE_OIDC_CLIENT_ID && e.UMPIRE_OIDC_CLIENT_SECRET), {
    message: 'UMPIRE_OIDC_ISSUER needs UMPIRE_OIDC_CLIENT_ID and UMPIRE_OIDC_CLIENT_SECRET',
    path: ['UMPIRE_OIDC_CLIENT_ID'],
  });
export type Env = z.infer<typeof EnvSchema>;

let parsed: Env | undefined;

/** The environment, parsed once on first use; fails fast with the variable's name. */
export function env(): Env {
  if (parsed) return parsed;
  const result = EnvSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  parsed = result.data;
  return parsed;
}

/** The database's URL, or a clear error naming the variable: what the database client (and only it) needs. */
export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (npm start sets it when it runs the embedded database)');
  return url;
}

/** For tests that change process.env: parse it again on next use. */
export function reloadEnv(): void {
  parsed = undefined;
}
