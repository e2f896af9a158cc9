-- Routes that take one SLO's alerts (issue 17: OpenSLO notification targets map to routes): `slos` names SLOs of
-- the route's one service (empty: every SLO). Routes applied from git are managed like services and SLOs.
ALTER TABLE "notification_routes" ADD COLUMN "slos" TEXT[] DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "managed_source" TEXT,
  ADD COLUMN "managed_path" TEXT;
UPDATE "notification_routes" SET "slos" = ARRAY[]::TEXT[] WHERE "slos" IS NULL;
ALTER TABLE "notification_routes" ALTER COLUMN "slos" SET NOT NULL;
