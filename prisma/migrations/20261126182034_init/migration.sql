-- CreateTable
CREATE TABLE "services" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "owner_team" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "runbook_url" TEXT,
    "repository_url" TEXT,
    "dashboard_url" TEXT,
    "on_call_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slos" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "objective" DOUBLE PRECISION NOT NULL,
    "window" JSONB NOT NULL,
    "budgeting" JSONB NOT NULL,
    "sli" JSONB NOT NULL,
    "alert_policy" JSONB,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sli_buckets" (
    "slo_id" UUID NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "good" DOUBLE PRECISION NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "sli_buckets_pkey" PRIMARY KEY ("slo_id","start")
);

-- CreateIndex
CREATE UNIQUE INDEX "services_slug_key" ON "services"("slug");

-- CreateIndex
CREATE INDEX "services_owner_team_idx" ON "services"("owner_team");

-- CreateIndex
CREATE UNIQUE INDEX "slos_service_id_slug_key" ON "slos"("service_id", "slug");

-- AddForeignKey
ALTER TABLE "slos" ADD CONSTRAINT "slos_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sli_buckets" ADD CONSTRAINT "sli_buckets_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invariants the schemas enforce, kept by the database too.
ALTER TABLE "services" ADD CONSTRAINT "services_tier_check" CHECK ("tier" BETWEEN 1 AND 3);
ALTER TABLE "slos" ADD CONSTRAINT "slos_objective_check" CHECK ("objective" > 0 AND "objective" < 1);
-- Buckets are whole minutes, so writing the same minute twice hits the primary key.
ALTER TABLE "sli_buckets" ADD CONSTRAINT "sli_buckets_start_minute_check" CHECK ("start" = date_trunc('minute', "start"));
