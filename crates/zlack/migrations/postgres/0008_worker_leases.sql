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

-- Counting waiting jobs (metrics) reads only the waiting ones.
CREATE INDEX jobs_queued ON jobs (status) WHERE status = 'queued';

-- Pruning and retention find their rows without reading whole tables,
-- however much history is kept.
CREATE INDEX inbox_processed ON inbox (processed_at) WHERE processed_at IS NOT NULL;
CREATE INDEX meetings_by_age ON meetings (updated_at);
CREATE INDEX slack_users_by_age ON slack_users (fetched_at);
CREATE INDEX whiteboard_shares_by_age ON whiteboard_shares (created_at);

-- Uninstalls and purges delete by workspace or Zoom user.
CREATE INDEX meetings_by_team ON meetings (team_id, channel_id, id);
CREATE INDEX occurrences_by_team ON occurrences (team_id);
CREATE INDEX occurrences_by_host ON occurrences (zoom_host_id);
CREATE INDEX whiteboard_shares_by_team ON whiteboard_shares (team_id, slack_user_id);
