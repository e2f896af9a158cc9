import { z } from 'zod';

const EnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is required (npm start sets it when it runs the embedded database)' })
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Set by scripts/start.ts when it runs the embedded PGlite database. */
  UMPIRE_DATABASE_MODE: z.enum(['embedded', 'external']).default('external'),
  /** The in-process evaluator that keeps buckets current; tests turn it off. */
  UMPIRE_EVALUATOR: z.enum(['on', 'off']).default('on'),
  UMPIRE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** OpenTelemetry for Umpire itself (lib/telemetry): /metrics, and OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  UMPIRE_TELEMETRY: z.enum(['on', 'off']).default('on'),
  /** Push Umpire's own metrics to its own OTLP receiver (dogfooding). */
  UMPIRE_SELF_OBSERVE: z.enum(['on', 'off']).default('off'),
  /** Where this server is reached for self-observation; default http://127.0.0.1:$PORT. */
  UMPIRE_SELF_URL: z.url({ protocol: /^https?$/, error: 'UMPIRE_SELF_URL must be an http(s) URL' }).optional(),
  UMPIRE_SELF_OBSERVE_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(15_000),
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
