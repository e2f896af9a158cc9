-- CreateTable
CREATE TABLE "error_budget_policies" (
    "key" TEXT NOT NULL,
    "service_id" UUID,
    "policy" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "error_budget_policies_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "gate_checks" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "commit" TEXT,
    "pipeline_url" TEXT,
    "verdict" TEXT NOT NULL,
    "policy_verdict" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "slos" JSONB NOT NULL,
    "policy" JSONB NOT NULL,
    "data_state" TEXT NOT NULL,
    "override_id" UUID,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gate_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gate_overrides" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "environment" TEXT,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gate_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployments" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "commit" TEXT,
    "url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "error_budget_policies_service_id_key" ON "error_budget_policies"("service_id");

-- CreateIndex
CREATE INDEX "gate_checks_service_id_evaluated_at_idx" ON "gate_checks"("service_id", "evaluated_at");

-- CreateIndex
CREATE INDEX "gate_overrides_service_id_version_idx" ON "gate_overrides"("service_id", "version");

-- CreateIndex
CREATE INDEX "deployments_service_id_started_at_idx" ON "deployments"("service_id", "started_at");

-- AddForeignKey
ALTER TABLE "error_budget_policies" ADD CONSTRAINT "error_budget_policies_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_checks" ADD CONSTRAINT "gate_checks_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_checks" ADD CONSTRAINT "gate_checks_override_id_fkey" FOREIGN KEY ("override_id") REFERENCES "gate_overrides"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_overrides" ADD CONSTRAINT "gate_overrides_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

