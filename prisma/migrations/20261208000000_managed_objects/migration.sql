-- Services and SLOs applied from git (issue 17, GitOps): which source manages them (a repository, as `umpire apply
-- --source` names it) and the file that defines them. NULL: made by hand in the UI or API. Prune deletes only what
-- the same source manages; hand edits to a managed object are refused or warned (UMPIRE_MANAGED_EDITS).
ALTER TABLE "services" ADD COLUMN "managed_source" TEXT, ADD COLUMN "managed_path" TEXT;
ALTER TABLE "slos" ADD COLUMN "managed_source" TEXT, ADD COLUMN "managed_path" TEXT;
CREATE INDEX "services_managed_source_idx" ON "services"("managed_source");
CREATE INDEX "slos_managed_source_idx" ON "slos"("managed_source");
