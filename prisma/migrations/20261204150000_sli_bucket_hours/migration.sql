-- Hourly sums of sli_buckets, so a status reads a 30-day window as 720 hours (plus the minutes at its edges)
-- instead of 43,200 minutes. Statement triggers add each statement's change, summed per hour (UTC): additions
-- commute and the hour row's lock serialises them, so concurrent writers never lose one another's. good and total
-- sum the finite buckets only (NaN and infinities are faults the status leaves out); buckets counts them all.

-- CreateTable
CREATE TABLE "sli_bucket_hours" (
    "slo_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "good" DOUBLE PRECISION NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "buckets" INTEGER NOT NULL,

    CONSTRAINT "sli_bucket_hours_pkey" PRIMARY KEY ("slo_id","hour")
);

-- AddForeignKey
ALTER TABLE "sli_bucket_hours" ADD CONSTRAINT "sli_bucket_hours_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION "sli_bucket_hours_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "sli_bucket_hours" AS h ("slo_id", "hour", "good", "total", "buckets")
  SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00'),
         coalesce(sum("sign" * "good") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0),
         coalesce(sum("sign" * "total") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0),
         sum("sign")::int
    FROM (SELECT "slo_id", "start", "good", "total", 1 AS "sign" FROM "new_rows") AS "delta"
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT ("slo_id", "hour") DO UPDATE
     SET "good" = h."good" + EXCLUDED."good", "total" = h."total" + EXCLUDED."total", "buckets" = h."buckets" + EXCLUDED."buckets";
  RETURN NULL;
END $$;

CREATE FUNCTION "sli_bucket_hours_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "sli_bucket_hours" AS h ("slo_id", "hour", "good", "total", "buckets")
  SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00'),
         coalesce(sum("sign" * "good") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0),
         coalesce(sum("sign" * "total") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0),
         sum("sign")::int
    FROM (SELECT "slo_id", "start", "good", "total", 1 AS "sign" FROM "new_rows" UNION ALL SELECT "slo_id", "start", "good", "total", -1 FROM "old_rows") AS "delta"
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT ("slo_id", "hour") DO UPDATE
     SET "good" = h."good" + EXCLUDED."good", "total" = h."total" + EXCLUDED."total", "buckets" = h."buckets" + EXCLUDED."buckets";
  DELETE FROM "sli_bucket_hours" h
   USING (SELECT DISTINCT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "hour" FROM "old_rows") AS "touched"
   WHERE h."slo_id" = "touched"."slo_id" AND h."hour" = "touched"."hour" AND h."buckets" <= 0;
  RETURN NULL;
END $$;

CREATE FUNCTION "sli_bucket_hours_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only hours that still exist: when an SLO is deleted, its hours may be gone already (the same cascade).
  UPDATE "sli_bucket_hours" h
     SET "good" = h."good" - d."good", "total" = h."total" - d."total", "buckets" = h."buckets" - d."buckets"
    FROM (
      SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "hour",
             coalesce(sum("good") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0) AS "good",
             coalesce(sum("total") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0) AS "total",
             count(*)::int AS "buckets"
        FROM "old_rows"
       GROUP BY 1, 2
       ORDER BY 1, 2
    ) AS d
   WHERE h."slo_id" = d."slo_id" AND h."hour" = d."hour";
  DELETE FROM "sli_bucket_hours" h
   USING (SELECT DISTINCT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS "hour" FROM "old_rows") AS "touched"
   WHERE h."slo_id" = "touched"."slo_id" AND h."hour" = "touched"."hour" AND h."buckets" <= 0;
  RETURN NULL;
END $$;

-- The hours of the buckets already there, and the triggers from then on, in one statement holding off writers
-- (an Umpire still running during an upgrade): no write falls between the two, or is counted twice.
DO $$
BEGIN
  LOCK TABLE "sli_buckets" IN SHARE ROW EXCLUSIVE MODE;
  INSERT INTO "sli_bucket_hours" ("slo_id", "hour", "good", "total", "buckets")
  SELECT "slo_id", date_bin('1 hour', "start", TIMESTAMPTZ '1970-01-01 00:00:00+00'),
         coalesce(sum("good") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0),
         coalesce(sum("total") FILTER (WHERE "good" <> 'NaN'::float8 AND "total" <> 'NaN'::float8 AND abs("good") < 'Infinity'::float8 AND abs("total") < 'Infinity'::float8), 0),
         count(*)::int
    FROM "sli_buckets"
   GROUP BY 1, 2;
  CREATE TRIGGER "sli_bucket_hours_insert" AFTER INSERT ON "sli_buckets" REFERENCING NEW TABLE AS "new_rows"
    FOR EACH STATEMENT EXECUTE FUNCTION "sli_bucket_hours_on_insert"();
  CREATE TRIGGER "sli_bucket_hours_update" AFTER UPDATE ON "sli_buckets" REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows"
    FOR EACH STATEMENT EXECUTE FUNCTION "sli_bucket_hours_on_update"();
  CREATE TRIGGER "sli_bucket_hours_delete" AFTER DELETE ON "sli_buckets" REFERENCING OLD TABLE AS "old_rows"
    FOR EACH STATEMENT EXECUTE FUNCTION "sli_bucket_hours_on_delete"();
END $$;
