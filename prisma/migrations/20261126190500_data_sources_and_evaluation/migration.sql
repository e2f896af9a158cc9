-- CreateTable
CREATE TABLE "data_sources" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "auth_kind" TEXT NOT NULL,
    "auth_username" TEXT,
    "auth_header_names" JSONB NOT NULL DEFAULT '[]',
    "secret" TEXT,
    "timeout_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "data_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slo_evaluations" (
    "slo_id" UUID NOT NULL,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "stale_since" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_kind" TEXT,
    "history_from" TIMESTAMPTZ(3),
    "complete_from" TIMESTAMPTZ(3),
    "fresh_until" TIMESTAMPTZ(3),
    "data_quality" JSONB,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_evaluations_pkey" PRIMARY KEY ("slo_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "data_sources_slug_key" ON "data_sources"("slug");

-- CreateIndex
CREATE INDEX "slo_evaluations_lease_until_idx" ON "slo_evaluations"("lease_until");

-- AddForeignKey
ALTER TABLE "slo_evaluations" ADD CONSTRAINT "slo_evaluations_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

