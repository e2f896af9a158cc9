-- Ingest tokens bound to what they may feed (lib/auth/ingest-binding.ts): a token's teams (already there) limit the
-- SLOs its points count toward; service_names pins the resource service.name its points may carry (empty: any).
ALTER TABLE "api_tokens" ADD COLUMN "service_names" TEXT[] DEFAULT ARRAY[]::TEXT[];
UPDATE "api_tokens" SET "service_names" = ARRAY[]::TEXT[] WHERE "service_names" IS NULL;
ALTER TABLE "api_tokens" ALTER COLUMN "service_names" SET NOT NULL;

-- Which tokens fed each OpenTelemetry SLO lately: written in the transaction that adds their points to the
-- buckets (one row per SLO and token, one upsert per request and SLO). Refused points write nothing (they are
-- answered and logged): a token that may not feed an SLO cannot make Umpire write for it either.
CREATE TABLE "otel_feeders" (
    "slo_id" UUID NOT NULL,
    "token_id" UUID NOT NULL,
    "points" BIGINT NOT NULL DEFAULT 0,
    "first_fed_at" TIMESTAMPTZ(3) NOT NULL,
    "last_fed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "otel_feeders_pkey" PRIMARY KEY ("slo_id","token_id")
);

CREATE INDEX "otel_feeders_token_id_idx" ON "otel_feeders"("token_id");

ALTER TABLE "otel_feeders" ADD CONSTRAINT "otel_feeders_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "otel_feeders" ADD CONSTRAINT "otel_feeders_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "api_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
