-- One definition of a usable minute. A bucket with impossible counts (NaN, an infinity, a negative count, good above
-- total) or a fault its source reported (a histogram bucket boundary that vanished) is a data-quality fault: listed
-- on the SLO with its minute and left out of every figure, never clamped and never summed (docs/slo-math.md).
-- lib/slo/data-quality.ts bucketFault() is the same rule in TypeScript; test/integration/figures-at-the-edges.int.test.ts holds the two together.
CREATE FUNCTION "sli_bucket_fault"("good" DOUBLE PRECISION, "total" DOUBLE PRECISION, "source_fault" TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN "source_fault" IS NOT NULL THEN "source_fault"
    WHEN "good" = 'NaN'::float8 OR "total" = 'NaN'::float8 THEN 'not_a_number'
    WHEN abs("good") = 'Infinity'::float8 OR abs("total") = 'Infinity'::float8 THEN 'infinite'
    WHEN "good" < 0 OR "total" < 0 THEN 'negative'
    WHEN "good" > "total" THEN 'good_above_total'
  END
$$;

-- A fault the source found in the data (not in the counts), e.g. "histogram_bucket_missing".
ALTER TABLE "sli_buckets" ADD COLUMN "source_fault" TEXT;
-- Set when the minute also holds the events counted across a gap in the backend's samples that began here.
ALTER TABLE "sli_buckets" ADD COLUMN "carried_from" TIMESTAMPTZ(3);

-- Hourly sums hold the usable minutes only; faults counts the others, carried the minutes holding a gap's events
-- (so a status looks for either only where there are some). bad sums total - good minute by minute: a budget is
-- computed from it, since total minus a summed good loses the few bad events to rounding (4,319,568.000004788 good
-- of 4,320,000 read 89.99999989% of a 99.9% budget left instead of 90%).
ALTER TABLE "sli_bucket_hours" ADD COLUMN "bad" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "sli_bucket_hours" ADD COLUMN "faults" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "sli_bucket_hours" ADD COLUMN "carried" INTEGER NOT NULL DEFAULT 0;

-- The gate's evaluations keep the minute their figures were read as of, so they can be reproduced.
ALTER TABLE "gate_checks" ADD COLUMN "as_of" TIMESTAMPTZ(3);

-- A tier fires only with at least this many events in its long window (docs/slo-math.md, "Young and quiet SLOs").
ALTER TABLE "slos" ADD COLUMN "min_events" INTEGER NOT NULL DEFAULT 100;

-- A re-read of the history (POST .../backfill) walks from here back to history_from without forgetting what is
-- complete: the SLO's figures stay whole while it runs. Faults now come from the buckets themselves.
ALTER TABLE "slo_evaluations" ADD COLUMN "reread_until" TIMESTAMPTZ(3);
ALTER TABLE "slo_evaluations" DROP COLUMN "data_quality";

CREATE OR REPLACE FUNCTION "sli_bucket_hours_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "sli_bucket_hours" AS h ("slo_id", "hour", "good", "total", "bad", "buckets", "faults", "carried")
  SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00'),
         coalesce(sum("sign" * "good") FILTER (WHERE "usable"), 0),
         coalesce(sum("sign" * "total") FILTER (WHERE "usable"), 0),
         coalesce(sum("sign" * ("total" - "good")) FILTER (WHERE "usable"), 0),
         coalesce(sum("sign") FILTER (WHERE "usable"), 0)::int,
         coalesce(sum("sign") FILTER (WHERE NOT "usable"), 0)::int,
         coalesce(sum("sign") FILTER (WHERE "carried_from" IS NOT NULL), 0)::int
    FROM (SELECT "slo_id", "start", "good", "total", "carried_from", sli_bucket_fault("good", "total", "source_fault") IS NULL AS "usable", 1 AS "sign"
            FROM "new_rows") AS "delta"
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT ("slo_id", "hour") DO UPDATE
     SET "good" = h."good" + EXCLUDED."good", "total" = h."total" + EXCLUDED."total", "bad" = h."bad" + EXCLUDED."bad",
         "buckets" = h."buckets" + EXCLUDED."buckets", "faults" = h."faults" + EXCLUDED."faults", "carried" = h."carried" + EXCLUDED."carried";
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "sli_bucket_hours_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "sli_bucket_hours" AS h ("slo_id", "hour", "good", "total", "bad", "buckets", "faults", "carried")
  SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00'),
         coalesce(sum("sign" * "good") FILTER (WHERE "usable"), 0),
         coalesce(sum("sign" * "total") FILTER (WHERE "usable"), 0),
         coalesce(sum("sign" * ("total" - "good")) FILTER (WHERE "usable"), 0),
         coalesce(sum("sign") FILTER (WHERE "usable"), 0)::int,
         coalesce(sum("sign") FILTER (WHERE NOT "usable"), 0)::int,
         coalesce(sum("sign") FILTER (WHERE "carried_from" IS NOT NULL), 0)::int
    FROM (SELECT "slo_id", "start", "good", "total", "carried_from", sli_bucket_fault("good", "total", "source_fault") IS NULL AS "usable", 1 AS "sign"
            FROM "new_rows"
          UNION ALL
          SELECT "slo_id", "start", "good", "total", "carried_from", sli_bucket_fault("good", "total", "source_fault") IS NULL, -1
            FROM "old_rows") AS "delta"
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT ("slo_id", "hour") DO UPDATE
     SET "good" = h."good" + EXCLUDED."good", "total" = h."total" + EXCLUDED."total", "bad" = h."bad" + EXCLUDED."bad",
         "buckets" = h."buckets" + EXCLUDED."buckets", "faults" = h."faults" + EXCLUDED."faults", "carried" = h."carried" + EXCLUDED."carried";
  DELETE FROM "sli_bucket_hours" h
   USING (SELECT DISTINCT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "hour" FROM "old_rows") AS "touched"
   WHERE h."slo_id" = "touched"."slo_id" AND h."hour" = "touched"."hour" AND h."buckets" + h."faults" <= 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "sli_bucket_hours_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only hours that still exist: when an SLO is deleted, its hours may be gone already (the same cascade).
  UPDATE "sli_bucket_hours" h
     SET "good" = h."good" - d."good", "total" = h."total" - d."total", "bad" = h."bad" - d."bad", "buckets" = h."buckets" - d."buckets", "faults" = h."faults" - d."faults", "carried" = h."carried" - d."carried"
    FROM (
      SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "hour",
             coalesce(sum("good") FILTER (WHERE "usable"), 0) AS "good",
             coalesce(sum("total") FILTER (WHERE "usable"), 0) AS "total",
             coalesce(sum("total" - "good") FILTER (WHERE "usable"), 0) AS "bad",
             (count(*) FILTER (WHERE "usable"))::int AS "buckets",
             (count(*) FILTER (WHERE NOT "usable"))::int AS "faults",
             (count(*) FILTER (WHERE "carried_from" IS NOT NULL))::int AS "carried"
        FROM (SELECT *, sli_bucket_fault("good", "total", "source_fault") IS NULL AS "usable" FROM "old_rows") AS "o"
       GROUP BY 1, 2
       ORDER BY 1, 2
    ) AS d
   WHERE h."slo_id" = d."slo_id" AND h."hour" = d."hour";
  DELETE FROM "sli_bucket_hours" h
   USING (SELECT DISTINCT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "hour" FROM "old_rows") AS "touched"
   WHERE h."slo_id" = "touched"."slo_id" AND h."hour" = "touched"."hour" AND h."buckets" + h."faults" <= 0;
  RETURN NULL;
END $$;

-- The hours recounted from the buckets with the new rule, holding off writers (an Umpire still running during the
-- upgrade) so that no write falls between the recount and the new trigger functions.
DO $$
BEGIN
  LOCK TABLE "sli_buckets" IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM "sli_bucket_hours";
  INSERT INTO "sli_bucket_hours" ("slo_id", "hour", "good", "total", "bad", "buckets", "faults", "carried")
  SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00'),
         coalesce(sum("good") FILTER (WHERE "usable"), 0),
         coalesce(sum("total") FILTER (WHERE "usable"), 0),
         coalesce(sum("total" - "good") FILTER (WHERE "usable"), 0),
         (count(*) FILTER (WHERE "usable"))::int,
         (count(*) FILTER (WHERE NOT "usable"))::int,
         (count(*) FILTER (WHERE "carried_from" IS NOT NULL))::int
    FROM (SELECT *, sli_bucket_fault("good", "total", "source_fault") IS NULL AS "usable" FROM "sli_buckets") AS "b"
   GROUP BY 1, 2;
END $$;
