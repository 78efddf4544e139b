-- Short job leases renewed by a heartbeat, and fair claiming.
--
-- `owner` names the worker (process) holding a job's lease, so it can
-- renew the leases it holds and nobody else's. `tenant` is the workspace
-- (or Zoom account) a job works for: a worker shares its slots among
-- tenants, so one busy workspace cannot hold back another.
ALTER TABLE jobs ADD COLUMN owner TEXT;
ALTER TABLE jobs ADD COLUMN tenant TEXT NOT NULL DEFAULT '';

-- Waiting jobs and leased ones in separate indexes: claiming new work
-- never walks past jobs that are running, and finding expired leases never
-- walks past waiting ones.
DROP INDEX jobs_ready;
CREATE INDEX jobs_ready ON jobs (run_at, id) WHERE status = 'queued' AND locked_by IS NULL;
CREATE INDEX jobs_leased ON jobs (locked_until) WHERE status = 'queued' AND locked_by IS NOT NULL;
