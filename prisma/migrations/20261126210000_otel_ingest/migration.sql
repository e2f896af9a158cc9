-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scopes" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "otel_series" (
    "id" BYTEA NOT NULL,
    "metric" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "state" BYTEA,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "otel_series_pkey" PRIMARY KEY ("id")
);

-- Every ingest request rewrites its series' rows: room on each page lets PostgreSQL update them in place (HOT).
ALTER TABLE "otel_series" SET (fillfactor = 70);

-- CreateTable
CREATE TABLE "otel_metrics" (
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "temporality" TEXT NOT NULL,
    "monotonic" BOOLEAN NOT NULL,
    "bounds" DOUBLE PRECISION[],
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "otel_metrics_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "otel_attribute_values" (
    "metric" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "otel_attribute_values_pkey" PRIMARY KEY ("metric","scope","key","value")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens"("hash");

-- CreateIndex
CREATE INDEX "otel_attribute_values_metric_last_seen_at_idx" ON "otel_attribute_values"("metric", "last_seen_at");

