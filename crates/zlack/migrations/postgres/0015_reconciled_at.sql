-- When reconciliation last asked Zoom about an announcement, so that each
-- run starts with those asked about least recently (never: NULL, first).
ALTER TABLE meetings ADD COLUMN reconciled_at BIGINT;
-- Reconciliation looks at the announcements of the last day.
CREATE INDEX meetings_by_creation ON meetings (created_at);
