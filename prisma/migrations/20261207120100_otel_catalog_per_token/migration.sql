-- Which token put each metric name in the catalogue (a name may come from several tokens): each token may add a
-- bounded number of names (UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN), and the SLO form's picker takes each token's
-- names in turn, so one token's flood of junk names cannot push the others' out of view.
CREATE TABLE "otel_metric_tokens" (
    "token_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "otel_metric_tokens_pkey" PRIMARY KEY ("token_id","metric")
);

CREATE INDEX "otel_metric_tokens_metric_idx" ON "otel_metric_tokens"("metric");

ALTER TABLE "otel_metric_tokens" ADD CONSTRAINT "otel_metric_tokens_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "api_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
