-- Entries written in the same millisecond (a first sign-in writes user.create and user.login together) were
-- ordered by their random ids. seq keeps the order they were written in.
ALTER TABLE "audit_events" ADD COLUMN "seq" BIGSERIAL NOT NULL;

-- Existing entries keep the order the trail showed them in: by time, then id.
UPDATE "audit_events" AS e SET "seq" = o.n
FROM (SELECT "id", row_number() OVER (ORDER BY "at", "id") AS n FROM "audit_events") AS o
WHERE e."id" = o."id";
SELECT setval(pg_get_serial_sequence('"audit_events"', 'seq'), GREATEST((SELECT max("seq") FROM "audit_events"), 1), EXISTS (SELECT 1 FROM "audit_events"));
