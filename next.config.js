// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg and the generated Prisma client run on the server only; keep them out of the bundler.
  // OpenTelemetry patches modules through require hooks and shares one API registry: it must not be bundled.
  serverExternalPackages: [
    'pg',
    '@prisma/adapter-pg',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    '@opentelemetry/api',
    '@opentelemetry/core',
    '@opentelemetry/exporter-metrics-otlp-proto',
    '@opentelemetry/exporter-prometheus',
    '@opentelemetry/exporter-trace-otlp-proto',
    '@opentelemetry/instrumentation-pg',
    '@opentelemetry/resources',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/sdk-node',
    '@opentelemetry/sdk-trace-base',
    '@opentelemetry/semantic-conventions',
    // A native module (PNG rendering of embed panels).
    '@resvg/resvg-js',
  ],
  async headers() {
    // Framing is denied everywhere but on embed links (/embed/...), whose route handlers send their own
    // Content-Security-Policy with frame-ancestors from UMPIRE_EMBED_FRAME_ANCESTORS.
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
      {
        // Over TLS (directly, or as the TLS-terminating proxy says), browsers are told to keep to https.
        source: '/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }],
      },
      {
        source: '/:path((?!embed/|embed$).*)',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

export default nextConfig;
